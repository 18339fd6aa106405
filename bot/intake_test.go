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
