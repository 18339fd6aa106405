package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
)

// intakeFixture is a Bot with the real intake on a real store and
// scheduler, its keys under prefix.
func intakeFixture(t *testing.T, b redistest.Backend, prefix string) fixture {
	t.Helper()
	cfg := config.Demo()
	store := redisstore.New(b.Client, redisstore.Options{Prefix: prefix})
	it, err := bot.NewIntake(cfg.Companies, redisstore.NewScheduler(store), bot.IntakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bt := bot.New(bot.Options{
		Companies: cfg, Store: store, StatusLog: store,
		Customers: it, Technicians: bot.Acknowledger{}, Dispatchers: bot.Acknowledger{},
		Now: func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) },
	})
	return fixture{bot: bt, store: store, cfg: cfg, co: cfg.Companies[0].ID}
}

// TestIntakeConcurrentMessagesStayConsistent sends pairs of messages of one
// customer at the same moment and compares the outcome with the same
// messages sent one by one: the same state, every message counted, and
// exactly as many replies and alerts.
func TestIntakeConcurrentMessagesStayConsistent(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		script := [][2]string{
			{"Worcester Bosch, error F22", "Worcester Bosch, error F22"},
			{"12 Oak Road, M14 5AB", "12 Oak Road, M14 5AB"},
			{"Sam", "Sam"},
		}
		run := func(prefix string, together bool) (conversation.Session, map[bot.Address]int) {
			f := intakeFixture(t, b, prefix)
			f.mustHandle(t, f.in(customer, "first", "my boiler is leaking water onto the floor"))
			for r, pair := range script {
				var wg sync.WaitGroup
				for g, text := range pair {
					in := f.in(customer, fmt.Sprintf("r%d-g%d", r, g), text)
					if !together {
						f.mustHandle(t, in)
						continue
					}
					wg.Go(func() {
						if err := f.bot.Handle(ctx, in); err != nil {
							t.Errorf("Handle(%q) = %v", text, err)
						}
					})
				}
				wg.Wait()
			}
			snap, err := f.store.Load(ctx, f.co, customer, "")
			if err != nil {
				t.Fatal(err)
			}
			sent := map[bot.Address]int{}
			for _, m := range f.outbox(t) {
				sent[m.To]++
			}
			return snap.Session, sent
		}
		seqSess, seqSent := run(b.Prefix+":seq", false)
		parSess, parSent := run(b.Prefix+":par", true)
		if want := 1 + 2*len(script); parSess.Messages != want || seqSess.Messages != want {
			t.Errorf("sessions count %d (together) and %d (one by one) messages, want %d", parSess.Messages, seqSess.Messages, want)
		}
		if parSess.State != seqSess.State || parSess.Request.Postcode != seqSess.Request.Postcode {
			t.Errorf("together ended in %q %+v, one by one in %q %+v", parSess.State, parSess.Request, seqSess.State, seqSess.Request)
		}
		if fmt.Sprint(parSent) != fmt.Sprint(seqSent) {
			t.Errorf("messages sent together %v, one by one %v; want the same", parSent, seqSent)
		}
	})
}

// TestIntakeHandBackAndWakeUps drives the events that do not come from the
// customer: a hand-back from the dispatcher, and due wake-ups fired by a
// Waker, through the real store.
func TestIntakeHandBackAndWakeUps(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		ctx := context.Background()
		cfg := config.Demo()
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		it, err := bot.NewIntake(cfg.Companies, redisstore.NewScheduler(store),
			bot.IntakeOptions{NudgeAfter: time.Minute, ExpireAfter: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		bt := bot.New(bot.Options{Companies: cfg, Store: store, Customers: it,
			Technicians: bot.Acknowledger{}, Dispatchers: bot.Acknowledger{}, Now: clock})
		f := fixture{bot: bt, store: store, cfg: cfg, co: "demo"}
		texts := func() []string {
			var s []string
			for _, m := range f.outbox(t) {
				if m.To == customer {
					s = append(s, m.Text)
				}
			}
			return s
		}

		f.mustHandle(t, f.in(customer, "h1", "the outside drain is blocked"), f.in(customer, "h2", "can I speak to a person"))
		texts()
		if err := bt.HandBack(ctx, "demo", customer); err != nil {
			t.Fatalf("HandBack = %v", err)
		}
		if got := texts(); len(got) != 1 || got[0] != "Thanks for waiting. What's the address, with postcode?" {
			t.Fatalf("after HandBack the customer got %q, want the pending question again", got)
		}

		// Two minutes of silence: a Waker on "another instance" sends one nudge.
		mu.Lock()
		now = now.Add(2 * time.Minute)
		mu.Unlock()
		waker := bot.NewWaker(bot.WakerOptions{Wakes: store, Bot: bt, Companies: []string{"demo"},
			Every: 5 * time.Millisecond, Now: clock})
		wctx, stop := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- waker.Run(wctx) }()
		deadline := time.Now().Add(10 * time.Second)
		var got []string
		for len(got) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
			got = texts()
		}
		time.Sleep(50 * time.Millisecond) // a second, wrong nudge would arrive meanwhile
		got = append(got, texts()...)
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != "Are you still there? What's the address, with postcode?" {
			t.Fatalf("after two minutes of silence the customer got %q, want one nudge", got)
		}
	})
}
