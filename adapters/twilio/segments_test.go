package twilio_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"dispatchbot/adapters/twilio"
)

func TestSegments(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"one gsm char", "a", 1},
		{"160 gsm", strings.Repeat("a", 160), 1},
		{"161 gsm", strings.Repeat("a", 161), 2},
		{"153*2 gsm", strings.Repeat("a", 306), 2},
		{"153*2+1 gsm", strings.Repeat("a", 307), 3},
		{"gsm specials stay gsm", strings.Repeat("£", 80) + strings.Repeat("é", 80), 1},
		{"80 euro signs are 160 septets", strings.Repeat("€", 80), 1},
		{"81 euro signs are 162 septets", strings.Repeat("€", 81), 2},
		{"brace counts double", strings.Repeat("a", 159) + "{", 2},
		{"escape pair not split across segments", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 8), 2},
		{"escape pair pushed to next segment", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), 3}, // 306 septets
		{"70 ucs2", strings.Repeat("ж", 70), 1},
		{"71 ucs2", strings.Repeat("ж", 71), 2},
		{"67*2 ucs2", strings.Repeat("ж", 134), 2},
		{"one non-gsm char makes all ucs2", strings.Repeat("a", 70) + "ç", 2},
		{"emoji is 2 utf-16 units", strings.Repeat("🔧", 35), 1},
		{"36 emoji are 72 units", strings.Repeat("🔧", 36), 2},
		{"surrogate pair not split", strings.Repeat("ж", 66) + "🔧" + strings.Repeat("ж", 5), 2},
		{"surrogate pair pushed to next segment", strings.Repeat("ж", 66) + "🔧" + strings.Repeat("ж", 66), 3}, // 134 units
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := twilio.Segments(tt.text); got != tt.want {
				t.Errorf("Segments(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	words := strings.Repeat("pipe ", 400)   // 2000 GSM chars, spaces to cut at
	solid := strings.Repeat("x", 2000)      // no whitespace at all
	emoji := strings.Repeat("leak 🔧 ", 150) // UCS-2 with surrogate pairs
	euros := strings.Repeat("€", 1000)      // extension chars only
	tests := []struct {
		name      string
		text      string
		wantParts int
	}{
		{"empty", "", 0},
		{"whitespace only", "  \n ", 0},
		{"short", "On my way", 1},
		{"exactly ten segments", strings.Repeat("a", 1530), 1},
		{"gsm words", words, 2},
		{"gsm without spaces", solid, 2},
		{"ucs2 with emoji", emoji, 2},
		{"gsm extension", euros, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := twilio.Split(tt.text)
			if len(parts) != tt.wantParts {
				t.Fatalf("Split(%.20q…) gave %d parts, want %d", tt.text, len(parts), tt.wantParts)
			}
			checkParts(t, tt.text, parts)
		})
	}
}

func TestSplit_CutsAtWhitespace(t *testing.T) {
	text := strings.Repeat("drain ", 300)
	parts := twilio.Split(text)
	if len(parts) < 2 {
		t.Fatalf("Split(%d chars) gave %d parts, want at least 2", len(text), len(parts))
	}
	for i, p := range parts[:len(parts)-1] {
		if !strings.HasSuffix(p, "drain") {
			t.Errorf("part %d ends %q, want a whole word", i, p[len(p)-10:])
		}
	}
	if got := strings.Join(parts, " "); got != text {
		t.Errorf("parts joined with spaces differ from the text")
	}
}

// checkParts checks the properties every split has: each part has 1 to
// MaxSegments segments and is valid UTF-8, and together the parts hold every
// non-whitespace character of text, in order.
func checkParts(tb testing.TB, text string, parts []string) {
	tb.Helper()
	for i, p := range parts {
		if n := twilio.Segments(p); n < 1 || n > twilio.MaxSegments {
			tb.Errorf("part %d has %d segments, want 1..%d", i, n, twilio.MaxSegments)
		}
		if utf8.ValidString(text) && !utf8.ValidString(p) {
			tb.Errorf("part %d is not valid UTF-8: a character was cut", i)
		}
	}
	noSpace := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	if got, want := noSpace(strings.Join(parts, "")), noSpace(text); got != want {
		tb.Errorf("parts hold %d non-space bytes, want the text's %d", len(got), len(want))
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(strings.Repeat("pipe ", 400))
	f.Add(strings.Repeat("leak 🔧 ", 150))
	f.Add(strings.Repeat("€{", 900))
	f.Add(strings.Repeat("ж", 700) + " " + strings.Repeat("a", 900))
	f.Fuzz(func(t *testing.T, text string) {
		checkParts(t, text, twilio.Split(text))
	})
}

func ExampleSegments() {
	fmt.Println(twilio.Segments("Your technician Alice is on the way"))
	fmt.Println(twilio.Segments(strings.Repeat("a", 161)))
	fmt.Println(twilio.Segments("Thanks! 👍"))
	// Output:
	// 1
	// 2
	// 1
}
