package redisstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
)

// key is the full name of one of co's keys on b.
func key(b redistest.Backend, suffix string) string {
	return b.Prefix + ":{" + co + "}:" + suffix
}

// deadLetter is one entry of the dead-letter stream, decoded.
type deadLetter struct {
	Message  string
	Attempt  string
	Enqueued string
	Reason   string
}

func deadLetters(tb testing.TB, b redistest.Backend) []deadLetter {
	tb.Helper()
	msgs, err := b.Client.XRange(context.Background(), key(b, "outbox:dead"), "-", "+").Result()
	if err != nil {
		tb.Fatalf("XRANGE dead letters: %v", err)
	}
	var out []deadLetter
	for _, m := range msgs {
		f := func(k string) string { s, _ := m.Values[k].(string); return s }
		out = append(out, deadLetter{Message: f("m"), Attempt: f("a"), Enqueued: f("t"), Reason: f("reason")})
	}
	return out
}

// enqueue commits messages with no session, as a timer would.
func enqueue(tb testing.TB, s *redisstore.Store, ms ...bot.Outbound) {
	tb.Helper()
	mustCommit(tb, s, bot.Change{Company: co, Outbox: ms})
}

// waitIdle makes entries read so far idle for longer than the returned
// duration: by moving the miniredis clock, or by sleeping past a short
// min-idle on real Redis.
func waitIdle(tb testing.TB, b redistest.Backend) time.Duration {
	tb.Helper()
	if b.Mini != nil {
		b.SetTime(tb, time.Now().Add(2*time.Hour))
		return time.Hour
	}
	const minIdle = 50 * time.Millisecond
	time.Sleep(minIdle + 20*time.Millisecond)
	return minIdle
}

func TestOutbox_ReadDone(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		if got := mustRead(t, s, "w1", 10); len(got) != 0 {
			t.Fatalf("Read of an empty outbox = %+v, want none", got)
		}
		got, err := s.Read(ctx, co, "w1", 10, 20*time.Millisecond)
		if err != nil || len(got) != 0 {
			t.Fatalf("blocking Read of an empty outbox = %+v, %v, want none, nil", got, err)
		}

		enqueue(t, s, reply("one"), reply("two"), reply("three"))
		first := mustRead(t, s, "w1", 2)
		if diff := cmp.Diff(messagesOf(0, reply("one"), reply("two")), first, ignoreEntry); diff != "" {
			t.Errorf("Read(2) (-want +got):\n%s", diff)
		}
		rest := mustRead(t, s, "w2", 10)
		if diff := cmp.Diff(messagesOf(0, reply("three")), rest, ignoreEntry); diff != "" {
			t.Errorf("Read by a second consumer (-want +got):\n%s", diff)
		}
		if d := mustDepth(t, s); d != 3 {
			t.Errorf("Depth with 3 entries being delivered = %d, want 3", d)
		}
		for _, env := range append(first, rest...) {
			if err := s.Done(ctx, co, env.ID); err != nil {
				t.Fatalf("Done(%s) = %v", env.ID, err)
			}
		}
		if d := mustDepth(t, s); d != 0 {
			t.Errorf("Depth after Done = %d, want 0", d)
		}
		pending, err := b.Client.XPending(ctx, key(b, "outbox"), "delivery").Result()
		if err != nil || pending.Count != 0 {
			t.Errorf("XPENDING after Done = %+v, %v, want 0 pending", pending, err)
		}
	})
}

func TestOutbox_RetryPromote(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		enqueue(t, s, reply("hello"))
		env := mustRead(t, s, "w1", 1)[0]
		env.Attempt = 1
		env.Message.SkipParts = 1
		due := time.Now().Add(time.Minute)
		if err := s.Retry(ctx, env, due); err != nil {
			t.Fatalf("Retry() = %v", err)
		}
		if d := mustDepth(t, s); d != 1 {
			t.Errorf("Depth with one retry scheduled = %d, want 1", d)
		}
		if got := mustRead(t, s, "w1", 10); len(got) != 0 {
			t.Errorf("Read before Promote = %+v, want none", got)
		}

		if n, err := s.Promote(ctx, co, due.Add(-time.Second), 10); err != nil || n != 0 {
			t.Errorf("Promote before due = %d, %v, want 0, nil", n, err)
		}
		if n, err := s.Promote(ctx, co, due, 10); err != nil || n != 1 {
			t.Errorf("Promote when due = %d, %v, want 1, nil", n, err)
		}
		got := mustRead(t, s, "w1", 10)
		if len(got) != 1 {
			t.Fatalf("Read after Promote = %+v, want one entry", got)
		}
		if got[0].ID == env.ID {
			t.Errorf("promoted entry kept id %s, want a new one", env.ID)
		}
		env.ID = got[0].ID
		if diff := cmp.Diff(env, got[0]); diff != "" {
			t.Errorf("promoted entry (-want +got):\n%s", diff)
		}
		if n, err := s.Promote(ctx, co, due.Add(time.Hour), 10); err != nil || n != 0 {
			t.Errorf("second Promote = %d, %v, want 0, nil", n, err)
		}
	})
}

func TestOutbox_PromoteConcurrent(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		const n = 6 // identical messages: each must survive as its own retry
		msgs := make([]bot.Outbound, n)
		for i := range msgs {
			msgs[i] = reply("same")
		}
		enqueue(t, s, msgs...)
		due := time.Now()
		for _, env := range mustRead(t, s, "w1", n) {
			if err := s.Retry(ctx, env, due); err != nil {
				t.Fatalf("Retry(%s) = %v", env.ID, err)
			}
		}
		if d := mustDepth(t, s); d != n {
			t.Fatalf("Depth with %d identical retries = %d, want %d", n, d, n)
		}

		var wg sync.WaitGroup
		moved := make([]int, 3)
		for i := range moved {
			wg.Go(func() {
				got, err := s.Promote(ctx, co, due, n)
				if err != nil {
					t.Errorf("Promote() = %v", err)
				}
				moved[i] = got
			})
		}
		wg.Wait()
		if total := moved[0] + moved[1] + moved[2]; total != n {
			t.Errorf("concurrent Promote moved %v, want %d in total", moved, n)
		}
		got := mustRead(t, s, "w1", 2*n)
		if diff := cmp.Diff(messagesOf(0, msgs...), got, ignoreEntry); diff != "" {
			t.Errorf("outbox after concurrent Promote (-want +got):\n%s", diff)
		}
	})
}

func TestOutbox_Bury(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		enqueue(t, s, reply("to a dead number"))
		env := mustRead(t, s, "w1", 1)[0]
		env.Attempt = 3
		if err := s.Bury(ctx, env, "invalid number"); err != nil {
			t.Fatalf("Bury() = %v", err)
		}
		if d := mustDepth(t, s); d != 0 {
			t.Errorf("Depth after Bury = %d, want 0", d)
		}
		m, err := json.Marshal(env.Message)
		if err != nil {
			t.Fatal(err)
		}
		want := []deadLetter{{Message: string(m), Attempt: "3",
			Enqueued: strconv.FormatInt(env.Enqueued.UnixMilli(), 10), Reason: "invalid number"}}
		if diff := cmp.Diff(want, deadLetters(t, b)); diff != "" {
			t.Errorf("dead letters (-want +got):\n%s", diff)
		}
	})
}

func TestOutbox_SettledEntryIgnored(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		enqueue(t, s, reply("delivered by another instance"))
		env := mustRead(t, s, "w1", 1)[0]
		if err := s.Done(ctx, co, env.ID); err != nil {
			t.Fatalf("Done() = %v", err)
		}
		if err := s.Retry(ctx, env, time.Now()); err != nil {
			t.Errorf("Retry of a settled entry = %v, want nil", err)
		}
		if err := s.Bury(ctx, env, "late failure"); err != nil {
			t.Errorf("Bury of a settled entry = %v, want nil", err)
		}
		if d := mustDepth(t, s); d != 0 {
			t.Errorf("Depth = %d, want 0: a settled entry must not come back", d)
		}
		if dead := deadLetters(t, b); len(dead) != 0 {
			t.Errorf("dead letters = %+v, want none", dead)
		}
	})
}

func TestOutbox_Reclaim(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		enqueue(t, s, reply("stuck with a dead worker"))
		taken := mustRead(t, s, "a", 10)
		if len(taken) != 1 {
			t.Fatalf("Read by a = %+v, want one entry", taken)
		}
		got, err := s.Reclaim(ctx, co, "b", time.Hour, 10)
		if err != nil || len(got) != 0 {
			t.Fatalf("Reclaim of a fresh entry = %+v, %v, want none, nil", got, err)
		}

		minIdle := waitIdle(t, b)
		got, err = s.Reclaim(ctx, co, "b", minIdle, 10)
		if err != nil {
			t.Fatalf("Reclaim() = %v", err)
		}
		if diff := cmp.Diff(taken, got); diff != "" {
			t.Errorf("Reclaim by b (-want +got):\n%s", diff)
		}
		if err := s.Done(ctx, co, got[0].ID); err != nil {
			t.Fatalf("Done() = %v", err)
		}
		got, err = s.Reclaim(ctx, co, "c", 0, 10)
		if err != nil || len(got) != 0 {
			t.Errorf("Reclaim after Done = %+v, %v, want none, nil", got, err)
		}
	})
}

func TestOutbox_Undecodable(t *testing.T) {
	tests := []struct {
		name   string
		fields []any
	}{
		{name: "bad json", fields: []any{"m", "{not json", "a", "0", "t", "1"}},
		{name: "no recipient", fields: []any{"m", `{"co":"acme","text":"hi"}`, "a", "0", "t", "1"}},
		{name: "bad attempt", fields: []any{"m", `{"co":"acme","to":{"ch":"sms","id":"+1"}}`, "a", "x", "t", "1"}},
		{name: "no fields we know", fields: []any{"z", "1"}},
	}
	for _, tt := range tests {
		for _, via := range []string{"read", "reclaim"} {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				redistest.Each(t, func(t *testing.T, b redistest.Backend) {
					var logs bytes.Buffer
					s := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix,
						Logger: slog.New(slog.NewTextHandler(&logs, nil))})
					ctx := context.Background()
					err := b.Client.XAdd(ctx, &redis.XAddArgs{Stream: key(b, "outbox"), Values: tt.fields}).Err()
					if err != nil {
						t.Fatal(err)
					}
					if via == "reclaim" { // an older worker took it and died
						if err := b.Client.XGroupCreate(ctx, key(b, "outbox"), "delivery", "0").Err(); err != nil {
							t.Fatal(err)
						}
						err := b.Client.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "delivery", Consumer: "old",
							Streams: []string{key(b, "outbox"), ">"}, Count: 1, Block: -1}).Err()
						if err != nil {
							t.Fatal(err)
						}
						got, err := s.Reclaim(ctx, co, "w1", waitIdle(t, b), 10)
						if err != nil || len(got) != 0 {
							t.Fatalf("Reclaim of a corrupt entry = %+v, %v, want none, nil", got, err)
						}
					}
					enqueue(t, s, reply("after the corrupt one"))
					got := mustRead(t, s, "w1", 10)
					if diff := cmp.Diff(messagesOf(0, reply("after the corrupt one")), got, ignoreEntry); diff != "" {
						t.Errorf("Read past a corrupt entry (-want +got):\n%s", diff)
					}
					dead := deadLetters(t, b)
					if len(dead) != 1 || dead[0].Reason != "undecodable" {
						t.Errorf("dead letters = %+v, want the corrupt entry as undecodable", dead)
					}
					if !strings.Contains(logs.String(), "undecodable") {
						t.Errorf("log = %q, want a line about the undecodable entry", logs.String())
					}
					if err := s.Done(ctx, co, got[0].ID); err != nil {
						t.Fatal(err)
					}
					if d := mustDepth(t, s); d != 0 {
						t.Errorf("Depth = %d, want 0", d)
					}
				})
			})
		}
	}
}

func TestOutbox_PromoteUndecodable(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		if err := b.Client.ZAdd(ctx, key(b, "outbox:retry"), redis.Z{Score: 1, Member: "garbage"}).Err(); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Promote(ctx, co, time.Now(), 10); err != nil || n != 0 {
			t.Errorf("Promote of a corrupt retry = %d, %v, want 0, nil", n, err)
		}
		dead := deadLetters(t, b)
		if len(dead) != 1 || dead[0].Message != "garbage" || dead[0].Reason != "undecodable" {
			t.Errorf("dead letters = %+v, want the corrupt retry as undecodable", dead)
		}
		if d := mustDepth(t, s); d != 0 {
			t.Errorf("Depth = %d, want 0", d)
		}
	})
}

func TestOutbox_Depth(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		if d := mustDepth(t, s); d != 0 {
			t.Errorf("Depth of a new company = %d, want 0", d)
		}
		enqueue(t, s, reply("1"), reply("2"), reply("3"))
		envs := mustRead(t, s, "w1", 3)
		steps := []struct {
			name string
			do   func() error
			want int64
		}{
			{"read, not done", func() error { return nil }, 3},
			{"one done", func() error { return s.Done(ctx, co, envs[0].ID) }, 2},
			{"one scheduled for retry", func() error { return s.Retry(ctx, envs[1], time.Now().Add(time.Hour)) }, 2},
			{"one buried", func() error { return s.Bury(ctx, envs[2], "gone") }, 1},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if d := mustDepth(t, s); d != st.want {
				t.Errorf("%s: Depth = %d, want %d", st.name, d, st.want)
			}
		}
	})
}

func TestStatusLog_RecordFailure(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
		statuses := []bot.DeliveryStatus{
			{Company: co, To: alice, ProviderID: "SM1", Status: "undelivered", ErrorCode: "30003", At: at},
			{Company: co, To: alice, ProviderID: "SM2", Status: "failed", At: at.Add(time.Minute)},
		}
		for _, st := range statuses {
			if err := s.RecordFailure(ctx, st); err != nil {
				t.Fatalf("RecordFailure(%+v) = %v", st, err)
			}
		}
		msgs, err := b.Client.XRange(ctx, key(b, "delivery:failed"), "-", "+").Result()
		if err != nil {
			t.Fatal(err)
		}
		var got []bot.DeliveryStatus
		for _, m := range msgs {
			var st bot.DeliveryStatus
			raw, _ := m.Values["s"].(string)
			if err := json.Unmarshal([]byte(raw), &st); err != nil {
				t.Fatalf("failure log entry %v: %v", m.Values, err)
			}
			got = append(got, st)
		}
		if diff := cmp.Diff(statuses, got); diff != "" {
			t.Errorf("failure log (-want +got):\n%s", diff)
		}
		if err := s.RecordFailure(ctx, bot.DeliveryStatus{Status: "failed"}); err == nil {
			t.Errorf("RecordFailure without a company = nil, want an error")
		}
	})
}
