package telegram

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessageUnits is Telegram's limit on a message's text, counted in UTF-16
// code units.
const maxMessageUnits = 4096

// separators are the places a long text may break, best first.
var separators = []string{"\n\n", "\n", " "}

// splitText cuts text into parts of at most max UTF-16 code units each.
//
// A text that fits is returned as it is ("" gives no parts). Otherwise each
// part ends at the last blank line that fits, else the last newline, else the
// last space, taking a break only in the second half of the room (so an
// early blank line does not make a tiny part); with no such break the text
// is cut hard at a rune boundary, so no rune or surrogate pair is split.
// Whitespace around each break and at both ends of the text is dropped
// (Telegram trims messages anyway), so the text equals
// w0 + p1 + w1 + p2 + … + pn + wn, where every wi is whitespace and every
// part starts and ends with a non-space character.
func splitText(text string, max int) []string {
	if text == "" {
		return nil
	}
	if prefixWithin(text, max) == len(text) {
		return []string{text}
	}
	var parts []string
	for text = strings.TrimFunc(text, unicode.IsSpace); text != ""; {
		fit := prefixWithin(text, max)
		if fit == 0 { // max is below one rune's width; never loop forever
			_, fit = utf8.DecodeRuneInString(text)
		}
		if fit == len(text) {
			parts = append(parts, text)
			break
		}
		cut := breakAt(text, fit, max)
		if cut == 0 {
			cut = fit
		}
		if part := strings.TrimRightFunc(text[:cut], unicode.IsSpace); part != "" {
			parts = append(parts, part)
		}
		text = strings.TrimLeftFunc(text[cut:], unicode.IsSpace)
	}
	return parts
}

// breakAt returns the byte index of the separator at which to end the part
// that starts text, given that text[:fit] is the most that fits, or 0 when
// there is none in the second half of the room. A separator may start
// anywhere up to fit, since it is dropped.
func breakAt(text string, fit, max int) int {
	for _, sep := range separators {
		i := strings.LastIndex(text[:min(fit+len(sep), len(text))], sep)
		if i > 0 && utf16Len(text[:i]) >= max/2 {
			return i
		}
	}
	return 0
}

// prefixWithin returns the byte length of the longest prefix of s, ending on
// a rune boundary, that is at most max UTF-16 code units long.
func prefixWithin(s string, max int) int {
	units := 0
	for i, r := range s {
		n := runeUnits(r)
		if units+n > max {
			return i
		}
		units += n
	}
	return len(s)
}

// utf16Len counts the UTF-16 code units of s, the way Telegram measures text.
// An invalid byte counts as one unit, as its replacement character would.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

// runeUnits is the number of UTF-16 code units that encode r.
func runeUnits(r rune) int {
	if r > 0xFFFF && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
