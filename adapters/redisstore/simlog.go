package redisstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
)

var _ bot.SimLog = (*Store)(nil)

// Simulator keys, under the company's hash tag:
//
//	{co}:sim:seq  string: the last sequence number handed out
//	{co}:sim      sorted set: the newest SimMax bot.SimMessage as JSON, scored by Seq

// SimMax caps each company's simulator log.
const SimMax = 2000

// simDefaultLimit is how many messages SimMessages returns when not told.
const simDefaultLimit = 200

// simSeqHead is how a bot.SimMessage with Seq 0 starts in JSON; the append
// script puts the real number in its place.
var simSeqHead = []byte(`{"seq":0,`)

// simTrim is the ZREMRANGEBYRANK end that keeps SimMax members.
var simTrim = strconv.Itoa(-SimMax - 1)

// AppendSim numbers m (its Seq is ignored) with the company's next sequence
// number, adds it to the simulator log, keeping the newest SimMax, and
// returns the number. It is one round trip.
func (s *Store) AppendSim(ctx context.Context, company string, m bot.SimMessage) (int64, error) {
	if err := checkCompany(company); err != nil {
		return 0, fmt.Errorf("redisstore: append sim: %w", err)
	}
	m.Seq = 0
	b, err := json.Marshal(m)
	if err != nil {
		return 0, fmt.Errorf("redisstore: append sim %s: encode: %w", company, err)
	}
	if !bytes.HasPrefix(b, simSeqHead) {
		return 0, fmt.Errorf("redisstore: append sim %s: encoding does not start with %s", company, simSeqHead)
	}
	keys := []string{s.key(company, "sim:seq"), s.key(company, "sim")}
	res, err := appendSimScript.Run(ctx, s.rdb, keys, b[len(simSeqHead):], simTrim).Text()
	if err != nil {
		s.obs.StoreError("append_sim")
		return 0, fmt.Errorf("redisstore: append sim %s: %w", company, err)
	}
	seq, err := strconv.ParseInt(res, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("redisstore: append sim %s: sequence %q: %w", company, res, err)
	}
	return seq, nil
}

// SimMessages returns company's simulator messages numbered after after,
// oldest first, at most limit of them (200 when limit <= 0). A message that
// does not decode is logged and skipped.
func (s *Store) SimMessages(ctx context.Context, company string, after int64, limit int) ([]bot.SimMessage, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: sim messages: %w", err)
	}
	if limit <= 0 {
		limit = simDefaultLimit
	}
	raw, err := s.rdb.ZRangeByScore(ctx, s.key(company, "sim"), &redis.ZRangeBy{
		Min:   "(" + strconv.FormatInt(after, 10),
		Max:   "+inf",
		Count: int64(limit),
	}).Result()
	if err != nil {
		s.obs.StoreError("sim_messages")
		return nil, fmt.Errorf("redisstore: sim messages %s: %w", company, err)
	}
	msgs := make([]bot.SimMessage, 0, len(raw))
	for _, r := range raw {
		var m bot.SimMessage
		err := json.Unmarshal([]byte(r), &m)
		if err == nil && m.Seq <= after {
			err = errors.New("sequence number out of place")
		}
		if err != nil {
			s.obs.StoreError("decode")
			s.log.Warn("redisstore: corrupt simulator message skipped", "company", company, "err", err)
			continue
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}
