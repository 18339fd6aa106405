package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// bookOne books an emergency job for acme and returns it as stored.
func bookOne(t *testing.T, s *redisstore.Store, key string, at time.Time) bot.StoredJob {
	t.Helper()
	co := &config.Company{ID: "acme", Location: time.UTC}
	id, err := redisstore.NewScheduler(s).Book(context.Background(), co, bot.Booking{Key: key, Customer: alice,
		Request: conversation.Request{Problem: "gas smell", Urgency: conversation.Emergency, Trade: dispatch.Plumbing}, At: at})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := dispatch.ParseJobID(id)
	sj, err := s.Job(context.Background(), "acme", n)
	if err != nil {
		t.Fatal(err)
	}
	return sj
}

func TestJobs_WriteGuardsVersionAndKeepsIndexes(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		sj := bookOne(t, s, "k1", t0)
		if sj.Version != 1 || sj.Job.Status != dispatch.StatusNew {
			t.Fatalf("booked = v%d %s, want v1 new", sj.Version, sj.Job.Status)
		}
		if open, err := s.OpenJobs(ctx, "acme"); err != nil || len(open) != 1 {
			t.Fatalf("OpenJobs = %d, %v; want 1", len(open), err)
		}
		offered, err := dispatch.OfferJob(sj.Job, "ann", t0, t0.Add(5*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		mustCommit(t, s, bot.Change{Company: "acme", Jobs: []bot.JobWrite{{Before: sj, After: offered}}})
		byTech, err := s.TechJobs(ctx, "acme", []string{"ann", "ben"}, t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil || len(byTech["ann"]) != 1 || len(byTech["ben"]) != 0 || byTech["ann"][0].Version != 2 {
			t.Fatalf("TechJobs after offer = %+v, %v; want ann's at v2", byTech, err)
		}

		// A write from the stale version loses and changes nothing, outbox included.
		assigned, _ := dispatch.Assign(sj.Job, "ben", dispatch.Actor{Kind: dispatch.ActorDispatcher}, "", t0)
		err = s.Commit(ctx, bot.Change{Company: "acme", Jobs: []bot.JobWrite{{Before: sj, After: assigned}},
			Outbox: []bot.Outbound{{Company: "acme", To: alice, Text: "should not go"}}})
		if !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("stale write = %v, want ErrConflict", err)
		}
		if depth, _ := s.Depth(ctx, "acme"); depth != 0 {
			t.Errorf("outbox depth after a lost write = %d, want 0", depth)
		}

		// From the current version: ann leaves, ben joins; done leaves the open set.
		cur, _ := s.Job(ctx, "acme", sj.Job.Number)
		assigned, err = dispatch.Assign(cur.Job, "ben", dispatch.Actor{Kind: dispatch.ActorDispatcher}, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		mustCommit(t, s, bot.Change{Company: "acme", Jobs: []bot.JobWrite{{Before: cur, After: assigned}}})
		byTech, _ = s.TechJobs(ctx, "acme", []string{"ann", "ben"}, t0.Add(-time.Hour), t0.Add(time.Hour))
		if len(byTech["ann"]) != 0 || len(byTech["ben"]) != 1 {
			t.Fatalf("TechJobs after reassign = ann %d ben %d, want 0 and 1", len(byTech["ann"]), len(byTech["ben"]))
		}
		cur, _ = s.Job(ctx, "acme", sj.Job.Number)
		done := cur.Job
		for _, st := range []string{dispatch.StatusEnRoute, dispatch.StatusOnSite, dispatch.StatusDone} {
			done, _ = dispatch.Transition(done, st, dispatch.Actor{Kind: dispatch.ActorTechnician, ID: "ben"}, "", t0)
		}
		mustCommit(t, s, bot.Change{Company: "acme", Jobs: []bot.JobWrite{{Before: cur, After: done}},
			Duty: map[string]bool{"ben": false}})
		if open, _ := s.OpenJobs(ctx, "acme"); len(open) != 0 {
			t.Errorf("OpenJobs after done = %d, want 0", len(open))
		}
		if hist, err := s.History(ctx, "acme", t0, t0.Add(time.Minute)); err != nil || len(hist) != 1 || hist[0].Status != dispatch.StatusDone {
			t.Errorf("History = %+v, %v; want the done job", hist, err)
		}
		if off, _ := s.OffDuty(ctx, "acme"); !off["ben"] {
			t.Errorf("OffDuty = %v, want ben", off)
		}
	})
}

func TestTimers_LeaseFinishAndReplace(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		s := newStore(t, b)
		ctx := context.Background()
		t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		remind := bot.Timer{Kind: bot.TimerRemind, Job: 1001, Arg: "1795000000h", At: t0.Add(time.Hour)}
		mustCommit(t, s, bot.Change{Company: "acme", Timers: []bot.Timer{remind}})
		if due, _ := s.DueTimers(ctx, "acme", t0, time.Minute, 10); len(due) != 0 {
			t.Fatalf("DueTimers early = %+v", due)
		}
		due, err := s.DueTimers(ctx, "acme", t0.Add(time.Hour), time.Minute, 10)
		if err != nil || len(due) != 1 || due[0].Member() != remind.Member() {
			t.Fatalf("DueTimers = %+v, %v; want the reminder", due, err)
		}
		if again, _ := s.DueTimers(ctx, "acme", t0.Add(time.Hour), time.Minute, 10); len(again) != 0 {
			t.Fatalf("DueTimers during the lease = %+v", again)
		}
		// Set again while leased: finishing the old lease keeps the new time.
		remind.At = t0.Add(2 * time.Hour)
		mustCommit(t, s, bot.Change{Company: "acme", Timers: []bot.Timer{remind}})
		if err := s.FinishTimer(ctx, "acme", due[0]); err != nil {
			t.Fatal(err)
		}
		due, _ = s.DueTimers(ctx, "acme", t0.Add(2*time.Hour), time.Minute, 10)
		if len(due) != 1 {
			t.Fatalf("DueTimers for the timer set again = %+v", due)
		}
		if err := s.FinishTimer(ctx, "acme", due[0]); err != nil {
			t.Fatal(err)
		}
		if left, _ := s.DueTimers(ctx, "acme", t0.Add(5*time.Hour), time.Minute, 10); len(left) != 0 {
			t.Fatalf("DueTimers after finish = %+v", left)
		}
	})
}
