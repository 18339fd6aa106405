package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// TestStatsCommand books a job in a Redis, finishes it with feedback and
// reads the KPIs back through `dispatchbot stats`.
func TestStatsCommand(t *testing.T) {
	m := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	defer rdb.Close()
	ctx := context.Background()
	store := redisstore.New(rdb, redisstore.Options{})
	co := config.Demo().Companies[0]
	now := time.Now().UTC()
	first := now.Add(-30 * time.Minute)
	id, err := redisstore.NewScheduler(store).Book(ctx, co, bot.Booking{Key: "k", FirstMessage: first, At: now.Add(-20 * time.Minute),
		Customer: bot.Address{Channel: bot.SMS, ID: "+447700900555"},
		Request:  conversation.Request{Problem: "burst pipe", Urgency: conversation.Emergency, Trade: dispatch.Plumbing, Postcode: "M1 1AA"}})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := dispatch.ParseJobID(id)
	sj, err := store.Job(ctx, co.ID, n)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := dispatch.OfferJob(sj.Job, "alice", now.Add(-20*time.Minute), now.Add(-10*time.Minute))
	j, _ = dispatch.Answer(j, "alice", dispatch.AnswerYes, now.Add(-18*time.Minute)) // 12 minutes after the first message
	for _, st := range []string{dispatch.StatusEnRoute, dispatch.StatusOnSite, dispatch.StatusDone} {
		j, _ = dispatch.Transition(j, st, dispatch.Actor{Kind: dispatch.ActorTechnician, ID: "alice"}, "", now.Add(-time.Minute))
	}
	j.Feedback = 4
	if err := store.Commit(ctx, bot.Change{Company: co.ID, Jobs: []bot.JobWrite{{Before: sj, After: j}}}); err != nil {
		t.Fatal(err)
	}

	env := map[string]string{"REDIS_URL": "redis://" + m.Addr()}
	var out, errs bytes.Buffer
	if code := run(ctx, []string{"stats", "-days", "1"}, func(k string) string { return env[k] }, nil, &out, &errs); code != 0 {
		t.Fatalf("stats = %d: %s", code, errs.String())
	}
	var line bot.StatsReport
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	got := line.All
	if line.Company != "demo" || got.Jobs != 1 || got.Completed != 1 || got.Feedback != 4 ||
		got.MinutesToAccept["emergency"].Mean != 12 || line.Technicians["alice"].Completed != 1 {
		t.Errorf("stats = %+v", line)
	}

	if code := run(ctx, []string{"stats"}, func(string) string { return "" }, nil, &out, &errs); code != 1 ||
		!strings.Contains(errs.String(), "REDIS_URL is not set") {
		t.Errorf("stats without REDIS_URL = %d, %q", code, errs.String())
	}
	if code := run(ctx, []string{"stats", "-days", "0"}, func(k string) string { return env[k] }, nil, &out, &errs); code != 2 {
		t.Errorf("stats -days 0 = %d, want 2", code)
	}
}
