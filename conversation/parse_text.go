package conversation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// msgWord is one word of a customer's message and where it sits in the text.
type msgWord struct {
	text       string // as typed
	key        string // lower case without apostrophes: "Don't" → "dont"
	start, end int    // byte offsets in the message
}

// splitMsgWords splits text into words: runs of letters and digits, joined
// by an apostrophe between letters (don't, O'Neil) or by a hyphen or slash
// between letters or digits (Glow-worm, E-22, 2/1). Everything else separates.
func splitMsgWords(text string) []msgWord {
	var ws []msgWord
	start := -1
	var prev rune
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			prev = r
			i += n
			continue
		}
		if start >= 0 && i+n < len(text) {
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			joins := isApos(r) && unicode.IsLetter(prev) && unicode.IsLetter(next) ||
				(r == '-' || r == '/') && isWordRune(next)
			if joins {
				prev = r
				i += n
				continue
			}
		}
		if start >= 0 {
			ws = append(ws, newMsgWord(text, start, i))
			start = -1
		}
		i += n
	}
	if start >= 0 {
		ws = append(ws, newMsgWord(text, start, len(text)))
	}
	return ws
}

func newMsgWord(text string, start, end int) msgWord {
	t := text[start:end]
	key := strings.Map(func(r rune) rune {
		if isApos(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, t)
	return msgWord{text: t, key: key, start: start, end: end}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isApos(r rune) bool { return r == '\'' || r == '’' || r == '‘' }

// wordGap is the text between word i-1 (or the start) and word i.
func wordGap(text string, ws []msgWord, i int) string {
	if i == 0 {
		return text[:ws[0].start]
	}
	if i >= len(ws) {
		return text[ws[len(ws)-1].end:]
	}
	return text[ws[i-1].end:ws[i].start]
}

// endsSentence reports whether a gap between words ends a sentence or
// a bracketed aside.
func endsSentence(gap string) bool {
	return strings.ContainsAny(gap, ".!?;:\n\r()[]")
}

// endsClause reports whether a gap between words ends a clause: a
// sentence break, a comma or a dash.
func endsClause(gap string) bool {
	return endsSentence(gap) || strings.ContainsAny(gap, ",-–—")
}

// msgClauses splits text into clauses of word keys, hyphenated words split
// into their parts ("call-out" → "call", "out").
func msgClauses(text string) [][]string {
	ws := splitMsgWords(text)
	var out [][]string
	var cur []string
	for i, w := range ws {
		if i > 0 && endsClause(wordGap(text, ws, i)) && len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, strings.FieldsFunc(w.key, func(r rune) bool { return r == '-' || r == '/' })...)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// titleCaseWord title-cases one word: "o'neil" → "O'Neil", "SMITH" →
// "Smith". A word typed in deliberate mixed case ("McDonald") is kept.
func titleCaseWord(w string) string {
	if isMixedCase(w) {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	up := true
	for _, r := range w {
		if up {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		up = isApos(r) || r == '-'
	}
	return b.String()
}

// isMixedCase reports whether w has an upper-case letter after its first
// rune and also a lower-case letter, as in "McDonald" or "ecoTEC".
func isMixedCase(w string) bool {
	upperLater, lower := false, false
	for i, r := range w {
		if unicode.IsLower(r) {
			lower = true
		}
		if i > 0 && unicode.IsUpper(r) {
			upperLater = true
		}
	}
	return upperLater && lower
}

// startsCapital reports whether w begins with an upper-case letter.
func startsCapital(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// lettersOnly reports whether w is made of letters, apostrophes and hyphens
// only, and has at least one letter.
func lettersOnly(w string) bool {
	seen := false
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			seen = true
		case isApos(r), r == '-':
		default:
			return false
		}
	}
	return seen
}

// containsDigit reports whether s holds an ASCII or other decimal digit.
func containsDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// setOfWords builds a set from space-separated words.
func setOfWords(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}
