package main

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore/redistest"
)

// TestInspectOutbox builds two consumer-group streams by hand and checks
// what the driver reads of them: pending and unread entries, and each
// consumer's share.
func TestInspectOutbox(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		rdb := b.Client
		s1, s2 := b.Prefix+":{x}:outbox", b.Prefix+":{y}:outbox"
		for _, s := range []string{s1, s2} {
			if err := rdb.XGroupCreateMkStream(ctx, s, "delivery", "0").Err(); err != nil {
				t.Fatalf("XGROUP CREATE %s: %v", s, err)
			}
			for range 4 {
				if err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: s, Values: []string{"m", "x"}}).Err(); err != nil {
					t.Fatalf("XADD %s: %v", s, err)
				}
			}
		}
		if err := rdb.Set(ctx, b.Prefix+":plain", "not a stream", 0).Err(); err != nil {
			t.Fatal(err)
		}
		read := func(stream, consumer string, n int64) []redis.XMessage {
			t.Helper()
			res, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "delivery", Consumer: consumer,
				Streams: []string{stream, ">"}, Count: n, Block: -1}).Result()
			if err != nil {
				t.Fatalf("XREADGROUP %s %s: %v", stream, consumer, err)
			}
			return res[0].Messages
		}
		got := read(s1, "c1", 3) // 3 pending with c1, 1 unread
		if err := rdb.XAck(ctx, s1, "delivery", got[0].ID).Err(); err != nil {
			t.Fatal(err)
		}
		read(s2, "c1", 1) // 1 pending with c1
		read(s2, "c2", 2) // 2 pending with c2, 1 unread

		match := b.Prefix + ":*"
		st, err := inspectOutbox(ctx, rdb, match)
		if err != nil {
			t.Fatalf("inspectOutbox: %v", err)
		}
		if want := (outboxState{streams: 2, pending: 5, lag: 2}); st != want {
			t.Errorf("inspectOutbox = %+v, want %+v", st, want)
		}
		cs, err := consumers(ctx, rdb, match)
		if err != nil {
			t.Fatalf("consumers: %v", err)
		}
		pending := map[string]int64{}
		for name, c := range cs {
			pending[name] = c.pending
		}
		if diff := cmp.Diff(map[string]int64{"c1": 3, "c2": 2}, pending); diff != "" {
			t.Errorf("consumers' pending (-want +got):\n%s", diff)
		}
	})
}
