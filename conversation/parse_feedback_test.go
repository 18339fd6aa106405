package conversation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseFeedback(t *testing.T) {
	tests := []struct {
		text    string
		score   int
		comment string
		ok      bool
	}{
		{"5", 5, "", true},
		{"5!", 5, "", true},
		{" 4 ", 4, "", true},
		{"1", 1, "", true},
		{"4/5", 4, "", true},
		{"4 / 5", 4, "", true},
		{"4 out of 5", 4, "", true},
		{"3 outta 5", 3, "", true},
		{"5 stars", 5, "", true},
		{"1 star", 1, "", true},
		{"5*", 5, "", true},
		{"five", 5, "", true},
		{"Four", 4, "", true},
		{"FIVE!", 5, "", true},
		{"four out of five", 4, "", true},
		{"ten out of ten", 5, "", true},
		{"10/10", 5, "", true},
		{"8/10", 4, "", true},
		{"1/10", 1, "", true},
		{"4.5", 5, "", true},
		{"3.5/5 a bit slow", 4, "a bit slow", true},
		{"⭐⭐⭐⭐", 4, "", true},
		{"⭐️⭐️⭐️⭐️⭐️", 5, "", true},
		{"★★★☆☆ late again", 3, "late again", true},
		{"*****", 5, "", true},
		{"**", 2, "", true},
		{"really tidy work ⭐⭐⭐⭐⭐", 5, "really tidy work", true},
		{"3 - ok but late", 3, "ok but late", true},
		{"5 great job thanks", 5, "great job thanks", true},
		{"great job, 5", 5, "great job", true},
		{"Great job. 4/5", 4, "Great job", true},
		{"great job 5", 5, "great job", true},
		{"quick and friendly - 5 stars", 5, "quick and friendly", true},
		{"2, he left a mess", 2, "he left a mess", true},
		{"1. Never turned up", 1, "Never turned up", true},
		{"I'd give it a 4", 4, "", true},
		{"id rate you 5, lovely chap", 5, "lovely chap", true},
		{"Rating: 3", 3, "", true},
		{"fixed it fast, I'd give it a 5", 5, "fixed it fast", true},
		{"five, brilliant", 5, "brilliant", true},
		{"4 " + strings.Repeat("x", 600), 4, strings.Repeat("x", 500), true},
		// not a score
		{"", 0, "", false},
		{"   ", 0, "", false},
		{"0", 0, "", false},
		{"0/5", 0, "", false},
		{"6", 0, "", false},
		{"6/5", 0, "", false},
		{"15", 0, "", false},
		{"10", 0, "", false},
		{"ten", 0, "", false},
		{"3/4", 0, "", false},
		{"25/3", 0, "", false},
		{"call me", 0, "", false},
		{"2pm tomorrow?", 0, "", false},
		{"2 pm tomorrow", 0, "", false},
		{"2:30", 0, "", false},
		{"2 days late", 0, "", false},
		{"07700 900123", 0, "", false},
		{"+44 7700 900123", 0, "", false},
		{"call me on 07700 900 123", 0, "", false},
		{"the tech arrived at 5", 0, "", false},
		{"one more thing", 0, "", false},
		{"great job", 0, "", false},
		{"**bold** claim", 0, "", false},
		{"* the tech was late", 0, "", false},
		{"1st class service", 0, "", false},
		{"👍", 0, "", false},
	}
	for _, tt := range tests {
		score, comment, ok := ParseFeedback(tt.text)
		if score != tt.score || comment != tt.comment || ok != tt.ok {
			t.Errorf("ParseFeedback(%q) = %d, %q, %v, want %d, %q, %v", tt.text, score, comment, ok, tt.score, tt.comment, tt.ok)
		}
	}
}

// FuzzParseFeedback: no text makes ParseFeedback panic, a score is always
// 1 to 5, and the comment is trimmed, valid and at most 500 characters.
func FuzzParseFeedback(f *testing.F) {
	for _, s := range []string{"5", "4/5", "10/10", "⭐⭐⭐⭐", "3 - ok but late", "great job, 5", "2pm tomorrow?",
		"07700 900123", "five", "★★☆ x", "**", "4.5", "9,9/10", "\xff5", "5\xff", "a 5", "\u00a05\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		score, comment, ok := ParseFeedback(text)
		if !ok {
			if score != 0 || comment != "" {
				t.Fatalf("ParseFeedback(%q) = %d, %q, false, want zero values", text, score, comment)
			}
			return
		}
		if score < 1 || score > 5 {
			t.Fatalf("ParseFeedback(%q) score = %d, want 1..5", text, score)
		}
		if comment != strings.TrimSpace(comment) || !utf8.ValidString(comment) || utf8.RuneCountInString(comment) > maxFeedbackComment {
			t.Fatalf("ParseFeedback(%q) comment = %q, not trimmed, invalid or too long", text, comment)
		}
	})
}
