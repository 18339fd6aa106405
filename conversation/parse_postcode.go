package conversation

import (
	"regexp"
	"strings"
)

// ukAreas are the letter prefixes of real UK postcode areas; checking them
// keeps "A1 9AB" (a road and a time) from passing as a postcode.
var ukAreas = setOfWords(`AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW
	DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV
	JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR
	RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF
	WN WR WS WV YO ZE`)

// usStates are the two-letter US state and territory codes.
var usStates = setOfWords(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN
	MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP`)

// usStatesWords are state codes that are also everyday words, trusted only
// when typed in capitals.
var usStatesWords = setOfWords("al co de hi id in la me ok or pa ma ne oh as")

var (
	// The inward code's letters never include C, I, K, M, O or V, which also
	// keeps "M25 4PM" and "A1 9AM" from reading as postcodes.
	ukPostcodeRe = regexp.MustCompile(`\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)[ \t]*([0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})\b`)
	ukOutwardRe  = regexp.MustCompile(`^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?$`)
	usZIPRe      = regexp.MustCompile(`\b[0-9]{5}(?:-[0-9]{4})?\b`)
)

// FindPostcode finds a postcode in free text and returns it normalised.
// Region "GB" (or "UK") finds a UK postcode in any case or spacing and
// returns it as "SW1A 1AA"; a text that is only an outward code ("m14")
// gives "M14". Region "US" finds a ZIP or ZIP+4 and returns the five
// digits, preferring one after a state code, else the last, and skipping
// house numbers ("12345 Main St") and parts of longer numbers. Any other
// region tries GB, then US.
func FindPostcode(text, region string) (string, bool) {
	pc, _, _, ok := locatePostcode(text, region)
	return pc, ok
}

// locatePostcode is FindPostcode that also returns where the postcode is.
func locatePostcode(text, region string) (pc string, start, end int, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(region)) {
	case "GB", "UK":
		return locateUKPostcode(text)
	case "US":
		return locateZIP(text)
	}
	if pc, start, end, ok = locateUKPostcode(text); ok {
		return pc, start, end, ok
	}
	return locateZIP(text)
}

func locateUKPostcode(text string) (string, int, int, bool) {
	for _, m := range ukPostcodeRe.FindAllStringSubmatchIndex(text, -1) {
		out := strings.ToUpper(text[m[2]:m[3]])
		if !ukAreas[ukArea(out)] {
			continue
		}
		return out + " " + strings.ToUpper(text[m[4]:m[5]]), m[0], m[1], true
	}
	t := strings.Trim(text, " \t\r\n.,!?")
	if ukOutwardRe.MatchString(t) && ukAreas[ukArea(strings.ToUpper(t))] {
		start := strings.Index(text, t)
		return strings.ToUpper(t), start, start + len(t), true
	}
	return "", 0, 0, false
}

// ukArea is the leading letters of an outward code.
func ukArea(outward string) string {
	i := 0
	for i < len(outward) && outward[i] >= 'A' && outward[i] <= 'Z' {
		i++
	}
	return outward[:i]
}

func locateZIP(text string) (string, int, int, bool) {
	ms := usZIPRe.FindAllStringIndex(text, -1)
	if len(ms) == 0 {
		return "", 0, 0, false
	}
	ws := splitMsgWords(text)
	best, bestState := -1, false
	for k, m := range ms {
		if !plausibleZIP(text, ws, m[0], m[1]) {
			continue
		}
		st := afterStateCode(text, ws, m[0])
		if best < 0 || st || !bestState {
			best, bestState = k, st
		}
	}
	if best < 0 {
		return "", 0, 0, false
	}
	m := ms[best]
	return text[m[0] : m[0]+5], m[0], m[1], true
}

// plausibleZIP rejects a five-digit match that is money, part of a longer
// number such as a phone number or a decimal, or a house number.
func plausibleZIP(text string, ws []msgWord, start, end int) bool {
	if start > 0 && strings.IndexByte("-.,/+$£#€", text[start-1]) >= 0 ||
		start > 1 && text[start-2:start] == "£" {
		return false
	}
	if end < len(text) && strings.IndexByte("-.,/", text[end]) >= 0 &&
		end+1 < len(text) && text[end+1] >= '0' && text[end+1] <= '9' {
		return false
	}
	i := wordStartingAt(ws, start)
	if i < 0 {
		return true
	}
	if i > 0 && !strings.Contains(wordGap(text, ws, i), ",") && isDigits(ws[i-1].key, 3) ||
		i+1 < len(ws) && !strings.Contains(wordGap(text, ws, i+1), ",") && isDigits(ws[i+1].key, 3) {
		return false
	}
	_, street := streetFrom(text, ws, i)
	return !street
}

// afterStateCode reports whether the word before offset start is a US state
// code ("NY 10118", "ny, 10118").
func afterStateCode(text string, ws []msgWord, start int) bool {
	i := wordStartingAt(ws, start)
	if i < 1 || endsSentence(wordGap(text, ws, i)) {
		return false
	}
	p := ws[i-1]
	if !usStates[strings.ToUpper(p.text)] {
		return false
	}
	return p.text == strings.ToUpper(p.text) || !usStatesWords[p.key]
}

// wordStartingAt is the index of the word starting at byte offset start, or -1.
func wordStartingAt(ws []msgWord, start int) int {
	for i, w := range ws {
		if w.start == start {
			return i
		}
	}
	return -1
}

// isDigits reports whether w is all ASCII digits and at least min long.
func isDigits(w string, min int) bool {
	if len(w) < min {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// InArea reports whether a postcode lies in one of the service areas, given
// as prefixes such as "SW1", "M14", "W1", "100" (a ZIP3) or "10001". A UK
// area matches whole districts only: "SW1" covers SW1A 1AA and SW1P 3BU but
// not SW10 1AA, and "M1" covers M1 1AE but not M14 5AB; a letters-only area
// ("SW") covers its districts but "S" does not cover "SW". A ZIP matches on
// plain prefix.
func InArea(postcode string, areas []string) bool {
	pc := normalisePostcode(postcode)
	if pc == "" {
		return false
	}
	zip := isDigits(pc, 1)
	for _, a := range areas {
		area := normalisePostcode(a)
		if area == "" || !strings.HasPrefix(pc, area) {
			continue
		}
		if zip || len(pc) == len(area) {
			return true
		}
		last, next := area[len(area)-1], pc[len(area)]
		switch {
		case digitByte(last) && digitByte(next):
		case upperByte(last) && upperByte(next) && ukArea(area) == area:
		default:
			return true
		}
	}
	return false
}

// normalisePostcode upper-cases a postcode or area, collapses its spaces
// and puts the single space back into a full UK postcode.
func normalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), " "))
	if m := ukPostcodeRe.FindStringSubmatch(s); m != nil && m[0] == s {
		return m[1] + " " + m[2]
	}
	if len(s) == 10 && s[5] == '-' && isDigits(s[:5], 5) {
		return s[:5]
	}
	return s
}

func digitByte(b byte) bool { return b >= '0' && b <= '9' }
func upperByte(b byte) bool { return b >= 'A' && b <= 'Z' }
