package conversation

import (
	"regexp"
	"strings"
)

// Address is a street address read from a customer's message.
type Address struct {
	Line     string // the street line, tidied: "Flat 3, 22 High Street"; may be ""
	Postcode string // the normalised postcode or five-digit ZIP; may be ""
}

var (
	houseNumberRe   = regexp.MustCompile(`^[0-9]{1,5}[a-z]?(?:[-/][0-9]{1,5}[a-z]?)?$`)
	ordinalNumberRe = regexp.MustCompile(`^[0-9]{1,4}(?:st|nd|rd|th)$`)
	unitIDRe        = regexp.MustCompile(`^(?:[0-9]{1,4}[a-z]?|[a-z][0-9]{0,3}|[0-9]{1,3}/[0-9]{1,3})$`)

	streetSuffixes = setOfWords(`street st road rd avenue ave av lane ln drive dr close cl way court ct
		crescent cres place pl terrace terr tce grove gr gardens gdns garden square sq hill park mews row
		walk rise view boulevard blvd parkway pkwy highway hwy circle cir trail trl green gate parade pde
		wharf quay yard vale passage embankment circus alley plaza loop pike ridge heights hts chase croft
		meadow meadows fields`)
	unitWords        = setOfWords("flat apt apartment unit suite ste room")
	streetDirections = setOfWords("n s e w ne nw se sw")
	// streetStop are words that never sit inside a street name, so "3 days
	// on the drive" and "10 min walk" are not addresses.
	streetStop = setOfWords(`on in at for to from is was and or but so my the a an i im ive it its we
		you there here this that been has have had with by now since every per x ago am pm min mins
		minute minutes hour hours hr hrs day days week weeks month months year years yr yrs second
		seconds sec secs time times people kids children adults please thanks`)
	// townStop are words that end the stretch between a street and its
	// postcode: chat, not a town ("12 Oak Rd and my postcode is ...").
	townStop = setOfWords(`and or but so my is the a an i im it its postcode post code zip zipcode
		please thanks at in near by with call ring also was name on to for me we you`)
	smallAddressWords = setOfWords("upon on under in of and by le la de")
)

// FindAddress finds a street address in free text: a house number and a
// street ("12 Oak Rd"), with any flat or apartment before it and any town
// between it and the postcode, plus the postcode itself. It returns the
// line tidied ("flat 3, 22 high street, m14 5ab" → "Flat 3, 22 High
// Street", "M14 5AB"). ok reports whether a street line or a postcode was
// found; either part may be "".
func FindAddress(text, region string) (Address, bool) {
	pc, ps, pe, hasPC := locatePostcode(text, region)
	ws := splitMsgWords(text)
	for i := range ws {
		if hasPC && ws[i].start >= ps && ws[i].start < pe {
			continue
		}
		end, ok := streetFrom(text, ws, i)
		if !ok {
			continue
		}
		first, last := unitStart(text, ws, i), end
		if hasPC && ws[end].end <= ps {
			last = extendToPostcode(text, ws, end, ps)
		}
		return Address{Line: formatAddressLine(text, ws[first:last+1]), Postcode: pc}, true
	}
	if hasPC {
		return Address{Postcode: pc}, true
	}
	return Address{}, false
}

// streetFrom reports whether a street starts at word i: a house number, one
// to five name words and a street suffix, and an optional direction after
// it ("1600 Pennsylvania Ave NW"). It returns the index of the last word.
func streetFrom(text string, ws []msgWord, i int) (int, bool) {
	if !houseNumberRe.MatchString(ws[i].key) {
		return 0, false
	}
	names := 0
	for j := i + 1; j < len(ws) && j <= i+6; j++ {
		if !inStreetGap(wordGap(text, ws, j), ws[j-1].key) {
			return 0, false
		}
		k := ws[j].key
		if k == "broadway" || streetSuffixes[k] && names > 0 {
			if j+1 < len(ws) && streetDirections[ws[j+1].key] && strings.TrimSpace(wordGap(text, ws, j+1)) == "" {
				return j + 1, true
			}
			return j, true
		}
		if streetStop[k] && !(k == "the" && names == 0) || !lettersOnly(k) && !ordinalNumberRe.MatchString(k) {
			return 0, false
		}
		names++
	}
	return 0, false
}

// inStreetGap reports whether a gap may sit between two words of one street:
// spaces, or a dot after an abbreviation ("St. Johns Road").
func inStreetGap(gap, prev string) bool {
	switch strings.TrimSpace(gap) {
	case "":
		return true
	case ".":
		return prev == "st" || prev == "mt" || prev == "ft"
	}
	return false
}

// unitStart extends a street at word i back over a flat or apartment
// ("Flat 3, 22 High Street", "Apt 4B, 350 5th Avenue", "#4B 350 5th Ave").
func unitStart(text string, ws []msgWord, i int) int {
	if i == 0 || endsSentence(wordGap(text, ws, i)) {
		return i
	}
	j := i - 1
	if unitWords[ws[j].key] {
		return j
	}
	if !unitIDRe.MatchString(ws[j].key) {
		return i
	}
	if j > 0 && unitWords[ws[j-1].key] && strings.Trim(wordGap(text, ws, j), " .#") == "" {
		return j - 1
	}
	if strings.Contains(wordGap(text, ws, j), "#") {
		return j
	}
	return i
}

// extendToPostcode extends a street ending at word end over a town that sits
// between it and the postcode at offset ps ("…Ave NW, Washington DC 20500").
func extendToPostcode(text string, ws []msgWord, end, ps int) int {
	last := end
	for k := end + 1; k < len(ws) && ws[k].end <= ps; k++ {
		if k-end > 7 || endsSentence(wordGap(text, ws, k)) || townStop[ws[k].key] {
			return end
		}
		if unitWords[ws[k].key] && k+1 < len(ws) && ws[k+1].end <= ps && unitIDRe.MatchString(ws[k+1].key) {
			k++ // "123 Main Street Apt 5, Boston MA"
		} else if !lettersOnly(ws[k].key) {
			return end
		}
		last = k
	}
	if endsSentence(text[ws[last].end:ps]) {
		return end
	}
	return last
}

// formatAddressLine joins address words with tidy capitals, keeping the
// commas the customer typed.
func formatAddressLine(text string, ws []msgWord) string {
	shouting := true
	for _, w := range ws {
		if strings.ToUpper(w.text) != w.text {
			shouting = false
		}
	}
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			gap := text[ws[i-1].end:w.start]
			if strings.Contains(gap, ",") {
				b.WriteString(",")
			}
			b.WriteString(" ")
		}
		if strings.HasSuffix(wordGap(text, ws, 0), "#") && i == 0 || i > 0 && strings.Contains(text[ws[i-1].end:w.start], "#") {
			b.WriteString("#")
		}
		b.WriteString(formatAddressWord(w, i, shouting))
	}
	return b.String()
}

func formatAddressWord(w msgWord, i int, shouting bool) string {
	t := w.text
	upper := strings.ToUpper(t)
	switch {
	case t == "":
		return t
	case t[0] >= '0' && t[0] <= '9':
		if ordinalNumberRe.MatchString(w.key) {
			return w.key
		}
		return upper
	case streetDirections[w.key] && len(w.key) <= 2 && i > 0:
		return upper
	case len(t) == 2 && i > 0 && usStates[upper] && (t == upper || !usStatesWords[w.key] && w.key != "ct" && w.key != "mt"):
		return upper // "Springfield IL", "ny ny" is "NY NY"; "Oak Ct" stays
	case t == upper && len(t) <= 3 && i > 0 && !shouting:
		return t
	case smallAddressWords[w.key] && i > 0:
		return w.key
	}
	return titleCaseWord(t)
}

// ParseAddressAnswer reads the reply to "What's the address?". It needs a
// postcode or ZIP; the line is the street it finds or else the text around
// the postcode, tidied, and "" when that text is not an address ("why do you
// need it? SW1A 1AA").
func ParseAddressAnswer(text, region string) (Address, bool) {
	pc, ps, pe, ok := locatePostcode(text, region)
	if !ok {
		return Address{}, false
	}
	if a, ok := FindAddress(text, region); ok && a.Line != "" && a.Postcode == pc {
		return a, true
	}
	if strings.Contains(text, "?") {
		return Address{Postcode: pc}, true
	}
	before := text[:ps]
	if i := strings.LastIndexAny(before, ".!?;\n"); i >= 0 {
		before = before[i+1:]
	}
	line := addressRest(before, chatterAfterLast)
	if line == "" {
		line = addressRest(before, chatterBeforeFirst)
	}
	if line == "" && strings.IndexFunc(before, isWordRune) < 0 {
		after := text[pe:]
		if i := strings.IndexAny(after, ".!?;\n"); i >= 0 {
			after = after[:i]
		}
		line = addressRest(after, chatterBeforeFirst)
	}
	return Address{Line: line, Postcode: pc}, true
}

var (
	addressLead  = setOfWords("its it is in my address addr the postcode post code zip zipcode at im were we are i am live living stay staying hi ok okay sure yes yeah here you go thats that this sorry um so well")
	addressTrail = setOfWords("postcode post code zip zipcode thanks thank you thx cheers please ta x xx is my the and mate")
	addressNot   = setOfWords("why what how who where when idk dunno no not none cant cannot wont dont nope")
	// addressChatter are words of a sentence around an address, not of the
	// address: "my boiler is broken and I live at Rose Cottage".
	addressChatter = setOfWords(`i im ive my me is was are am it its you we were please thanks thank can could need
		needs want have has had live lives living staying stay name names called broken leaking help urgent asap
		call text`)
)

// Which words of a sentence addressRest keeps around chatter.
const (
	chatterAfterLast   = iota // "I live at Rose Cottage" → "Rose Cottage"
	chatterBeforeFirst        // "Rose Cottage, I'm Sam" → "Rose Cottage"
)

// addressRest tidies the words around a postcode into an address line, or
// returns "" when they are chat rather than an address.
func addressRest(part string, keep int) string {
	ws := splitMsgWords(part)
	for i := range ws {
		k := i
		if keep == chatterAfterLast {
			k = len(ws) - 1 - i
		}
		if addressChatter[ws[k].key] {
			if keep == chatterAfterLast {
				ws = ws[k+1:]
			} else {
				ws = ws[:k]
			}
			break
		}
	}
	for len(ws) > 0 && addressLead[ws[0].key] && !(ws[0].key == "the" && len(ws) > 1 && !addressLead[ws[1].key]) {
		ws = ws[1:] // but keep "The Old Mill"
	}
	for len(ws) > 0 && addressTrail[ws[len(ws)-1].key] {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 || len(ws) > 12 || addressNot[ws[0].key] {
		return ""
	}
	return formatAddressLine(part, ws)
}
