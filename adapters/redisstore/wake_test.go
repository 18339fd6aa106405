package redisstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
)

func TestWakes_LeaseFinishAndReplace(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		bob := bot.Address{Channel: bot.Telegram, ID: "77"}
		mustCommit(t, s, bot.Change{Company: "acme", From: alice, Wake: t0.Add(time.Minute)})
		mustCommit(t, s, bot.Change{Company: "acme", From: bob, Wake: t0.Add(time.Hour)})

		if got, err := s.DueWakes(ctx, "acme", t0, time.Minute, 10); err != nil || len(got) != 0 {
			t.Fatalf("DueWakes before due = %v, %v; want none", got, err)
		}
		due, err := s.DueWakes(ctx, "acme", t0.Add(2*time.Minute), time.Minute, 10)
		if err != nil || len(due) != 1 || due[0].Who != alice {
			t.Fatalf("DueWakes when due = %+v, %v; want alice only", due, err)
		}
		// Leased: nobody else gets it until the lease runs out.
		if again, _ := s.DueWakes(ctx, "acme", t0.Add(2*time.Minute), time.Minute, 10); len(again) != 0 {
			t.Fatalf("DueWakes during the lease = %+v, want none", again)
		}
		if again, _ := s.DueWakes(ctx, "acme", t0.Add(4*time.Minute), time.Minute, 10); len(again) != 1 {
			t.Fatalf("DueWakes after an unfinished lease = %+v, want alice again", again)
		}

		// A new wake-up asked for meanwhile survives FinishWake of the old lease.
		lease, _ := s.DueWakes(ctx, "acme", t0.Add(10*time.Minute), time.Minute, 10)
		mustCommit(t, s, bot.Change{Company: "acme", From: alice, Wake: t0.Add(30 * time.Minute)})
		if err := s.FinishWake(ctx, lease[0]); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.DueWakes(ctx, "acme", t0.Add(31*time.Minute), time.Minute, 10); len(got) != 1 || got[0].Who != alice {
			t.Fatalf("DueWakes for the replacing wake-up = %+v, want alice", got)
		}
		// Finished: gone.
		got, _ := s.DueWakes(ctx, "acme", t0.Add(40*time.Minute), time.Minute, 10)
		for _, w := range got {
			if err := s.FinishWake(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		if left, _ := s.DueWakes(ctx, "acme", t0.Add(50*time.Minute), time.Minute, 10); len(left) != 0 {
			t.Fatalf("DueWakes after FinishWake = %+v, want none", left)
		}
		// Bob is due at t0+1h.
		if got, _ := s.DueWakes(ctx, "acme", t0.Add(2*time.Hour), time.Minute, 10); len(got) != 1 || got[0].Who != bob {
			t.Fatalf("DueWakes for bob = %+v", got)
		}
	})
}

func TestWakes_ConcurrentLeaseHandsOutOnce(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		mustCommit(t, s, bot.Change{Company: "acme", From: alice, Wake: t0})
		var mu sync.Mutex
		var wg sync.WaitGroup
		total := 0
		for range 10 {
			wg.Go(func() {
				got, err := s.DueWakes(ctx, "acme", t0, time.Minute, 10)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += len(got)
				mu.Unlock()
			})
		}
		wg.Wait()
		if total != 1 {
			t.Errorf("10 racing DueWakes handed out %d wake-ups, want 1", total)
		}
	})
}
