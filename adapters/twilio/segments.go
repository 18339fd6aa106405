package twilio

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSegments is the most segments Sender puts into one message. Ten GSM-7
// segments (1530 characters) stay under Twilio's 1600-character body limit,
// and carriers deliver longer concatenations unreliably.
const MaxSegments = 10

// The GSM 03.38 default alphabet (without ESC) and its extension table, whose
// characters are sent as ESC + character and so cost two septets.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

// gsmSeptets maps each GSM-7 character to its cost in septets.
var gsmSeptets = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// encoding is how an SMS body is carried: its capacity in units (septets for
// GSM-7, UTF-16 code units for UCS-2) as a single message and per part of a
// concatenated one.
type encoding struct {
	ucs2          bool
	single, multi int
}

var (
	gsm7 = encoding{single: 160, multi: 153}
	ucs2 = encoding{ucs2: true, single: 70, multi: 67}
)

// encodingOf returns GSM-7 when every character of text is in the GSM
// alphabet, UCS-2 otherwise.
func encodingOf(text string) encoding {
	for _, r := range text {
		if gsmSeptets[r] == 0 {
			return ucs2
		}
	}
	return gsm7
}

// cost is what r takes in units; a GSM escape pair or a UTF-16 surrogate pair
// is never split across segments.
func (e encoding) cost(r rune) int {
	if e.ucs2 {
		if r > 0xFFFF {
			return 2
		}
		return 1
	}
	return gsmSeptets[r]
}

// segments counts the segments text takes in encoding e.
func (e encoding) segments(text string) int {
	total := 0
	for _, r := range text {
		total += e.cost(r)
	}
	switch {
	case total == 0:
		return 0
	case total <= e.single:
		return 1
	}
	n, fill := 1, 0
	for _, r := range text {
		c := e.cost(r)
		if fill+c > e.multi {
			n++
			fill = 0
		}
		fill += c
	}
	return n
}

// Segments counts the SMS segments text is billed as: GSM-7 when every
// character is in the GSM alphabet (160 septets single, 153 per concatenated
// part, extension characters such as '€' and '{' cost two), UCS-2 otherwise
// (70 UTF-16 units single, 67 per part; characters outside the BMP cost two).
// An empty text has no segments: it returns 0.
func Segments(text string) int {
	return encodingOf(text).segments(text)
}

// Split cuts text into messages of at most MaxSegments segments each, in
// order. It cuts at the last whitespace of a part (dropping that one
// whitespace character) when that keeps at least half the part, otherwise
// between characters; it never cuts inside a character. Parts that would hold
// only whitespace are dropped. An empty text gives no parts.
func Split(text string) []string {
	return split(text, MaxSegments)
}

// split is Split with the segment limit as a parameter. Every part is counted
// in the encoding of the whole text, which is never less than its own.
func split(text string, maxSegments int) []string {
	e := encodingOf(text)
	var parts []string
	for text != "" {
		if e.segments(text) <= maxSegments {
			parts = appendPart(parts, text)
			break
		}
		end, next := e.cut(text, maxSegments)
		parts = appendPart(parts, text[:end])
		text = text[next:]
	}
	return parts
}

func appendPart(parts []string, p string) []string {
	if strings.TrimSpace(p) == "" {
		return parts
	}
	return append(parts, p)
}

// cut finds where the first part of text ends (end) and the rest starts
// (next), for a text longer than maxSegments segments.
func (e encoding) cut(text string, maxSegments int) (end, next int) {
	limit := e.multi
	if maxSegments == 1 {
		limit = e.single
	}
	n, fill := 1, 0
	space, spaceSize := -1, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		c := e.cost(r)
		if fill+c > limit {
			if n == maxSegments {
				if space > 0 && space >= i/2 {
					return space, space + spaceSize
				}
				return i, i
			}
			n++
			fill = 0
		}
		fill += c
		if unicode.IsSpace(r) {
			space, spaceSize = i, size
		}
		i += size
	}
	return len(text), len(text)
}
