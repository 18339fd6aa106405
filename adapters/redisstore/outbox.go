package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
)

// group is the consumer group every delivery worker reads the outbox through.
const group = "delivery"

// reasonUndecodable is the dead-letter reason of entries that do not decode.
const reasonUndecodable = "undecodable"

// retryMember is one scheduled retry, the member of the retry sorted set.
// Every field is a string so that the promote script can copy them verbatim.
type retryMember struct {
	ID string `json:"id"` // the outbox entry it came from; keeps equal messages distinct
	M  string `json:"m"`  // the bot.Outbound as JSON
	A  string `json:"a"`  // failed attempts so far
	T  string `json:"t"`  // first enqueued, unix ms
}

// ensureGroup creates the company's outbox stream and consumer group the
// first time this Store reads it. The group starts at "0" so that messages
// committed before the first read are delivered too.
func (s *Store) ensureGroup(ctx context.Context, company string) error {
	s.groupsMu.Lock()
	ok := s.groups[company]
	s.groupsMu.Unlock()
	if ok {
		return nil
	}
	err := s.rdb.XGroupCreateMkStream(ctx, s.key(company, "outbox"), group, "0").Err()
	if err != nil && !redis.HasErrorPrefix(err, "BUSYGROUP") {
		return fmt.Errorf("create group: %w", err)
	}
	s.groupsMu.Lock()
	s.groups[company] = true
	s.groupsMu.Unlock()
	return nil
}

// withGroup runs op, recreating the consumer group once if Redis lost it
// (for example after a flush) since this Store cached that it exists.
func (s *Store) withGroup(ctx context.Context, company string, op func() error) error {
	for try := 0; ; try++ {
		if err := s.ensureGroup(ctx, company); err != nil {
			return err
		}
		err := op()
		if try == 0 && redis.HasErrorPrefix(err, "NOGROUP") {
			s.groupsMu.Lock()
			delete(s.groups, company)
			s.groupsMu.Unlock()
			continue
		}
		return err
	}
}

// Read takes up to count new entries of company for consumer, waiting up to
// block for the first. Entries that do not decode are moved to the dead
// letters and left out.
func (s *Store) Read(ctx context.Context, company, consumer string, count int, block time.Duration) ([]bot.Envelope, error) {
	if err := checkConsumer(company, consumer); err != nil {
		return nil, fmt.Errorf("redisstore: read %s: %w", company, err)
	}
	if count <= 0 {
		return nil, nil
	}
	args := &redis.XReadGroupArgs{
		Group:    group,
		Consumer: consumer,
		Streams:  []string{s.key(company, "outbox"), ">"},
		Count:    int64(count),
		Block:    -1, // no BLOCK: return at once
	}
	if block >= time.Millisecond { // BLOCK 0 would wait forever
		args.Block = block
	}
	var streams []redis.XStream
	err := s.withGroup(ctx, company, func() error {
		var err error
		streams, err = s.rdb.XReadGroup(ctx, args).Result()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		s.obs.StoreError("read")
		return nil, fmt.Errorf("redisstore: read %s: %w", company, err)
	}
	var msgs []redis.XMessage
	for _, st := range streams {
		msgs = append(msgs, st.Messages...)
	}
	return s.decodeEntries(ctx, company, msgs), nil
}

// Reclaim takes up to count entries of company that have been pending longer
// than minIdle with any consumer, in one XAUTOCLAIM pass from the start.
func (s *Store) Reclaim(ctx context.Context, company, consumer string, minIdle time.Duration, count int) ([]bot.Envelope, error) {
	if err := checkConsumer(company, consumer); err != nil {
		return nil, fmt.Errorf("redisstore: reclaim %s: %w", company, err)
	}
	if count <= 0 {
		return nil, nil
	}
	var msgs []redis.XMessage
	err := s.withGroup(ctx, company, func() error {
		var err error
		msgs, _, err = s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream:   s.key(company, "outbox"),
			Group:    group,
			Consumer: consumer,
			MinIdle:  minIdle,
			Start:    "0-0",
			Count:    int64(count),
		}).Result()
		return err
	})
	if err != nil {
		s.obs.StoreError("reclaim")
		return nil, fmt.Errorf("redisstore: reclaim %s: %w", company, err)
	}
	return s.decodeEntries(ctx, company, msgs), nil
}

// checkConsumer validates the company and consumer names of a read.
func checkConsumer(company, consumer string) error {
	if err := checkCompany(company); err != nil {
		return err
	}
	if consumer == "" {
		return errors.New("empty consumer name")
	}
	return nil
}

// decodeEntries turns stream entries into envelopes. An entry that does not
// decode must not wedge the queue: it goes to the dead letters and is logged.
func (s *Store) decodeEntries(ctx context.Context, company string, msgs []redis.XMessage) []bot.Envelope {
	envs := make([]bot.Envelope, 0, len(msgs))
	for _, msg := range msgs {
		env, err := decodeEntry(msg)
		if err == nil {
			envs = append(envs, env)
			continue
		}
		s.obs.StoreError("decode")
		s.log.Warn("redisstore: undecodable outbox entry moved to dead letters",
			"company", company, "entry", msg.ID, "err", err)
		field := func(k string) string { v, _ := msg.Values[k].(string); return v }
		err = buryScript.Run(ctx, s.rdb, []string{s.key(company, "outbox"), s.key(company, "outbox:dead")},
			group, msg.ID, field("m"), field("a"), field("t"), reasonUndecodable, s.deadMax).Err()
		if err != nil { // it stays pending; a later Reclaim tries again
			s.obs.StoreError("bury")
			s.log.Error("redisstore: bury undecodable outbox entry",
				"company", company, "entry", msg.ID, "err", err)
		}
	}
	return envs
}

// decodeEntry reads the fields m, a and t of one outbox entry.
func decodeEntry(msg redis.XMessage) (bot.Envelope, error) {
	m, _ := msg.Values["m"].(string)
	a, _ := msg.Values["a"].(string)
	t, _ := msg.Values["t"].(string)
	var out bot.Outbound
	if err := json.Unmarshal([]byte(m), &out); err != nil {
		return bot.Envelope{}, fmt.Errorf("message: %w", err)
	}
	if out.To.ID == "" {
		return bot.Envelope{}, errors.New("message has no recipient")
	}
	attempt, err := strconv.Atoi(a)
	if err != nil {
		return bot.Envelope{}, fmt.Errorf("attempt: %w", err)
	}
	ms, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return bot.Envelope{}, fmt.Errorf("enqueued time: %w", err)
	}
	return bot.Envelope{ID: msg.ID, Message: out, Attempt: attempt, Enqueued: time.UnixMilli(ms).UTC()}, nil
}

// Done acknowledges and deletes delivered entries in one round trip.
func (s *Store) Done(ctx context.Context, company string, ids ...string) error {
	if err := checkCompany(company); err != nil {
		return fmt.Errorf("redisstore: done %s: %w", company, err)
	}
	if len(ids) == 0 {
		return nil
	}
	key := s.key(company, "outbox")
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, key, group, ids...)
		p.XDel(ctx, key, ids...)
		return nil
	})
	if err != nil {
		s.obs.StoreError("done")
		return fmt.Errorf("redisstore: done %s %s: %w", company, strings.Join(ids, ","), err)
	}
	return nil
}

// Retry removes the entry and schedules its message again at at, keeping
// env.Attempt and the first-enqueued time. It does nothing if the entry is no
// longer pending, because another consumer has already settled it.
func (s *Store) Retry(ctx context.Context, env bot.Envelope, at time.Time) error {
	co := env.Message.Company
	if err := checkCompany(co); err != nil {
		return fmt.Errorf("redisstore: retry %s: %w", co, err)
	}
	m, err := json.Marshal(env.Message)
	if err != nil {
		return fmt.Errorf("redisstore: retry %s: encode message: %w", co, err)
	}
	member, err := json.Marshal(retryMember{
		ID: env.ID,
		M:  string(m),
		A:  strconv.Itoa(env.Attempt),
		T:  enqueuedMS(env.Enqueued),
	})
	if err != nil {
		return fmt.Errorf("redisstore: retry %s: encode retry: %w", co, err)
	}
	err = retryScript.Run(ctx, s.rdb, []string{s.key(co, "outbox"), s.key(co, "outbox:retry")},
		group, env.ID, strconv.FormatInt(at.UnixMilli(), 10), member).Err()
	if err != nil {
		s.obs.StoreError("retry")
		return fmt.Errorf("redisstore: retry %s %s: %w", co, env.ID, err)
	}
	return nil
}

// Bury removes the entry and appends it to the company's dead letters with
// reason. It does nothing if the entry is no longer pending.
func (s *Store) Bury(ctx context.Context, env bot.Envelope, reason string) error {
	co := env.Message.Company
	if err := checkCompany(co); err != nil {
		return fmt.Errorf("redisstore: bury %s: %w", co, err)
	}
	m, err := json.Marshal(env.Message)
	if err != nil {
		return fmt.Errorf("redisstore: bury %s: encode message: %w", co, err)
	}
	err = buryScript.Run(ctx, s.rdb, []string{s.key(co, "outbox"), s.key(co, "outbox:dead")},
		group, env.ID, m, strconv.Itoa(env.Attempt), enqueuedMS(env.Enqueued), reason, s.deadMax).Err()
	if err != nil {
		s.obs.StoreError("bury")
		return fmt.Errorf("redisstore: bury %s %s: %w", co, env.ID, err)
	}
	return nil
}

// enqueuedMS formats t as unix ms; a zero t means now.
func enqueuedMS(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// Promote moves up to limit retries of company due at now back into the
// outbox, each exactly once across instances, and returns how many moved.
func (s *Store) Promote(ctx context.Context, company string, now time.Time, limit int) (int, error) {
	if err := checkCompany(company); err != nil {
		return 0, fmt.Errorf("redisstore: promote %s: %w", company, err)
	}
	if limit <= 0 {
		return 0, nil
	}
	keys := []string{s.key(company, "outbox:retry"), s.key(company, "outbox"), s.key(company, "outbox:dead")}
	res, err := promoteScript.Run(ctx, s.rdb, keys,
		strconv.FormatInt(now.UnixMilli(), 10), strconv.Itoa(limit), s.deadMax).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected script result %v", res)
	}
	if err != nil {
		s.obs.StoreError("promote")
		return 0, fmt.Errorf("redisstore: promote %s: %w", company, err)
	}
	if res[1] > 0 {
		s.obs.StoreError("decode")
		s.log.Warn("redisstore: undecodable retries moved to dead letters", "company", company, "count", res[1])
	}
	return int(res[0]), nil
}

// OptedOut reports whether addr has opted out of messages from company.
func (s *Store) OptedOut(ctx context.Context, company string, addr bot.Address) (bool, error) {
	if err := checkCompany(company); err != nil {
		return false, fmt.Errorf("redisstore: opted out %s: %w", company, err)
	}
	out, err := s.rdb.SIsMember(ctx, s.key(company, "optout"), addr.String()).Result()
	if err != nil {
		s.obs.StoreError("opted_out")
		return false, fmt.Errorf("redisstore: opted out %s %s: %w", company, addr.Masked(), err)
	}
	return out, nil
}

// OptOuts reports, for each of addrs, whether it has opted out of messages
// from company, in one SMISMEMBER.
func (s *Store) OptOuts(ctx context.Context, company string, addrs []bot.Address) ([]bool, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: opt-outs %s: %w", company, err)
	}
	if len(addrs) == 0 {
		return nil, nil
	}
	members := make([]any, len(addrs))
	for i, a := range addrs {
		members[i] = a.String()
	}
	out, err := s.rdb.SMIsMember(ctx, s.key(company, "optout"), members...).Result()
	if err == nil && len(out) != len(addrs) {
		err = fmt.Errorf("%d answers for %d addresses", len(out), len(addrs))
	}
	if err != nil {
		s.obs.StoreError("opted_out")
		return nil, fmt.Errorf("redisstore: opt-outs %s: %w", company, err)
	}
	return out, nil
}

// Depth counts the messages of company not yet done: entries in the outbox
// stream (new or being delivered) plus scheduled retries.
func (s *Store) Depth(ctx context.Context, company string) (int64, error) {
	if err := checkCompany(company); err != nil {
		return 0, fmt.Errorf("redisstore: depth %s: %w", company, err)
	}
	var stream, retries *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		stream = p.XLen(ctx, s.key(company, "outbox"))
		retries = p.ZCard(ctx, s.key(company, "outbox:retry"))
		return nil
	})
	if err != nil {
		s.obs.StoreError("depth")
		return 0, fmt.Errorf("redisstore: depth %s: %w", company, err)
	}
	return stream.Val() + retries.Val(), nil
}
