package bot_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

var (
	customer   = bot.Address{Channel: bot.SMS, ID: "+447700900555"}
	technician = bot.Address{Channel: bot.SMS, ID: "+447700900101"}
	dispatcher = bot.Address{Channel: bot.Telegram, ID: "100001"}
	via        = "+441614960000"
)

// fixture is a Bot on a real store for the demo company.
type fixture struct {
	bot   *bot.Bot
	store *redisstore.Store
	cfg   *config.Config
	co    string
}

func newFixture(t *testing.T, b redistest.Backend) fixture {
	t.Helper()
	cfg := config.Demo()
	store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
	bt := bot.New(bot.Options{
		Companies: cfg, Store: store, StatusLog: store,
		Customers: bot.Acknowledger{}, Technicians: bot.Acknowledger{}, Dispatchers: bot.Acknowledger{},
		Now: func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) },
	})
	return fixture{bot: bt, store: store, cfg: cfg, co: cfg.Companies[0].ID}
}

func (f fixture) in(from bot.Address, id, text string) bot.Inbound {
	return bot.Inbound{Company: f.co, From: from, Via: via, Text: text, ProviderID: id, At: time.Now()}
}

// mustHandle applies each message and fails the test on error.
func (f fixture) mustHandle(t *testing.T, ins ...bot.Inbound) {
	t.Helper()
	for _, in := range ins {
		if err := f.bot.Handle(context.Background(), in); err != nil {
			t.Fatalf("Handle(%q) = %v, want nil", in.Text, err)
		}
	}
}

// outbox reads everything queued for the company so far.
func (f fixture) outbox(t *testing.T) []bot.Outbound {
	t.Helper()
	envs, err := f.store.Read(context.Background(), f.co, "test", 100, time.Millisecond)
	if err != nil {
		t.Fatalf("Read outbox: %v", err)
	}
	var out []bot.Outbound
	for _, e := range envs {
		out = append(out, e.Message)
	}
	return out
}

func TestHandleRoutesBySenderRole(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newFixture(t, b)
		f.mustHandle(t,
			f.in(customer, "SM1", "my boiler is leaking"),
			f.in(technician, "SM2", "hello"),
			f.in(dispatcher, "1", "hi"),
		)
		name := f.cfg.Companies[0].Name
		want := []bot.Outbound{
			{Company: f.co, To: customer, Via: via, Text: "Thanks for contacting " + name +
				". We have your message and will reply here shortly. If anyone is in danger, call 999 now."},
			{Company: f.co, To: technician, Via: via, Text: "Hi Alice, message received."},
			{Company: f.co, To: dispatcher, Via: via, Text: "Hi Dana, message received."},
		}
		if diff := cmp.Diff(want, f.outbox(t)); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}
	})
}

func TestHandleAppliesProviderMessageOnce(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newFixture(t, b)
		in := f.in(customer, "SMdup", "no hot water")
		f.mustHandle(t, in, in)
		if got := len(f.outbox(t)); got != 1 {
			t.Fatalf("outbox after the same message twice holds %d messages, want 1", got)
		}
		snap, err := f.store.Load(context.Background(), f.co, customer, "other")
		if err != nil {
			t.Fatal(err)
		}
		if snap.Session.Messages != 1 || snap.Session.Version != 1 {
			t.Errorf("session = %+v, want 1 message at version 1", snap.Session)
		}
	})
}

func TestHandleConcurrentMessagesLoseNoUpdate(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newFixture(t, b)
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- f.bot.Handle(context.Background(), f.in(customer, fmt.Sprintf("SM%d", i), "hello"))
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("Handle = %v, want nil", err)
			}
		}
		snap, err := f.store.Load(context.Background(), f.co, customer, "")
		if err != nil {
			t.Fatal(err)
		}
		if snap.Session.Messages != n {
			t.Errorf("session counts %d messages, want %d", snap.Session.Messages, n)
		}
		if got := len(f.outbox(t)); got != n {
			t.Errorf("outbox holds %d replies, want %d", got, n)
		}
	})
}

func TestHandleSMSKeywords(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newFixture(t, b)
		ctx := context.Background()
		co := f.cfg.Companies[0]
		texts := func(out []bot.Outbound) []string {
			var s []string
			for _, m := range out {
				s = append(s, m.Text)
			}
			return s
		}

		f.mustHandle(t, f.in(customer, "k1", " stop. "))
		if out, err := f.store.OptedOut(ctx, f.co, customer); err != nil || !out {
			t.Fatalf("OptedOut after STOP = %v, %v; want true", out, err)
		}
		f.mustHandle(t, f.in(customer, "k2", "is anyone there?"), f.in(customer, "k3", "HELP"))
		if got := f.outbox(t); len(got) != 0 {
			t.Fatalf("sent %q to an opted-out number, want nothing", texts(got))
		}

		f.mustHandle(t, f.in(customer, "k4", "Start"), f.in(customer, "k5", "help"))
		want := []string{
			"You're resubscribed to messages from " + co.Name + ". Reply STOP to stop, HELP for help.",
			co.Name + ": text us what's wrong and where, and we'll book a technician. Contact: " + co.Contact + ". Reply STOP to stop messages.",
		}
		if diff := cmp.Diff(want, texts(f.outbox(t))); diff != "" {
			t.Errorf("replies after START, HELP (-want +got):\n%s", diff)
		}
		if out, err := f.store.OptedOut(ctx, f.co, customer); err != nil || out {
			t.Fatalf("OptedOut after START = %v, %v; want false", out, err)
		}

		// On Telegram the words are ordinary text.
		tgUser := bot.Address{Channel: bot.Telegram, ID: "555"}
		f.mustHandle(t, f.in(tgUser, "77", "stop"))
		if out, _ := f.store.OptedOut(ctx, f.co, tgUser); out {
			t.Error("a Telegram STOP opted the chat out; want it handled as text")
		}
		if got := len(f.outbox(t)); got != 1 {
			t.Errorf("Telegram STOP got %d replies, want 1", got)
		}
	})
}

func TestHandleUnknownCompanyWritesNothing(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newFixture(t, b)
		in := f.in(customer, "SMx", "hi")
		in.Company = "nope"
		if err := f.bot.Handle(context.Background(), in); !errors.Is(err, bot.ErrUnknownCompany) {
			t.Fatalf("Handle(unknown company) = %v, want ErrUnknownCompany", err)
		}
		snap, err := f.store.Load(context.Background(), f.co, customer, "SMx")
		if err != nil {
			t.Fatal(err)
		}
		if snap.Seen || snap.Session.Version != 0 {
			t.Errorf("state written for an unknown company: %+v", snap)
		}
	})
}

func TestHandleStatusOptsOutUnsubscribedRecipient(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		f := newFixture(t, b)
		ctx := context.Background()
		st := bot.DeliveryStatus{Company: f.co, To: customer, ProviderID: "SMq", Status: "undelivered", ErrorCode: "21610", At: time.Now()}
		if err := f.bot.HandleStatus(ctx, st); err != nil {
			t.Fatalf("HandleStatus = %v", err)
		}
		if out, err := f.store.OptedOut(ctx, f.co, customer); err != nil || !out {
			t.Errorf("OptedOut after a 21610 report = %v, %v; want true", out, err)
		}
		delivered := st
		delivered.Status, delivered.To = "delivered", technician
		if err := f.bot.HandleStatus(ctx, delivered); err != nil {
			t.Fatalf("HandleStatus(delivered) = %v", err)
		}
		if out, _ := f.store.OptedOut(ctx, f.co, technician); out {
			t.Error("a delivered report opted the recipient out")
		}
	})
}
