package redisstore

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/bot"
)

// TestParseChatLine reads the compact lines Commit writes, the JSON lines
// of earlier versions, and refuses anything else.
func TestParseChatLine(t *testing.T) {
	at := time.UnixMilli(1764000000123).UTC()
	cases := []struct {
		raw  string
		want bot.ChatLine
		ok   bool
	}{
		{chatHead(at) + "<my tap drips", bot.ChatLine{At: at, In: true, Text: "my tap drips"}, true},
		{chatHead(at) + ">What's the address? <b>", bot.ChatLine{At: at, Text: "What's the address? <b>"}, true},
		{chatHead(at) + "<", bot.ChatLine{At: at, In: true}, true},
		{`{"at":"2025-11-24T16:00:00.123Z","in":true,"text":"old"}`, bot.ChatLine{At: at, In: true, Text: "old"}, true},
		{"", bot.ChatLine{}, false},
		{"<no time", bot.ChatLine{}, false},
		{"12x3<text", bot.ChatLine{}, false},
		{`{"at":`, bot.ChatLine{}, false},
	}
	for _, c := range cases {
		got, ok := parseChatLine(c.raw)
		if ok != c.ok || (ok && !cmp.Equal(got, c.want)) {
			t.Errorf("parseChatLine(%q) = %+v, %v; want %+v, %v", c.raw, got, ok, c.want, c.ok)
		}
	}
	if got := chatText("bad \xff text"); got != "bad \ufffd text" {
		t.Errorf("chatText of invalid UTF-8 = %q", got)
	}
}
