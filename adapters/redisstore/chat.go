package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dispatchbot/bot"
)

var _ bot.Transcripts = (*Store)(nil)

// Chat keys, all under the company's hash tag:
//
//	{co}:chat:<address>  list: the last 50 lines to and from one person,
//	                     "<unix ms>" then '<' (heard) or '>' (sent) then the
//	                     text, newest last; expires 7 days after the last line
//	{co}:quiet           set: dispatcher addresses that muted routine alerts
//
// Commit writes both, in its one script.

// chatKey is the suffix of every transcript key, before the address.
const chatKey = "chat:"

// Transcript limits: how many lines a person's transcript keeps and how long
// it lasts after its last line.
const (
	ChatMax = 50
	ChatTTL = 7 * 24 * time.Hour
)

// chatTTLMS and chatTrim are ChatTTL and the LTRIM start keeping ChatMax
// lines, as script arguments; boxed once so that Commit does not box them.
var (
	chatTTLMS any = strconv.FormatInt(ChatTTL.Milliseconds(), 10)
	chatTrim  any = strconv.Itoa(-ChatMax)
)

// chatHead is the start of a transcript line: the unix time in
// milliseconds; the commit script adds '<' (heard) or '>' (sent) and the
// text as it is. Lines are kept this short because every conversation has
// a transcript.
func chatHead(at time.Time) string {
	return strconv.FormatInt(at.UnixMilli(), 10)
}

// chatText is text as a transcript keeps it: valid UTF-8, with anything
// else replaced by U+FFFD.
func chatText(text string) string {
	if utf8.ValidString(text) {
		return text
	}
	return strings.ToValidUTF8(text, "\ufffd")
}

// parseChatLine reads a line written as chatHead describes, or one in the
// JSON of bot.ChatLine that earlier versions wrote.
func parseChatLine(raw string) (bot.ChatLine, bool) {
	if strings.HasPrefix(raw, "{") {
		var l bot.ChatLine
		return l, json.Unmarshal([]byte(raw), &l) == nil
	}
	i := strings.IndexAny(raw, "<>")
	if i <= 0 {
		return bot.ChatLine{}, false
	}
	ms, err := strconv.ParseInt(raw[:i], 10, 64)
	if err != nil {
		return bot.ChatLine{}, false
	}
	return bot.ChatLine{At: time.UnixMilli(ms).UTC(), In: raw[i] == '<', Text: raw[i+1:]}, true
}

// quietArgs appends the quiet changes of a commit to the script's arguments,
// in address order.
func quietArgs(args []any, quiet map[string]bool) ([]any, error) {
	if len(quiet) == 0 {
		return append(args, "0"), nil
	}
	args = append(args, strconv.Itoa(len(quiet)))
	for _, addr := range slices.Sorted(maps.Keys(quiet)) {
		if addr == "" {
			return nil, errors.New("quiet setting without an address")
		}
		on := "0"
		if quiet[addr] {
			on = "1"
		}
		args = append(args, addr, on)
	}
	return args, nil
}

// Transcript returns the last n lines of who's conversation with company,
// oldest first; n <= 0 returns all that are kept (at most ChatMax). A line
// that does not decode is logged and skipped.
func (s *Store) Transcript(ctx context.Context, company string, who bot.Address, n int) ([]bot.ChatLine, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: transcript: %w", err)
	}
	start := int64(0)
	if n > 0 {
		start = -int64(n)
	}
	raw, err := s.rdb.LRange(ctx, s.key(company, chatKey+who.String()), start, -1).Result()
	if err != nil {
		s.obs.StoreError("transcript")
		return nil, fmt.Errorf("redisstore: transcript %s %s: %w", company, who.Masked(), err)
	}
	lines := make([]bot.ChatLine, 0, len(raw))
	for _, r := range raw {
		l, ok := parseChatLine(r)
		if !ok {
			s.obs.StoreError("decode")
			s.log.Warn("redisstore: corrupt transcript line skipped", "company", company, "who", who.Masked())
			continue
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// Quiet reports whether the dispatcher who muted routine alerts of company.
func (s *Store) Quiet(ctx context.Context, company string, who bot.Address) (bool, error) {
	if err := checkCompany(company); err != nil {
		return false, fmt.Errorf("redisstore: quiet: %w", err)
	}
	on, err := s.rdb.SIsMember(ctx, s.key(company, "quiet"), who.String()).Result()
	if err != nil {
		s.obs.StoreError("quiet")
		return false, fmt.Errorf("redisstore: quiet %s %s: %w", company, who.Masked(), err)
	}
	return on, nil
}
