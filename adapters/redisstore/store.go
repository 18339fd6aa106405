// Package redisstore keeps dispatchbot's state in Redis: conversation
// sessions, dedupe marks, opt-outs, and the per-company outbox with its retry
// schedule and dead letters. Every key of one company carries the company id
// as a Redis Cluster hash tag, so each multi-key script runs on one slot.
package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
	"dispatchbot/conversation"
)

var (
	_ bot.Store     = (*Store)(nil)
	_ bot.Outbox    = (*Store)(nil)
	_ bot.StatusLog = (*Store)(nil)
)

// Defaults for the zero fields of Options.
const (
	DefaultPrefix     = "dispatchbot"
	DefaultSeenTTL    = 48 * time.Hour
	DefaultSessionTTL = 30 * 24 * time.Hour
	DefaultDeadMax    = 10000
)

// failedMax caps the delivery-failure log of each company.
const failedMax = 10000

// Options tunes a Store. Zero fields take the defaults above.
type Options struct {
	Prefix     string        // first part of every key; default "dispatchbot"
	SeenTTL    time.Duration // how long a provider message id is remembered for dedupe; default 48h
	SessionTTL time.Duration // idle time after which a conversation is forgotten; default 30 days
	DeadMax    int64         // cap on each company's dead-letter stream; default 10000
	Observer   bot.Observer  // counts failed operations with StoreError(op); optional
	Logger     *slog.Logger  // where skipped corrupt entries are reported; default slog.Default()
}

// Store implements bot.Store, bot.Outbox and bot.StatusLog on Redis or Redis Cluster.
// It is safe for concurrent use.
type Store struct {
	rdb      redis.UniversalClient
	prefix   string
	seenMS   string // SeenTTL in milliseconds, as a script argument
	convMS   string // SessionTTL in milliseconds, as a script argument
	deadMax  string // DeadMax, as a script argument
	obs      bot.Observer
	log      *slog.Logger
	groupsMu sync.Mutex
	groups   map[string]bool // companies whose consumer group is known to exist
}

// New returns a Store that keeps its state in rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.SeenTTL <= 0 {
		opts.SeenTTL = DefaultSeenTTL
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.DeadMax <= 0 {
		opts.DeadMax = DefaultDeadMax
	}
	if opts.Observer == nil {
		opts.Observer = bot.NopObserver{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Store{
		rdb:     rdb,
		prefix:  opts.Prefix,
		seenMS:  strconv.FormatInt(max(opts.SeenTTL.Milliseconds(), 1), 10),
		convMS:  strconv.FormatInt(max(opts.SessionTTL.Milliseconds(), 1), 10),
		deadMax: strconv.FormatInt(opts.DeadMax, 10),
		obs:     opts.Observer,
		log:     opts.Logger,
		groups:  make(map[string]bool),
	}
}

// Ping reports whether Redis answers; it backs the readiness probe.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		s.obs.StoreError("ping")
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	return nil
}

// key builds "<prefix>:{<company>}:<suffix>".
func (s *Store) key(company, suffix string) string {
	return s.prefix + ":{" + company + "}:" + suffix
}

// checkCompany rejects ids that would break the hash tag.
func checkCompany(company string) error {
	if company == "" {
		return errors.New("empty company id")
	}
	if strings.ContainsAny(company, "{}") {
		return fmt.Errorf("company id %q contains a brace", company)
	}
	return nil
}

// Load reads the sender's session, whether providerID was already applied and
// whether the sender opted out, in one round trip.
func (s *Store) Load(ctx context.Context, company string, from bot.Address, providerID string) (bot.Snapshot, error) {
	if err := checkCompany(company); err != nil {
		return bot.Snapshot{}, fmt.Errorf("redisstore: load: %w", err)
	}
	var (
		conv   *redis.SliceCmd
		seen   *redis.IntCmd
		optout *redis.BoolCmd
	)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		conv = p.HMGet(ctx, s.key(company, "conv:"+from.String()), "v", "d")
		if providerID != "" {
			seen = p.Exists(ctx, s.key(company, "seen:"+providerID))
		}
		optout = p.SIsMember(ctx, s.key(company, "optout"), from.String())
		return nil
	})
	if err != nil {
		s.obs.StoreError("load")
		return bot.Snapshot{}, fmt.Errorf("redisstore: load %s %s: %w", company, from.Masked(), err)
	}
	snap := bot.Snapshot{
		Session:  s.decodeSession(company, from, conv.Val()),
		OptedOut: optout.Val(),
	}
	if seen != nil {
		snap.Seen = seen.Val() > 0
	}
	return snap, nil
}

// decodeSession turns HMGET v d into a session. A corrupt body is logged and
// read as a fresh session at the stored version, so the next Commit replaces
// it instead of leaving the customer stuck.
func (s *Store) decodeSession(company string, from bot.Address, vals []any) conversation.Session {
	var sess conversation.Session
	if len(vals) != 2 {
		return sess
	}
	v, _ := vals[0].(string)
	d, _ := vals[1].(string)
	if v == "" {
		return sess
	}
	version, verr := strconv.ParseInt(v, 10, 64)
	derr := json.Unmarshal([]byte(d), &sess)
	if verr != nil || derr != nil {
		s.obs.StoreError("decode")
		s.log.Warn("redisstore: corrupt session, starting afresh",
			"company", company, "from", from.Masked(), "err", errors.Join(verr, derr))
		sess = conversation.Session{}
	}
	sess.Version = version
	return sess
}

// Script results that Commit maps to sentinel errors.
const (
	resultDuplicate = "DUPLICATE"
	resultConflict  = "CONFLICT"
)

// Commit applies c in one script: the dedupe mark, the session (guarded by
// its version), the opt-out flag, the quiet settings, the outgoing messages
// (less routine alerts to muted dispatchers) with their transcript lines,
// and the job, timer and duty writes, all or nothing.
func (s *Store) Commit(ctx context.Context, c bot.Change) error {
	args, err := s.commitArgs(c)
	if err != nil {
		return fmt.Errorf("redisstore: commit %s: %w", c.Company, err)
	}
	keys := []string{
		s.key(c.Company, "seen:"+c.ProviderID),
		s.key(c.Company, "conv:"+c.From.String()),
		s.key(c.Company, "optout"),
		s.key(c.Company, "outbox"),
		s.key(c.Company, "wake"),
		s.key(c.Company, "timers"),
		s.key(c.Company, "duty"),
		s.key(c.Company, "open"),
		s.key(c.Company, "quiet"),
	}
	res, err := commitScript.Run(ctx, s.rdb, keys, args...).Text()
	if err != nil {
		s.obs.StoreError("commit")
		return fmt.Errorf("redisstore: commit %s: %w", c.Company, err)
	}
	switch res {
	case resultDuplicate:
		return fmt.Errorf("redisstore: commit %s: %w", c.Company, bot.ErrDuplicate)
	case resultConflict:
		return fmt.Errorf("redisstore: commit %s: %w", c.Company, conversation.ErrConflict)
	}
	return nil
}

// commitArgs checks c and encodes it as the arguments of commitScript.
func (s *Store) commitArgs(c bot.Change) ([]any, error) {
	if err := checkCompany(c.Company); err != nil {
		return nil, err
	}
	if (c.Session != nil || c.OptOut != nil || !c.Wake.IsZero() || c.Heard != "") && c.From.ID == "" {
		return nil, errors.New("session, opt-out, wake-up or heard text without a sender")
	}
	n := 15 + 3*len(c.Outbox) + 1 + 9*len(c.Jobs) + 1 + 2*len(c.Timers) + 1 + 2*len(c.Duty) + 1 + 2*len(c.Quiet)
	args := make([]any, 14, n)
	for i := range args {
		args[i] = ""
	}
	if c.ProviderID != "" {
		args[0] = s.seenMS
	}
	if c.Session != nil {
		d, err := json.Marshal(c.Session)
		if err != nil {
			return nil, fmt.Errorf("encode session: %w", err)
		}
		args[1] = strconv.FormatInt(c.Session.Version, 10)
		args[2] = strconv.FormatInt(c.Session.Version+1, 10)
		args[3] = d
		args[4] = s.convMS
	}
	if c.OptOut != nil {
		args[5] = "0"
		if *c.OptOut {
			args[5] = "1"
		}
	}
	now := time.Now()
	args[6] = c.From.String()
	args[7] = strconv.FormatInt(now.UnixMilli(), 10)
	if !c.Wake.IsZero() {
		args[8] = strconv.FormatInt(c.Wake.UnixMilli(), 10)
	}
	at := c.At
	if at.IsZero() {
		at = now
	}
	args[9] = s.key(c.Company, chatKey)
	args[10] = chatHead(at)
	if c.Heard != "" {
		args[11] = chatText(c.Heard)
	}
	args[12] = chatTTLMS
	args[13] = chatTrim
	args = append(args, strconv.Itoa(len(c.Outbox)))
	for _, m := range c.Outbox {
		if m.Company != c.Company {
			return nil, fmt.Errorf("outbound message for company %q in a change of %q", m.Company, c.Company)
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("encode message: %w", err)
		}
		flag := "-"
		if m.Routine {
			flag = "r"
		}
		args = append(args, b, flag+string(m.To.Channel)+":"+m.To.ID, chatText(m.Text))
	}
	args, err := s.jobArgs(args, c)
	if err != nil {
		return nil, err
	}
	return quietArgs(args, c.Quiet)
}
