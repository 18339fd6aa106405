package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// techToken is one word, number or symbol of a text, with its byte span in
// the whitespace-normalised text so notes can be cut from it verbatim.
type techToken struct {
	key        string // lower-case letters without apostrophes, digits, or a symbol key
	start, end int
	num        int64   // the value of a digits token; -1 otherwise
	frac       float64 // the value of a decimal token ("1.5"); 0 otherwise
	hash       bool    // digits written after '#'
}

// Symbol keys for tokens that are not words.
const (
	techThumbUp   = "+1"
	techThumbDown = "-1"
	techTime      = "#time" // 10:30
	techDecimal   = "#dec"  // 1.5
	techBig       = "#big"  // too many digits to be a number we use
)

func techIsApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`' || r == '´'
}

func techIsDigit(b byte) bool { return b >= '0' && b <= '9' }

// techTokenize splits s into tokens and reports whether it asks a question.
func techTokenize(s string) ([]techToken, bool) {
	var toks []techToken
	question := false
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case techIsDigit(s[i]) || (r == '#' && i+1 < len(s) && techIsDigit(s[i+1])):
			toks = append(toks, techNumber(s, &i))
		case unicode.IsLetter(r) && !techIsApostrophe(r): // ʼ is a letter to unicode
			toks = append(toks, techWord(s, &i))
		case r == '?':
			question = true
			i += w
		case r == '👍' || r == '👌' || r == '✅' || r == '✔' || r == '☑':
			toks = append(toks, techToken{key: techThumbUp, start: i, end: i + w, num: -1})
			i += w
		case r == '👎' || r == '❌' || r == '✖':
			toks = append(toks, techToken{key: techThumbDown, start: i, end: i + w, num: -1})
			i += w
		default:
			i += w
		}
	}
	return toks, question
}

func techNumber(s string, i *int) techToken {
	t := techToken{start: *i, num: -1}
	if s[*i] == '#' {
		t.hash = true
		*i++
	}
	j := *i
	for j < len(s) && techIsDigit(s[j]) {
		j++
	}
	digits := s[*i:j]
	if j+1 < len(s) && (s[j] == ':' || s[j] == '.') && techIsDigit(s[j+1]) && !t.hash {
		sep := s[j]
		j++
		for j < len(s) && techIsDigit(s[j]) {
			j++
		}
		t.key, t.end, *i = techTime, j, j
		if sep == '.' {
			t.key = techDecimal
			if f, err := strconv.ParseFloat(s[t.start:j], 64); err == nil {
				t.frac = f
			}
		}
		return t
	}
	t.end, *i = j, j
	t.key = digits
	if n, err := strconv.ParseInt(digits, 10, 64); err == nil && len(digits) <= 18 {
		t.num = n
	} else {
		t.key = techBig
	}
	return t
}

func techWord(s string, i *int) techToken {
	t := techToken{start: *i, num: -1}
	var b strings.Builder
	j := *i
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if techIsApostrophe(r) {
			// An apostrophe belongs to the word only between letters.
			if r2, _ := utf8.DecodeRuneInString(s[j+w:]); j+w < len(s) && unicode.IsLetter(r2) {
				j += w
				continue
			}
			break
		}
		if !unicode.IsLetter(r) {
			break
		}
		b.WriteRune(unicode.ToLower(r))
		j += w
	}
	t.end, *i = j, j
	t.key = techFuzzy(techCollapse(b.String()))
	return t
}

// techCollapse shortens runs of three or more equal letters: "yesss" → "yes".
func techCollapse(w string) string {
	rs := []rune(w)
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		n := 1
		for i+n < len(rs) && rs[i+n] == rs[i] {
			n++
		}
		keep := n
		if n >= 3 {
			keep = 1
		}
		for k := 0; k < keep; k++ {
			out = append(out, rs[i])
		}
		i += n - 1
	}
	return string(out)
}
