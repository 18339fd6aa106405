package bot_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/adapters/redisstore/redistest"
	"dispatchbot/bot"
)

// fakeSender records what it sends and fails as its plan says: plan[i] is
// the error for the i-th call; calls past the plan succeed.
type fakeSender struct {
	mu    sync.Mutex
	plan  []error
	calls int
	sent  []bot.Outbound
	got   chan struct{}
}

func newFakeSender(plan ...error) *fakeSender {
	return &fakeSender{plan: plan, got: make(chan struct{}, 100)}
}

func (s *fakeSender) Send(_ context.Context, m bot.Outbound) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.calls
	s.calls++
	defer func() { s.got <- struct{}{} }()
	if i < len(s.plan) && s.plan[i] != nil {
		return s.plan[i]
	}
	s.sent = append(s.sent, m)
	return nil
}

func (s *fakeSender) snapshot() (calls int, sent []bot.Outbound) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, append([]bot.Outbound(nil), s.sent...)
}

// waitCalls waits until the sender was called n times.
func (s *fakeSender) waitCalls(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if c, _ := s.snapshot(); c >= n {
			return
		}
		select {
		case <-s.got:
		case <-deadline:
			c, _ := s.snapshot()
			t.Fatalf("sender called %d times, want %d", c, n)
		}
	}
}

// countingObserver counts delivery outcomes.
type countingObserver struct {
	bot.NopObserver
	mu              sync.Mutex
	delivered, dead int
}

func (o *countingObserver) Delivered(bot.Channel, time.Duration) {
	o.mu.Lock()
	o.delivered++
	o.mu.Unlock()
}

func (o *countingObserver) DeliveryFailed(_ bot.Channel, final bool) {
	if final {
		o.mu.Lock()
		o.dead++
		o.mu.Unlock()
	}
}

func (o *countingObserver) counts() (delivered, dead int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.delivered, o.dead
}

// runDeliverer runs a fast Deliverer until the test ends.
func runDeliverer(t *testing.T, store *redisstore.Store, sender bot.Sender, obs bot.Observer, tune func(*bot.DeliveryOptions)) {
	t.Helper()
	o := bot.DeliveryOptions{
		Outbox:       store,
		Senders:      map[bot.Channel]bot.Sender{bot.SMS: sender, bot.Telegram: sender},
		Companies:    []string{"acme"},
		Consumer:     "worker-1",
		Block:        20 * time.Millisecond,
		PromoteEvery: 5 * time.Millisecond,
		ClaimEvery:   10 * time.Millisecond,
		BackoffBase:  time.Millisecond,
		BackoffMax:   5 * time.Millisecond,
		MaxAttempts:  4,
		Observer:     obs,
	}
	if tune != nil {
		tune(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- bot.NewDeliverer(o).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
}

func enqueue(t *testing.T, store *redisstore.Store, msgs ...bot.Outbound) {
	t.Helper()
	if err := store.Commit(context.Background(), bot.Change{Company: "acme", Outbox: msgs}); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

func msg(to bot.Address, text string) bot.Outbound {
	return bot.Outbound{Company: "acme", To: to, Via: via, Text: text}
}

// waitDepth waits until the outbox of acme holds n entries.
func waitDepth(t *testing.T, store *redisstore.Store, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, err := store.Depth(context.Background(), "acme")
		if err == nil && d == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox depth = %d (%v), want %d", d, err, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDeliveryRetriesUntilSent(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		sender := newFakeSender(errors.New("provider 500"), errors.New("provider 502"))
		obs := &countingObserver{}
		runDeliverer(t, store, sender, obs, nil)
		enqueue(t, store, msg(customer, "your technician is on the way"))
		sender.waitCalls(t, 3)
		waitDepth(t, store, 0)
		calls, sent := sender.snapshot()
		if calls != 3 || len(sent) != 1 {
			t.Fatalf("calls = %d, sent = %d; want 3 calls and 1 message sent", calls, len(sent))
		}
		if delivered, dead := obs.counts(); delivered != 1 || dead != 0 {
			t.Errorf("observed delivered=%d dead=%d, want 1 and 0", delivered, dead)
		}
	})
}

func TestDeliveryBuriesAfterMaxAttempts(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		fail := errors.New("provider down")
		sender := newFakeSender(fail, fail, fail, fail, fail, fail, fail, fail)
		obs := &countingObserver{}
		runDeliverer(t, store, sender, obs, nil)
		enqueue(t, store, msg(customer, "hello"))
		sender.waitCalls(t, 4)
		waitDepth(t, store, 0)
		// Give a wrongly scheduled fifth attempt the chance to show up.
		time.Sleep(50 * time.Millisecond)
		if calls, sent := sender.snapshot(); calls != 4 || len(sent) != 0 {
			t.Fatalf("calls = %d, sent = %d; want 4 attempts and nothing sent", calls, len(sent))
		}
		if _, dead := obs.counts(); dead != 1 {
			t.Errorf("dead letters observed = %d, want 1", dead)
		}
	})
}

func TestDeliveryPermanentErrorIsNotRetried(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		sender := newFakeSender(errors.Join(errors.New("invalid number"), bot.ErrPermanent))
		obs := &countingObserver{}
		runDeliverer(t, store, sender, obs, nil)
		enqueue(t, store, msg(customer, "hello"))
		sender.waitCalls(t, 1)
		waitDepth(t, store, 0)
		time.Sleep(50 * time.Millisecond)
		if calls, _ := sender.snapshot(); calls != 1 {
			t.Errorf("calls = %d, want 1", calls)
		}
		if _, dead := obs.counts(); dead != 1 {
			t.Errorf("dead letters observed = %d, want 1", dead)
		}
	})
}

func TestDeliveryResumesSplitMessageAfterPartialFailure(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		sender := newFakeSender(&bot.PartialError{Sent: 2, Err: errors.New("timeout")})
		runDeliverer(t, store, sender, nil, nil)
		enqueue(t, store, msg(customer, "long"))
		sender.waitCalls(t, 2)
		waitDepth(t, store, 0)
		_, sent := sender.snapshot()
		if len(sent) != 1 || sent[0].SkipParts != 2 {
			t.Errorf("retry sent %+v, want one send skipping 2 parts", sent)
		}
	})
}

func TestDeliveryNeverSendsToOptedOutNumber(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		sender := newFakeSender()
		enqueue(t, store, msg(customer, "queued before STOP"))
		out := true
		if err := store.Commit(context.Background(), bot.Change{Company: "acme", From: customer, OptOut: &out}); err != nil {
			t.Fatal(err)
		}
		enqueue(t, store, msg(technician, "for the technician"))
		runDeliverer(t, store, sender, nil, nil)
		sender.waitCalls(t, 1)
		waitDepth(t, store, 0)
		_, sent := sender.snapshot()
		if len(sent) != 1 || sent[0].To != technician {
			t.Errorf("sent %+v, want only the technician's message", sent)
		}
	})
}

func TestDeliveryKeepsOrderPerRecipient(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		sender := newFakeSender()
		var want []string
		for i := range 20 {
			text := string(rune('a' + i))
			want = append(want, text)
			enqueue(t, store, msg(customer, text), msg(technician, text))
		}
		runDeliverer(t, store, sender, nil, nil)
		sender.waitCalls(t, 40)
		_, sent := sender.snapshot()
		var got []string
		for _, m := range sent {
			if m.To == customer {
				got = append(got, m.Text)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("customer's messages out of order (-want +got):\n%s", diff)
		}
	})
}

func TestDeliveryTakesOverEntriesOfDeadInstance(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
		enqueue(t, store, msg(customer, "left behind"))
		// An instance takes the entry and dies before sending it.
		envs, err := store.Read(context.Background(), "acme", "dead-instance", 10, time.Millisecond)
		if err != nil || len(envs) != 1 {
			t.Fatalf("Read = %d entries, %v; want 1", len(envs), err)
		}
		if b.Mini != nil {
			b.SetTime(t, time.Now().Add(time.Hour))
		}
		sender := newFakeSender()
		runDeliverer(t, store, sender, nil, func(o *bot.DeliveryOptions) { o.ClaimIdle = 30 * time.Millisecond })
		sender.waitCalls(t, 1)
		waitDepth(t, store, 0)
		if _, sent := sender.snapshot(); len(sent) != 1 || sent[0].Text != "left behind" {
			t.Errorf("sent %+v, want the abandoned message", sent)
		}
	})
}

func TestDeliveryStopsOnCancel(t *testing.T) {
	b := redistest.New(t)
	store := redisstore.New(b.Client, redisstore.Options{Prefix: b.Prefix})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	d := bot.NewDeliverer(bot.DeliveryOptions{Outbox: store, Senders: map[bot.Channel]bot.Sender{},
		Companies: []string{"acme"}, Consumer: "c", Block: 10 * time.Millisecond})
	go func() { done <- d.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
