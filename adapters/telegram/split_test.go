package telegram_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/telegram"
)

func TestSplitText(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		{"empty", "", 10, nil},
		{"short", "hello", 10, []string{"hello"}},
		{"exactly the limit", "0123456789", 10, []string{"0123456789"}},
		{"one over, no separator/hard cut", "0123456789a", 10, []string{"0123456789", "a"}},
		{"space", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"space just past the limit", "aaaaaaaaaa bbb", 10, []string{"aaaaaaaaaa", "bbb"}},
		{"blank line beats newline and space", "aaaaaaaaaa\n\nbbb\ncc dd eeeeee", 20,
			[]string{"aaaaaaaaaa", "bbb\ncc dd eeeeee"}},
		{"newline beats space", "aaaaaaaaaaa\nbb cc dd eeeeee", 20, []string{"aaaaaaaaaaa", "bb cc dd eeeeee"}},
		{"early blank line ignored", "aa\n\nbbbbbb cccccc dddddd", 20, []string{"aa\n\nbbbbbb cccccc", "dddddd"}},
		{"several parts", "aaa bbb ccc ddd eee", 7, []string{"aaa bbb", "ccc ddd", "eee"}},
		{"whitespace only", "     ", 3, nil},
		{"leading whitespace dropped when split", "   aaaa bbbb", 8, []string{"aaaa", "bbbb"}},
		{"whitespace run at the break dropped", "aaaa        bbbb", 6, []string{"aaaa", "bbbb"}},
		{"blank tail dropped", "aaaaaaaaaa \n\n  ", 10, []string{"aaaaaaaaaa"}},
		{"emoji/no surrogate pair split", "😀😀😀", 5, []string{"😀😀", "😀"}},
		{"emoji/odd offset", "x😀😀😀", 5, []string{"x😀😀", "😀"}},
		{"emoji/between words", "ab 😀😀 cd", 6, []string{"ab 😀", "😀 cd"}},
		{"CJK counts one unit per rune, not per byte", "日本語です", 3, []string{"日本語", "です"}},
		{"accents", "ééééé ééééé", 6, []string{"ééééé", "ééééé"}},
		{"invalid UTF-8 bytes count one unit each", strings.Repeat("\xff", 12), 10,
			[]string{strings.Repeat("\xff", 10), "\xff\xff"}},
		{"limit below one rune's width", "😀😀", 1, []string{"😀", "😀"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := telegram.SplitText(tt.text, tt.max)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SplitText(%q, %d) (-want +got):\n%s", tt.text, tt.max, diff)
			}
			checkParts(t, tt.text, got, tt.max)
		})
	}
}

func TestSplitTextTelegramSizes(t *testing.T) {
	para := strings.TrimSpace(strings.Repeat("The boiler pressure dropped overnight. ", 60)) // ~2300 units
	tests := []struct {
		name      string
		text      string
		wantParts int
	}{
		{"two paragraphs fit", para[:2000] + "\n\n" + para[:2000], 1},
		{"three paragraphs", para + "\n\n" + para + "\n\n" + para, 3},
		{"lines", strings.Repeat("line of text\n", 700), 3},
		{"emoji only", strings.Repeat("🔧", 5000), 3},
		{"mixed", strings.Repeat("Plumber 🚐 on the way, ETA 10 min.\n", 300), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := telegram.SplitText(tt.text, 4096)
			if len(got) != tt.wantParts {
				t.Errorf("SplitText(%s) gave %d parts, want %d", tt.name, len(got), tt.wantParts)
			}
			checkParts(t, tt.text, got, 4096)
		})
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("aaaa bbbb\n\ncccc\ndddd", 6)
	f.Add("😀 😀\n😀😀😀", 3)
	f.Add("  \n\n  x  ", 2)
	f.Fuzz(func(t *testing.T, text string, max int) {
		if max < 1 || max > 64 {
			t.Skip()
		}
		got := telegram.SplitText(text, max)
		if strings.TrimSpace(text) == "" && len(got) > 1 {
			t.Errorf("SplitText(%q, %d) = %q, want at most one part for blank text", text, max, got)
		}
		if strings.TrimSpace(text) != "" {
			checkParts(t, text, got, max)
		}
	})
}
