package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
)

// runAgainst drives customers through a stack on b and returns the runner
// and the stack when every customer is done.
func runAgainst(t *testing.T, b redistest.Backend, p plan) (*runner, *provider, stack) {
	t.Helper()
	prov, provURL := startProvider(t)
	st := startStack(t, b.Client, b.Prefix, provURL)
	r := newRunner(p, newClient(p.Concurrency+p.Telegram), prov,
		twilioAccount{PostURL: st.URL + "/webhooks/twilio", SignedURL: st.URL + "/webhooks/twilio",
			AuthToken: "demoauthtoken", AccountSID: "AC00000000000000000000000000000000", Number: "+441614960000"},
		telegramBot{PostURL: st.URL + "/webhooks/telegram/demo", Secret: "demo-secret"}, io.Discard)
	if err := checkReady(context.Background(), r.hc, st.URL); err != nil {
		t.Fatal(err)
	}
	r.measure(context.Background())
	return r, prov, st
}

// TestCustomersBookOverWebhooks runs customers on both channels through
// the real webhooks, intake and delivery, and checks that each one ends
// its conversation with a booking or, once the week is full, with a
// person, that every message was answered with exactly one reply, and
// that the Redis round trips stay within the targets: at most 4 per
// inbound message on the webhook path and at most 3 per delivered message.
func TestCustomersBookOverWebhooks(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		r, prov, st := runAgainst(t, b, plan{Customers: 40, Telegram: 4, Concurrency: 6, Emergency: 0.2,
			Duration: time.Minute, ReplyTimeout: 10 * time.Second, Run: 7})

		if errs := r.errs.snapshot(); len(errs) > 0 {
			t.Errorf("errors: %v", errs)
		}
		outcomes := r.outcomes.snapshot()
		if n := outcomes[outcomeBooked] + outcomes[outcomeNoSlot]; n != 40 {
			t.Errorf("outcomes %v: want all 40 customers booked or out of slots", outcomes)
		}
		if outcomes[outcomeBooked] < 8 {
			t.Errorf("outcomes %v: want at least the 8 emergencies booked", outcomes)
		}
		msgs := r.all.Load()
		if routed := prov.routed.Load(); routed < msgs || prov.dropped.Load() > 0 {
			t.Errorf("%d replies for %d inbound messages (%d dropped), want at least one each", routed, msgs, prov.dropped.Load())
		}
		delivered := prov.routed.Load() + prov.unrouted.Load()
		webhook, delivery := st.trips.webhook.Load(), st.trips.delivery.Load()
		t.Logf("%d messages: %d webhook round trips (%.2f each, at most %d; messages by round trips %v), "+
			"%d delivery round trips for %d delivered (%.2f each); %d script loads",
			msgs, webhook, float64(webhook)/float64(msgs), st.trips.maxPerMessage, st.trips.perMessage,
			delivery, delivered, float64(delivery)/float64(delivered), st.trips.scriptLoads.Load())
		if st.trips.maxPerMessage > 4 {
			t.Errorf("an inbound message took %d round trips on the webhook path, want at most 4", st.trips.maxPerMessage)
		}
		if float64(delivery) > 3*float64(delivered) {
			t.Errorf("%d round trips to deliver %d messages, want at most 3 each", delivery, delivered)
		}
	})
}

// BenchmarkConversations runs b.N customers, 64 at a time, through the
// whole stack in this process (webhooks, intake, Redis, delivery, the fake
// provider and the customers themselves) and reports inbound messages per
// second. It is there for CPU profiles; with REDIS_URL set it uses that
// server, otherwise miniredis:
//
//	REDIS_URL=redis://127.0.0.1:6379/9 go test ./cmd/loadgen -run '^$' -bench Conversations -benchtime 3000x -cpuprofile cpu.out
func BenchmarkConversations(b *testing.B) {
	rdb, prefix := benchRedis(b)
	prov, provURL := startProvider(b)
	st := startStack(b, rdb, prefix, provURL)
	p := plan{Customers: b.N, Concurrency: 64, Duration: time.Hour, ReplyTimeout: 10 * time.Second, Run: 9}
	r := newRunner(p, newClient(p.Concurrency), prov,
		twilioAccount{PostURL: st.URL + "/webhooks/twilio", SignedURL: st.URL + "/webhooks/twilio",
			AuthToken: "demoauthtoken", AccountSID: "AC00000000000000000000000000000000", Number: "+441614960000"},
		telegramBot{}, io.Discard)
	b.ResetTimer()
	elapsed := r.measure(context.Background())
	b.StopTimer()
	if errs := r.errs.snapshot(); len(errs) > 0 {
		b.Errorf("errors: %v", errs)
	}
	b.ReportMetric(float64(r.ok.Load())/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(st.trips.webhook.Load())/float64(r.all.Load()), "webhook-trips/msg")
	b.ReportMetric(float64(st.trips.delivery.Load())/float64(prov.routed.Load()+prov.unrouted.Load()), "delivery-trips/reply")
}

// benchRedis returns the Redis at REDIS_URL, or a miniredis, with a fresh
// key prefix whose keys are deleted when b ends.
func benchRedis(b *testing.B) (redis.UniversalClient, string) {
	b.Helper()
	prefix := fmt.Sprintf("bench%d", time.Now().UnixNano())
	url := os.Getenv("REDIS_URL")
	if url == "" {
		m := miniredis.RunT(b)
		rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), DisableIdentity: true})
		b.Cleanup(func() { rdb.Close() })
		return rdb, prefix
	}
	ctx := context.Background()
	rdb, err := redisstore.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		defer rdb.Close()
		iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
		for iter.Next(ctx) {
			if err := rdb.Unlink(ctx, iter.Val()).Err(); err != nil {
				b.Errorf("delete %s: %v", iter.Val(), err)
				return
			}
		}
		if err := iter.Err(); err != nil {
			b.Errorf("scan %s:*: %v", prefix, err)
		}
	})
	return rdb, prefix
}
