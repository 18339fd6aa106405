package conversation

import (
	"regexp"
	"strings"
	"unicode"
)

// detailBrand is a make customers name, with the ways they write it.
type detailBrand struct {
	name  string
	forms [][]string // word keys, longest first
	// common is set for brands that are also everyday words ("ideal",
	// "candy"): they count only beside an appliance word or a model.
	common bool
}

// detailBrands lists common boiler, HVAC and appliance makes as
// "Name=form|form" with forms in lower case, longest first.
var detailBrands = buildBrands(
	"Worcester Bosch=worcester bosch|worcester-bosch|worcester", "Vaillant=vaillant", "Baxi=baxi",
	"Ideal=ideal*", "Viessmann=viessmann|viesmann", "Glow-worm=glow worm|glow-worm|glowworm",
	"Potterton=potterton", "Vokera=vokera", "Navien=navien", "Rinnai=rinnai", "Carrier=carrier*",
	"Trane=trane", "Lennox=lennox", "Goodman=goodman*", "Rheem=rheem", "Daikin=daikin",
	"Mitsubishi=mitsubishi electric|mitsubishi", "Fujitsu=fujitsu", "Samsung=samsung", "LG=lg",
	"Whirlpool=whirlpool*", "Bosch=bosch", "Beko=beko", "Hotpoint=hotpoint", "Indesit=indesit",
	"Miele=miele", "AEG=aeg", "Zanussi=zanussi", "Neff=neff", "Siemens=siemens", "Hoover=hoover*",
	"Candy=candy*", "GE=general electric|ge*", "Frigidaire=frigidaire", "Maytag=maytag",
	"KitchenAid=kitchen aid|kitchenaid", "Electrolux=electrolux", "Kenmore=kenmore", "Smeg=smeg",
	"Haier=haier", "Hisense=hisense", "Dyson=dyson",
)

func buildBrands(specs ...string) []detailBrand {
	out := make([]detailBrand, 0, len(specs))
	for _, s := range specs {
		name, forms, _ := strings.Cut(s, "=")
		b := detailBrand{name: name}
		for _, f := range strings.Split(forms, "|") {
			if strings.HasSuffix(f, "*") {
				b.common, f = true, strings.TrimSuffix(f, "*")
			}
			b.forms = append(b.forms, strings.Fields(f))
		}
		out = append(out, b)
	}
	return out
}

var (
	detailApplianceWords = setOfWords(`boiler boilers combi furnace heater pump ac aircon unit condenser washer washing machine
		dryer drier dishwasher fridge freezer refrigerator oven cooker hob range stove microwave hoover vacuum tumble
		extractor hood appliance model`)
	modelSeries = setOfWords(`greenstar ecotec ecofit logic vogue duo platinum pro plus max mini classic compact excel
		ecomax ecoblue vitodens precision titanium esprit isar icos independent promax vision ultracom suprima assure
		unico`)
	codeIntroducers = setOfWords(`error err code fault showing shows showed show displaying displays displayed display
		flashing flashes flash says said saying reads reading lockout`)
	codeSkip = setOfWords(`code error fault is of a an the number message light saying says shows showing with as reads
		it its up on screen display`)
	codeAfter      = setOfWords("error code fault")
	notCodeBefore  = setOfWords("gate door key access alarm safe entry lock keypad wifi pin zip post promo discount voucher booking reference ref area dress")
	notCodeLetters = setOfWords("no it is on an at in to up me my we us so or of as by be do go he if ok oh hi ya yo am pm ah eh um id im ur uk")
	brandContext   = setOfWords("a an my our the its is got have brand make")
	notModelAfter  = setOfWords("years year yrs yr months month days weeks old kw")

	errorCodeRe     = regexp.MustCompile(`^(?:[A-Za-z]{1,3}-?[0-9]{1,4}[A-Za-z]?|[0-9]{1,3}[A-Za-z]{1,2}|[A-Za-z]{2}|[0-9]{1,4})$`)
	bareErrorCodeRe = regexp.MustCompile(`^[A-Z]-?[0-9]{1,3}$`)
)

// ParseDetails picks out the make and model of a boiler or appliance and
// the error code it shows: "it's a Worcester Bosch Greenstar 30i showing EA"
// gives ("Worcester Bosch Greenstar 30i", "EA"); "code F28 on the Baxi"
// gives ("Baxi", "F28"). The make is one of a built-in list of common
// brands; the model is the words right after it that hold digits, are a
// known series or are typed in capitals, or a model number after the
// appliance ("Samsung fridge RS68"). The code follows "error", "code",
// "showing" and the like, or is a bare "F28" in a text about an appliance.
// Either is "" when absent.
func ParseDetails(text string) (makeModel, errorCode string) {
	ws := splitMsgWords(text)
	used := make([]bool, len(ws))
	context := mentionsApplianceWord(ws)
	for i := 0; i < len(ws) && !context; i++ {
		_, n := brandAt(text, ws, i)
		context = n > 0
	}
	if first, last := introducedCode(text, ws, context); first >= 0 {
		for k := first; k <= last; k++ {
			used[k] = true
		}
		errorCode = formatErrorCode(text[ws[first].start:ws[last].end])
	}
	makeModel = findMakeModel(text, ws, used)
	if errorCode == "" && context {
		_, ps, pe, hasPC := locatePostcode(text, "GB")
		for i, w := range ws {
			if !used[i] && bareErrorCodeRe.MatchString(w.text) && !(hasPC && w.start >= ps && w.start < pe) {
				errorCode = w.text
				break
			}
		}
	}
	return makeModel, errorCode
}

// introducedCode finds a code after "error", "code", "showing" and the like,
// or before "error"/"code"/"fault" ("EA fault"), and returns the words it
// spans: one, or two for "F.28" and "EA 229". A bare number counts after
// "error", "fault" or "code" (but not "gate code"), and after "showing" or
// "says" only when the text is about an appliance.
func introducedCode(text string, ws []msgWord, context bool) (first, last int) {
	for i, w := range ws {
		if codeIntroducers[w.key] && !(w.key == "code" && i > 0 && notCodeBefore[ws[i-1].key]) {
			numbers := context || w.key == "error" || w.key == "err" || w.key == "fault" || w.key == "lockout" || w.key == "code"
			for k := i + 1; k < len(ws) && k <= i+4; k++ {
				if endsSentence(strings.Trim(wordGap(text, ws, k), ":")) {
					break
				}
				if dottedCode(text, ws, k) {
					return k, k + 1
				}
				if isErrorCode(ws[k]) && (numbers || !isDigits(ws[k].key, 1)) {
					return k, codeTail(text, ws, k)
				}
				if !codeSkip[ws[k].key] {
					break
				}
			}
		}
		if i+1 < len(ws) && codeAfter[ws[i+1].key] && !endsSentence(wordGap(text, ws, i+1)) &&
			!codeIntroducers[w.key] && !codeSkip[w.key] && isErrorCode(w) && !isDigits(w.key, 1) {
			return i, i
		}
	}
	return -1, -1
}

// dottedCode reports whether words k and k+1 are a code written with a dot,
// like Vaillant's "F.28".
func dottedCode(text string, ws []msgWord, k int) bool {
	return k+1 < len(ws) && wordGap(text, ws, k+1) == "." && lettersOnly(ws[k].key) && len(ws[k].key) <= 2 &&
		isDigits(ws[k+1].key, 1) && len(ws[k+1].key) <= 3
}

// codeTail extends a letter code at word k over the number that belongs to
// it, as in Worcester Bosch's "EA 229".
func codeTail(text string, ws []msgWord, k int) int {
	if k+1 < len(ws) && lettersOnly(ws[k].key) && len(ws[k].key) >= 2 && wordGap(text, ws, k+1) == " " &&
		isDigits(ws[k+1].key, 3) && len(ws[k+1].key) == 3 {
		return k + 1
	}
	return k
}

// isErrorCode reports whether w looks like a displayed error code. Two letters
// count when typed with a capital or when not an everyday word.
func isErrorCode(w msgWord) bool {
	if !errorCodeRe.MatchString(w.text) {
		return false
	}
	if len(w.text) == 2 && lettersOnly(w.text) {
		return strings.IndexFunc(w.text, unicode.IsUpper) >= 0 || !notCodeLetters[w.key]
	}
	return true
}

// formatErrorCode upper-cases a code typed in lower case and keeps mixed case
// such as Samsung's "dE".
func formatErrorCode(c string) string {
	if strings.IndexFunc(c, unicode.IsUpper) < 0 {
		return strings.ToUpper(c)
	}
	return c
}

func mentionsApplianceWord(ws []msgWord) bool {
	for _, w := range ws {
		if detailApplianceWords[w.key] {
			return true
		}
	}
	return false
}

// findMakeModel finds the first brand and the model words after it, marking
// the words it takes as used.
func findMakeModel(text string, ws []msgWord, used []bool) string {
	for i := range ws {
		b, n := brandAt(text, ws, i)
		if n == 0 {
			continue
		}
		parts := []string{b.name}
		k := i + n
		if m := modelAfterAppliance(text, ws, k, used); m > k {
			used[m] = true
			parts = append(parts, ws[m].text)
			k = m + 1
		}
		for ; k < len(ws) && len(parts) < 5; k++ {
			w := ws[k]
			if used[k] || strings.TrimSpace(wordGap(text, ws, k)) != "" || !modelWord(w) {
				break
			}
			if isDigits(w.key, 1) && k+1 < len(ws) && notModelAfter[ws[k+1].key] {
				break
			}
			used[k] = true
			parts = append(parts, w.text)
		}
		if b.common && k == i+n && !brandInContext(text, ws, i, n) {
			continue
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// modelAfterAppliance finds a model number after the appliance words that
// follow a brand ("Samsung fridge freezer RS68"): the index of the model
// word, or k when there is none.
func modelAfterAppliance(text string, ws []msgWord, k int, used []bool) int {
	j := k
	for j < len(ws) && j < k+3 && detailApplianceWords[ws[j].key] && strings.TrimSpace(wordGap(text, ws, j)) == "" {
		j++
	}
	if j == k || j >= len(ws) || used[j] || strings.TrimSpace(wordGap(text, ws, j)) != "" {
		return k
	}
	letters, digits := 0, 0
	for _, r := range ws[j].text {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	if letters < 2 || digits < 2 || len(ws[j].text) < 4 {
		return k
	}
	return j
}

// brandAt matches a brand starting at word i and returns how many words it
// took.
func brandAt(text string, ws []msgWord, i int) (detailBrand, int) {
	for _, b := range detailBrands {
	forms:
		for _, f := range b.forms {
			if i+len(f) > len(ws) {
				continue
			}
			for k, part := range f {
				if ws[i+k].key != part || k > 0 && strings.TrimSpace(wordGap(text, ws, i+k)) != "" {
					continue forms
				}
			}
			if b.name == "GE" && len(f) == 1 && ws[i].text != "GE" {
				continue
			}
			return b, len(f)
		}
	}
	return detailBrand{}, 0
}

// brandInContext reports whether an everyday-word brand at word i is used as
// a make: "my Ideal boiler", "it's a Carrier".
func brandInContext(text string, ws []msgWord, i, n int) bool {
	if i+n < len(ws) && detailApplianceWords[ws[i+n].key] {
		return true
	}
	return startsCapital(ws[i].text) && i > 0 && brandContext[ws[i-1].key] && !endsSentence(wordGap(text, ws, i))
}

// modelWord reports whether w can be part of a model name: it has a digit,
// is a known series, or is typed in capitals or mixed case (ecoTEC).
func modelWord(w msgWord) bool {
	if codeIntroducers[w.key] || detailApplianceWords[w.key] || nameStop[w.key] && !modelSeries[w.key] {
		return false
	}
	if containsDigit(w.text) || modelSeries[w.key] || isMixedCase(w.text) {
		return true
	}
	return len(w.text) >= 2 && w.text == strings.ToUpper(w.text) && strings.IndexFunc(w.text, unicode.IsUpper) >= 0
}
