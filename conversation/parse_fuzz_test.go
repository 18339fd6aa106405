package conversation

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var normalisedPostcodeRe = regexp.MustCompile(`^(?:[A-Z]{1,2}[0-9][A-Z0-9]?(?: [0-9][A-Z]{2})?|[0-9]{5})$`)

// FuzzParsers feeds any text to every parser: none may panic, and each
// result must be well formed.
func FuzzParsers(f *testing.F) {
	for _, s := range []string{
		"burst pipe at 12 Oak Rd SW1A 1AA, I'm Sam",
		"flat 3, 22 high street, m14 5ab",
		"Apt 4B, 350 5th Avenue, New York, NY 10118",
		"12345 Main St",
		"it's a Worcester Bosch Greenstar 30i showing EA",
		"tomorrow morning", "Tue 9-11", "10am-12pm", "2", "the second one", "24th", "25/3",
		"cancel", "can someone call me", "how much?", "start over",
		"actually it's 14 Oak Rd", "no wait, it's flat 3",
		"yes please 👍", "no, that's fine", "Dr. O'Neil", "I'm worried",
		"\xff\xfe", "’’’", "K", "ſ", "#", "-", "1-", "a.m.", "9.", ":30", "fifth", "middle", "99999999th",
	} {
		f.Add(s, "GB", uint8(3))
	}
	f.Add("10001-1234", "US", uint8(2))
	f.Add("M14", "", uint8(0))
	loc := time.FixedZone("test", 3600)
	now := time.Date(2025, 3, 24, 9, 0, 0, 0, loc)
	all := []Slot{
		{Start: now.Add(23 * time.Hour), End: now.Add(25 * time.Hour)},
		{Start: now.Add(28 * time.Hour), End: now.Add(30 * time.Hour)},
		{Start: now.Add(73 * time.Hour), End: now.Add(75 * time.Hour)},
	}
	f.Fuzz(func(t *testing.T, text, region string, n uint8) {
		if in := DetectIntent(text); in < IntentNone || in > IntentReschedule {
			t.Errorf("DetectIntent(%q) = %d, out of range", text, in)
		}
		if pc, ok := FindPostcode(text, region); ok != (pc != "") || ok && !normalisedPostcodeRe.MatchString(pc) {
			t.Errorf("FindPostcode(%q, %q) = %q, %v, want a normalised postcode or \"\", false", text, region, pc, ok)
		} else if ok && !InArea(pc, []string{pc}) {
			t.Errorf("InArea(%q, [%q]) = false, want true", pc, pc)
		}
		InArea(text, []string{region, text})
		if a, ok := FindAddress(text, region); ok != (a.Line != "" || a.Postcode != "") ||
			a.Postcode != "" && !normalisedPostcodeRe.MatchString(a.Postcode) || a.Line != strings.TrimSpace(a.Line) {
			t.Errorf("FindAddress(%q, %q) = %+v, %v, malformed", text, region, a, ok)
		}
		if a, ok := ParseAddressAnswer(text, region); ok != (a.Postcode != "") ||
			ok && !normalisedPostcodeRe.MatchString(a.Postcode) || !ok && a.Line != "" {
			t.Errorf("ParseAddressAnswer(%q, %q) = %+v, %v, malformed", text, region, a, ok)
		}
		if name, ok := FindName(text); !wellFormedName(name, ok, maxNameWords) {
			t.Errorf("FindName(%q) = %q, %v, malformed", text, name, ok)
		}
		if name, ok := ParseNameAnswer(text); !wellFormedName(name, ok, maxNameWords+1) {
			t.Errorf("ParseNameAnswer(%q) = %q, %v, malformed", text, name, ok)
		}
		if yes, ok := ParseYesNo(text); yes && !ok {
			t.Errorf("ParseYesNo(%q) = true, false, want yes only when ok", text)
		}
		slots := all[:int(n)%(len(all)+1)]
		if i, ok := ParseSlotChoice(text, slots, now, loc); ok && (i < 0 || i >= len(slots)) || !ok && i != 0 {
			t.Errorf("ParseSlotChoice(%q, %d slots) = %d, %v, out of range", text, len(slots), i, ok)
		}
		if mm, code := ParseDetails(text); code != strings.TrimSpace(code) || strings.ContainsAny(code, "\t\n") || mm != strings.TrimSpace(mm) {
			t.Errorf("ParseDetails(%q) = %q, %q, malformed", text, mm, code)
		}
		if rest, ok := ParseCorrection(text); ok != (rest != "") || !strings.Contains(text, rest) {
			t.Errorf("ParseCorrection(%q) = %q, %v, want a non-empty part of the text", text, rest, ok)
		}
	})
}

// wellFormedName reports whether a name parser's result is "" with ok false,
// or one to max words without digits or stray spaces.
func wellFormedName(name string, ok bool, max int) bool {
	if !ok {
		return name == ""
	}
	words := strings.Split(name, " ")
	if len(words) == 0 || len(words) > max || containsDigit(name) || !utf8.ValidString(name) {
		return false
	}
	for _, w := range words {
		if w == "" {
			return false
		}
	}
	return true
}
