package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/conversation"
)

const co = "acme"

var alice = bot.Address{Channel: bot.SMS, ID: "+15550100"}

// newStore returns a Store on b's prefix that logs nowhere.
func newStore(tb testing.TB, b redistest.Backend) *redisstore.Store {
	tb.Helper()
	return redisstore.New(b.Client, redisstore.Options{
		Prefix: b.Prefix,
		Logger: slog.New(slog.DiscardHandler),
	})
}

// reply is a message from the company to alice.
func reply(text string) bot.Outbound {
	return bot.Outbound{Company: co, To: alice, Via: "+15550000", Text: text}
}

// ignoreEntry compares envelopes without their stream id and enqueue time.
var ignoreEntry = cmpopts.IgnoreFields(bot.Envelope{}, "ID", "Enqueued")

func mustLoad(tb testing.TB, s *redisstore.Store, from bot.Address, providerID string) bot.Snapshot {
	tb.Helper()
	snap, err := s.Load(context.Background(), co, from, providerID)
	if err != nil {
		tb.Fatalf("Load(%s, %q) = %v", from, providerID, err)
	}
	return snap
}

func mustCommit(tb testing.TB, s *redisstore.Store, c bot.Change) {
	tb.Helper()
	if err := s.Commit(context.Background(), c); err != nil {
		tb.Fatalf("Commit(%+v) = %v, want nil", c, err)
	}
}

func mustRead(tb testing.TB, s *redisstore.Store, consumer string, n int) []bot.Envelope {
	tb.Helper()
	envs, err := s.Read(context.Background(), co, consumer, n, 0)
	if err != nil {
		tb.Fatalf("Read(%s, %s, %d) = %v", co, consumer, n, err)
	}
	return envs
}

func mustDepth(tb testing.TB, s *redisstore.Store) int64 {
	tb.Helper()
	d, err := s.Depth(context.Background(), co)
	if err != nil {
		tb.Fatalf("Depth(%s) = %v", co, err)
	}
	return d
}

// messagesOf wraps messages as fresh envelopes, for comparison with ignoreEntry.
func messagesOf(attempt int, ms ...bot.Outbound) []bot.Envelope {
	envs := make([]bot.Envelope, len(ms))
	for i, m := range ms {
		envs[i] = bot.Envelope{Message: m, Attempt: attempt}
	}
	return envs
}

func TestStore_LoadCommit(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		if diff := cmp.Diff(bot.Snapshot{}, mustLoad(t, s, alice, "SM1")); diff != "" {
			t.Fatalf("Load of a new sender (-want +got):\n%s", diff)
		}

		started := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
		sess := conversation.Session{State: conversation.Open, Started: started, Updated: started, Messages: 1}
		out := []bot.Outbound{reply("Hello, what is the problem?"), reply("Reply STOP to opt out."),
			{Company: co, To: bot.Address{Channel: bot.Telegram, ID: "100001"}, Text: "New customer <3>"}}
		mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess, Outbox: out})

		want := sess
		want.Version = 1
		if diff := cmp.Diff(bot.Snapshot{Session: want, Seen: true}, mustLoad(t, s, alice, "SM1")); diff != "" {
			t.Errorf("Load after Commit (-want +got):\n%s", diff)
		}
		if snap := mustLoad(t, s, alice, "SM2"); snap.Seen {
			t.Errorf("Load(SM2).Seen = true, want false for a message never committed")
		}

		got := mustRead(t, s, "w1", 10)
		if diff := cmp.Diff(messagesOf(0, out...), got, ignoreEntry); diff != "" {
			t.Errorf("Read after Commit (-want +got):\n%s", diff)
		}
		for _, env := range got {
			if env.ID == "" || env.Enqueued.IsZero() {
				t.Errorf("envelope %+v lacks its id or enqueue time", env)
			}
		}
	})
}

func TestStore_CommitDuplicate(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		sess := conversation.Session{State: conversation.Open, Messages: 1}
		mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess,
			Outbox: []bot.Outbound{reply("first")}})

		again := mustLoad(t, s, alice, "SM1").Session // the current version, so only the dedupe can refuse it
		again.Messages = 2
		err := s.Commit(context.Background(), bot.Change{Company: co, From: alice, ProviderID: "SM1",
			Session: &again, OptOut: new(true), Outbox: []bot.Outbound{reply("second")}})
		if !errors.Is(err, bot.ErrDuplicate) {
			t.Fatalf("second Commit of SM1 = %v, want ErrDuplicate", err)
		}
		if d := mustDepth(t, s); d != 1 {
			t.Errorf("Depth after duplicate = %d, want 1", d)
		}
		snap := mustLoad(t, s, alice, "SM1")
		if snap.Session.Version != 1 || snap.Session.Messages != 1 || snap.OptedOut {
			t.Errorf("Load after duplicate = %+v, want version 1, 1 message, not opted out", snap)
		}
	})
}

func TestStore_CommitConflict(t *testing.T) {
	tests := []struct {
		name    string
		stored  int   // commits made before the stale one
		version int64 // the version the stale commit claims
	}{
		{name: "stale version", stored: 2, version: 1},
		{name: "version ahead of stored", stored: 1, version: 3},
		{name: "new session claims a version", stored: 0, version: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			redistest.Each(t, func(t *testing.T, b redistest.Backend) {
				s := newStore(t, b)
				for i := range tt.stored {
					sess := mustLoad(t, s, alice, "").Session
					sess.Messages++
					mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: fmt.Sprintf("SM%d", i), Session: &sess})
				}
				stale := conversation.Session{State: conversation.Open, Version: tt.version}
				err := s.Commit(context.Background(), bot.Change{Company: co, From: alice, ProviderID: "SMX",
					Session: &stale, OptOut: new(true), Outbox: []bot.Outbound{reply("never")}})
				if !errors.Is(err, conversation.ErrConflict) {
					t.Fatalf("Commit(version %d over %d commits) = %v, want ErrConflict", tt.version, tt.stored, err)
				}
				snap := mustLoad(t, s, alice, "SMX")
				if snap.Seen || snap.OptedOut || snap.Session.Version != int64(tt.stored) {
					t.Errorf("Load after conflict = %+v, want unseen, not opted out, version %d", snap, tt.stored)
				}
				if d := mustDepth(t, s); d != 0 {
					t.Errorf("Depth after conflict = %d, want 0", d)
				}
			})
		})
	}
}

func TestStore_CommitRace(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		loaded := mustLoad(t, s, alice, "").Session
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				sess := loaded
				sess.State, sess.Messages = conversation.Open, i
				errs[i] = s.Commit(context.Background(), bot.Change{Company: co, From: alice,
					ProviderID: fmt.Sprintf("SM%d", i), Session: &sess, Outbox: []bot.Outbound{reply(fmt.Sprint(i))}})
			})
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("commits %d and %d both won", winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, conversation.ErrConflict):
				t.Errorf("commit %d = %v, want nil or ErrConflict", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("no commit won")
		}
		snap := mustLoad(t, s, alice, fmt.Sprintf("SM%d", winner))
		if !snap.Seen || snap.Session.Version != 1 || snap.Session.Messages != winner {
			t.Errorf("Load after race = %+v, want the winner's session %d at version 1, seen", snap, winner)
		}
		got := mustRead(t, s, "w1", n)
		if diff := cmp.Diff(messagesOf(0, reply(fmt.Sprint(winner))), got, ignoreEntry); diff != "" {
			t.Errorf("outbox after race (-want +got):\n%s", diff)
		}
	})
}

func TestStore_CommitWithoutSessionOrProvider(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		for _, text := range []string{"reminder", "reminder"} {
			mustCommit(t, s, bot.Change{Company: co, Outbox: []bot.Outbound{reply(text)}})
		}
		got := mustRead(t, s, "w1", 10)
		if diff := cmp.Diff(messagesOf(0, reply("reminder"), reply("reminder")), got, ignoreEntry); diff != "" {
			t.Errorf("outbox after enqueue-only commits (-want +got):\n%s", diff)
		}
		if snap := mustLoad(t, s, alice, ""); snap.Session.Version != 0 {
			t.Errorf("Load after enqueue-only commits = %+v, want no session", snap)
		}
	})
}

func TestStore_CommitRejects(t *testing.T) {
	sess := conversation.Session{State: conversation.Open}
	tests := []struct {
		name string
		c    bot.Change
	}{
		{name: "message of another company", c: bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess,
			Outbox: []bot.Outbound{reply("ok"), {Company: "other", To: alice, Text: "no"}}}},
		{name: "empty company", c: bot.Change{From: alice, ProviderID: "SM1", Session: &sess}},
		{name: "company breaks the hash tag", c: bot.Change{Company: "a}b", From: alice, ProviderID: "SM1"}},
		{name: "session without sender", c: bot.Change{Company: co, ProviderID: "SM1", Session: &sess}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := redistest.New(t)
			s := newStore(t, b)
			if err := s.Commit(context.Background(), tt.c); err == nil {
				t.Fatalf("Commit(%+v) = nil, want an error", tt.c)
			}
			if keys := b.Mini.Keys(); len(keys) != 0 {
				t.Errorf("keys after rejected Commit = %q, want none", keys)
			}
		})
	}
}

func TestStore_OptOut(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		steps := []struct {
			optOut *bool
			want   bool
		}{
			{optOut: new(true), want: true},
			{optOut: nil, want: true}, // unchanged
			{optOut: new(false), want: false},
			{optOut: new(false), want: false},
		}
		for i, st := range steps {
			mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: fmt.Sprintf("SM%d", i), OptOut: st.optOut})
			if got := mustLoad(t, s, alice, "").OptedOut; got != st.want {
				t.Errorf("step %d: Load().OptedOut = %v, want %v", i, got, st.want)
			}
			got, err := s.OptedOut(ctx, co, alice)
			if err != nil || got != st.want {
				t.Errorf("step %d: OptedOut() = %v, %v, want %v, nil", i, got, err, st.want)
			}
		}
		bob := bot.Address{Channel: bot.Telegram, ID: "42"}
		mustCommit(t, s, bot.Change{Company: co, From: bob, OptOut: new(true)})
		if got, err := s.OptedOut(ctx, co, alice); err != nil || got {
			t.Errorf("OptedOut(alice) after bob opted out = %v, %v, want false, nil", got, err)
		}
	})
}

func TestStore_Ping(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		if err := newStore(t, b).Ping(context.Background()); err != nil {
			t.Errorf("Ping() = %v, want nil", err)
		}
	})
}
