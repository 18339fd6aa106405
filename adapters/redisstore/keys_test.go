package redisstore_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/conversation"
)

// scanKeys lists every key under b's prefix, sorted.
func scanKeys(tb testing.TB, b redistest.Backend) []string {
	tb.Helper()
	ctx := context.Background()
	var (
		mu   sync.Mutex
		keys []string
	)
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, b.Prefix+":*", 100).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	if cc, ok := b.Client.(*redis.ClusterClient); ok { // a key lives on one master: ask them all
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	} else {
		err = scan(ctx, b.Client)
	}
	if err != nil {
		tb.Fatalf("SCAN %s:*: %v", b.Prefix, err)
	}
	slices.Sort(keys)
	return keys
}

func TestStore_KeysShareHashTag(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		sess := conversation.Session{State: conversation.Open}
		mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: "SM1", Session: &sess, OptOut: new(true),
			Outbox: []bot.Outbound{reply("retry me"), reply("bury me")}})
		envs := mustRead(t, s, "w1", 2)
		if err := s.Retry(ctx, envs[0], time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Bury(ctx, envs[1], "test"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordFailure(ctx, bot.DeliveryStatus{Company: co, To: alice, Status: "failed"}); err != nil {
			t.Fatal(err)
		}

		got := scanKeys(t, b)
		for _, k := range got {
			if !strings.Contains(k, "{"+co+"}") {
				t.Errorf("key %q lacks the hash tag {%s}", k, co)
			}
		}
		var want []string
		for _, suffix := range []string{"chat:sms:+15550100", "conv:sms:+15550100", "delivery:failed", "optout", "outbox",
			"outbox:dead", "outbox:retry", "seen:SM1"} {
			want = append(want, key(b, suffix))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("keys of %s (-want +got):\n%s", co, diff)
		}
	})
}

func TestStore_TTL(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		commit := func(providerID string) {
			t.Helper()
			sess := mustLoad(t, s, alice, "").Session
			sess.Messages++
			mustCommit(t, s, bot.Change{Company: co, From: alice, ProviderID: providerID, Session: &sess})
		}
		commit("SM1")
		for _, k := range []struct {
			suffix string
			max    time.Duration
		}{
			{"conv:sms:+15550100", redisstore.DefaultSessionTTL},
			{"seen:SM1", redisstore.DefaultSeenTTL},
		} {
			ttl, err := b.Client.PTTL(ctx, key(b, k.suffix)).Result()
			if err != nil || ttl <= 0 || ttl > k.max {
				t.Errorf("PTTL(%s) = %v, %v, want in (0, %v]", k.suffix, ttl, err, k.max)
			}
		}

		// Activity keeps a conversation alive; SessionTTL of silence ends it.
		b.FastForward(t, redisstore.DefaultSessionTTL-time.Hour)
		commit("SM2")
		b.FastForward(t, 2*time.Hour)
		if snap := mustLoad(t, s, alice, "SM1"); snap.Session.Version != 2 || snap.Seen {
			t.Errorf("Load after activity = %+v, want version 2 and SM1 forgotten after SeenTTL", snap)
		}
		b.FastForward(t, redisstore.DefaultSessionTTL)
		if snap := mustLoad(t, s, alice, "SM2"); !cmp.Equal(snap, bot.Snapshot{}) {
			t.Errorf("Load after SessionTTL of silence = %+v, want a new session", snap)
		}
	})
}
