package telegram

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"dispatchbot/adapters/telegram/telegramtest"
	"dispatchbot/bot"
	"dispatchbot/config"
)

// fakeClock is a clock that only moves when something sleeps on it.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	slept   []time.Duration
	onSleep func() // called after each sleep, if set
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.slept = append(f.slept, d.Round(time.Millisecond))
	hook := f.onSleep
	f.mu.Unlock()
	if hook != nil {
		hook()
	}
	return nil
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func (f *fakeClock) sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

// mustFakeClockSender returns a Sender for company acme against api whose
// limiters run on a fake clock.
func mustFakeClockSender(tb testing.TB, api *telegramtest.API, perBot, perChat float64) (*Sender, *fakeClock) {
	tb.Helper()
	companies := []*config.Company{{ID: "acme", Channels: config.Channels{
		Telegram: &config.Telegram{BotToken: "1:TOKEN", WebhookSecret: "x"}}}}
	s, err := NewSender(companies, SenderOptions{APIBase: api.URL, PerBot: perBot, PerChat: perChat,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatalf("NewSender() = %v", err)
	}
	fc := &fakeClock{t: time.Now()}
	s.clock = clock{now: fc.now, sleep: fc.sleep}
	return s, fc
}

func tgTo(chat string) bot.Address { return bot.Address{Channel: bot.Telegram, ID: chat} }

func TestSenderLimiterConfig(t *testing.T) {
	tests := []struct {
		perBot, perChat float64
		wantBot         rate.Limit
		wantBurst       int
		wantChat        rate.Limit
	}{
		{0, 0, 30, 30, 1},
		{2.5, 0.5, 2.5, 3, 0.5},
		{20, 20, 20, 20, 20},
	}
	for _, tt := range tests {
		api := telegramtest.NewAPI(t)
		s, fc := mustFakeClockSender(t, api, tt.perBot, tt.perChat)
		b := s.bots["acme"].lim
		if b.Limit() != tt.wantBot || b.Burst() != tt.wantBurst {
			t.Errorf("PerBot %v: bot limiter = %v/s burst %d, want %v/s burst %d",
				tt.perBot, b.Limit(), b.Burst(), tt.wantBot, tt.wantBurst)
		}
		c := s.chats.get("acme:1", fc.now())
		if c.Limit() != tt.wantChat || c.Burst() != 1 {
			t.Errorf("PerChat %v: chat limiter = %v/s burst %d, want %v/s burst 1",
				tt.perChat, c.Limit(), c.Burst(), tt.wantChat)
		}
	}
}

func TestSenderPerChatLimit(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s, fc := mustFakeClockSender(t, api, 1000, 20) // one message per 50ms per chat
	ctx := context.Background()

	for i := range 5 {
		if err := s.Send(ctx, bot.Outbound{Company: "acme", To: tgTo("1"), Text: "hi"}); err != nil {
			t.Fatalf("Send #%d to chat 1 = %v", i+1, err)
		}
	}
	want := []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	if diff := cmp.Diff(want, fc.sleeps()); diff != "" {
		t.Errorf("waits for 5 sends to one chat (-want +got):\n%s", diff)
	}

	// Other chats have their own budget: no more waiting.
	for _, chat := range []string{"2", "3"} {
		if err := s.Send(ctx, bot.Outbound{Company: "acme", To: tgTo(chat), Text: "hi"}); err != nil {
			t.Fatalf("Send to chat %s = %v", chat, err)
		}
	}
	if got := len(fc.sleeps()); got != len(want) {
		t.Errorf("sending to two new chats waited; %d waits in all, want %d", got, len(want))
	}
	if got := len(api.Messages()); got != 7 {
		t.Errorf("fake got %d messages, want 7", got)
	}
}

func TestSenderPerBotLimit(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s, fc := mustFakeClockSender(t, api, 2, 1000) // burst 2, then one per 500ms
	for _, chat := range []string{"1", "2", "3", "4"} {
		if err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: tgTo(chat), Text: "hi"}); err != nil {
			t.Fatalf("Send to chat %s = %v", chat, err)
		}
	}
	want := []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}
	if diff := cmp.Diff(want, fc.sleeps()); diff != "" {
		t.Errorf("waits for 4 sends to 4 chats at 2/s (-want +got):\n%s", diff)
	}
}

func TestSenderRateWaitPastDeadline(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s, fc := mustFakeClockSender(t, api, 1000, 0.1) // one message per 10s per chat
	m := bot.Outbound{Company: "acme", To: tgTo("1"), Text: "hi"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("first Send = %v", err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), fc.now().Add(time.Second))
	defer cancel()
	err := s.Send(ctx, m)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send needing a 10s wait with 1s left = %v, want DeadlineExceeded", err)
	}
	if errors.Is(err, bot.ErrPermanent) {
		t.Errorf("Send = %v, want a retryable error", err)
	}
	if got := fc.sleeps(); len(got) != 0 {
		t.Errorf("Send slept %v, want no sleep", got)
	}
	// The cancelled reservation gave the token back: 10s later one send goes at once.
	fc.advance(10 * time.Second)
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send after 10s = %v", err)
	}
	if got := fc.sleeps(); len(got) != 0 {
		t.Errorf("Send after the wait slept %v, want no sleep", got)
	}
}

func TestChatLimitsEvictIdle(t *testing.T) {
	c := newChatLimits(1)
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	a := c.get("a", t0)
	b := c.get("b", t0.Add(time.Minute))
	if got := c.len(); got != 2 {
		t.Fatalf("len after 2 chats = %d, want 2", got)
	}
	c.get("c", t0.Add(5*time.Minute+30*time.Second)) // a idle 5m30s: gone; b idle 4m30s: kept
	if got := c.len(); got != 2 {
		t.Errorf("len after sweep = %d, want 2 (b and c)", got)
	}
	if c.get("b", t0.Add(5*time.Minute+40*time.Second)) != b {
		t.Errorf("get(b) made a new limiter, want the kept one")
	}
	if c.get("a", t0.Add(5*time.Minute+50*time.Second)) == a {
		t.Errorf("get(a) returned the evicted limiter, want a new one")
	}
	c.get("d", t0.Add(time.Hour))
	if got := c.len(); got != 1 {
		t.Errorf("len an hour later = %d, want 1", got)
	}
}

func TestSenderChatLimitsStaySmall(t *testing.T) {
	api := telegramtest.NewAPI(t)
	s, fc := mustFakeClockSender(t, api, 1000, 1)
	for i := range 50 {
		chat := strconv.Itoa(100 + i)
		if err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: tgTo(chat), Text: "hi"}); err != nil {
			t.Fatalf("Send to chat %s = %v", chat, err)
		}
	}
	if got := s.chats.len(); got != 50 {
		t.Fatalf("chat limiters after 50 chats = %d, want 50", got)
	}
	fc.advance(10 * time.Minute)
	if err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: tgTo("9"), Text: "hi"}); err != nil {
		t.Fatalf("Send = %v", err)
	}
	if got := s.chats.len(); got != 1 {
		t.Errorf("chat limiters after 10 idle minutes = %d, want 1", got)
	}
}

func TestSenderPartialFailure(t *testing.T) {
	a, b, c := strings.Repeat("a", 4000), strings.Repeat("b", 4000), strings.Repeat("c", 3000)
	text := a + "\n\n" + b + "\n\n" + c
	tests := []struct {
		name      string
		skip      int
		failFirst bool     // the first part of this call fails
		wantSent  int      // PartialError.Sent; -1 means no PartialError
		wantAt    []string // what reached the fake
	}{
		{"second part fails", 0, false, 1, []string{a}},
		{"third part fails after skipping one", 1, false, 2, []string{b}},
		{"first part of a resumed send fails", 1, true, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := telegramtest.NewAPI(t)
			// The chat limiter (burst 1) sleeps before every part after the
			// first; the first sleep arms the failure for the next part.
			s, fc := mustFakeClockSender(t, api, 1000, 20)
			var once sync.Once
			fc.onSleep = func() {
				once.Do(func() { api.FailNext(1, http.StatusTooManyRequests, "Too Many Requests: retry after 3", 3) })
			}
			if tt.failFirst {
				api.FailNext(1, http.StatusTooManyRequests, "Too Many Requests: retry after 3", 3)
			}

			err := s.Send(context.Background(), bot.Outbound{Company: "acme", To: tgTo("42"), Text: text, SkipParts: tt.skip})
			var pe *bot.PartialError
			switch {
			case tt.wantSent < 0 && errors.As(err, &pe):
				t.Errorf("Send = %v, want no PartialError", err)
			case tt.wantSent >= 0 && !errors.As(err, &pe):
				t.Errorf("Send = %v, want a PartialError", err)
			case tt.wantSent >= 0 && pe.Sent != tt.wantSent:
				t.Errorf("PartialError.Sent = %d, want %d", pe.Sent, tt.wantSent)
			}
			var ra *bot.RetryAfterError
			if !errors.As(err, &ra) || ra.After != 3*time.Second {
				t.Errorf("Send = %v, want it to wrap a RetryAfterError of 3s", err)
			}
			var got []string
			for _, m := range api.Messages() {
				got = append(got, m.Text)
			}
			if diff := cmp.Diff(tt.wantAt, got); diff != "" {
				t.Errorf("messages at the fake (-want +got):\n%s", diff)
			}
		})
	}
}
