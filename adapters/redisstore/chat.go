package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"dispatchbot/bot"
)

var _ bot.Transcripts = (*Store)(nil)

// Chat keys, all under the company's hash tag:
//
//	{co}:chat:<address>  list: the last 50 bot.ChatLine of one person as JSON,
//	                     newest last; expires 7 days after the last line
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

// chatHead is the start of a bot.ChatLine's JSON up to its direction, which
// the commit script completes with the direction and the text. It encodes
// at as time.Time.MarshalJSON does.
func chatHead(at time.Time) string {
	var buf [64]byte
	b := append(buf[:0], `{"at":"`...)
	b = at.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","in":`...)
	return string(b)
}

// jsonString encodes text as a JSON string. Valid UTF-8 with nothing to
// escape, the common case, costs one allocation.
func jsonString(text string) string {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 0x20 || c == '"' || c == '\\' {
			return marshalString(text)
		}
	}
	if !utf8.ValidString(text) {
		return marshalString(text)
	}
	return `"` + text + `"`
}

// marshalString encodes text as a JSON string the general way.
func marshalString(text string) string {
	b, _ := json.Marshal(text) // a string always encodes
	return string(b)
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
		var l bot.ChatLine
		if err := json.Unmarshal([]byte(r), &l); err != nil {
			s.obs.StoreError("decode")
			s.log.Warn("redisstore: corrupt transcript line skipped",
				"company", company, "who", who.Masked(), "err", err)
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
