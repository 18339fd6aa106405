package twilio_test

import (
	"context"
	"sync"
	"time"

	"dispatchbot/bot"
	"dispatchbot/config"
)

// Test credentials must be alphanumeric: twilio-go rejects anything else.
const (
	acmeSID     = "AC00000000000000000000000000000001"
	acmeToken   = "acmetoken0001"
	acmeNumber  = "+441234567890"
	acmeNumber2 = "+441234567891"
	boltSID     = "AC00000000000000000000000000000002"
	boltToken   = "bolttoken0002"
	boltNumber  = "+15005550006"
	customer    = "+447700900123"
)

// companies is a fake Companies over a fixed list.
type companies []*config.Company

func (cs companies) Company(id string) (*config.Company, bool) {
	for _, co := range cs {
		if co.ID == id {
			return co, true
		}
	}
	return nil, false
}

func (cs companies) CompanyByNumber(n string) (*config.Company, bool) {
	for _, co := range cs {
		if co.Channels.Twilio == nil {
			continue
		}
		for _, num := range co.Channels.Twilio.Numbers {
			if num == n {
				return co, true
			}
		}
	}
	return nil, false
}

// testCompanies returns acme and bolt with Twilio accounts, sending fast
// enough that pacing never slows a test, and "tg" with Telegram only.
func testCompanies() companies {
	return companies{
		{ID: "acme", Channels: config.Channels{Twilio: &config.Twilio{
			AccountSID: acmeSID, AuthToken: acmeToken, Numbers: []string{acmeNumber, acmeNumber2}, SegmentsPerSecond: 1000,
		}}},
		{ID: "bolt", Channels: config.Channels{Twilio: &config.Twilio{
			AccountSID: boltSID, AuthToken: boltToken, Numbers: []string{boltNumber}, SegmentsPerSecond: 1000,
		}}},
		{ID: "tg", Channels: config.Channels{Telegram: &config.Telegram{BotToken: "x"}}},
	}
}

// fakeHandler records what the webhook passes on and answers with err.
type fakeHandler struct {
	mu          sync.Mutex
	err         error
	inbound     []bot.Inbound
	statuses    []bot.DeliveryStatus
	hadDeadline bool
}

func (h *fakeHandler) Handle(ctx context.Context, in bot.Inbound) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, h.hadDeadline = ctx.Deadline()
	h.inbound = append(h.inbound, in)
	return h.err
}

func (h *fakeHandler) HandleStatus(ctx context.Context, s bot.DeliveryStatus) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, h.hadDeadline = ctx.Deadline()
	h.statuses = append(h.statuses, s)
	return h.err
}

func (h *fakeHandler) calls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.inbound) + len(h.statuses)
}

// fakeObserver counts inbound outcomes by "channel/outcome".
type fakeObserver struct {
	bot.NopObserver
	mu     sync.Mutex
	counts map[string]int
}

func (o *fakeObserver) Inbound(ch bot.Channel, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counts == nil {
		o.counts = make(map[string]int)
	}
	o.counts[string(ch)+"/"+outcome]++
}

func (o *fakeObserver) snapshot() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := make(map[string]int, len(o.counts))
	for k, v := range o.counts {
		m[k] = v
	}
	return m
}

// fixedNow is the clock of every webhook test.
var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
