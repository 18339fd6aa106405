package metrics_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"dispatchbot/adapters/metrics"
	"dispatchbot/bot"
)

func TestMetricsCountWhatTheBotReports(t *testing.T) {
	depth := func(_ context.Context, co string) (int64, error) {
		if co == "broken" {
			return 0, errors.New("redis down")
		}
		return 3, nil
	}
	m := metrics.New([]string{"acme", "broken"}, depth)
	m.Inbound(bot.SMS, bot.OutcomeHandled)
	m.Inbound(bot.SMS, bot.OutcomeHandled)
	m.Inbound(bot.Telegram, bot.OutcomeDuplicate)
	m.Delivered(bot.SMS, 40*time.Millisecond)
	m.DeliveryFailed(bot.SMS, false)
	m.DeliveryFailed(bot.SMS, true)
	m.StoreError("commit")

	want := `
# HELP dispatchbot_inbound_messages_total Inbound messages by channel and outcome.
# TYPE dispatchbot_inbound_messages_total counter
dispatchbot_inbound_messages_total{channel="sms",outcome="handled"} 2
dispatchbot_inbound_messages_total{channel="telegram",outcome="duplicate"} 1
# HELP dispatchbot_delivery_failures_total Failed send attempts by channel.
# TYPE dispatchbot_delivery_failures_total counter
dispatchbot_delivery_failures_total{channel="sms"} 2
# HELP dispatchbot_delivery_dead_letters_total Messages given up on (moved to dead letters) or reported failed by the provider.
# TYPE dispatchbot_delivery_dead_letters_total counter
dispatchbot_delivery_dead_letters_total{channel="sms"} 1
# HELP dispatchbot_outbox_depth Messages in a company's outbox not yet delivered.
# TYPE dispatchbot_outbox_depth gauge
dispatchbot_outbox_depth{company="acme"} 3
`
	names := []string{"dispatchbot_inbound_messages_total", "dispatchbot_delivery_failures_total",
		"dispatchbot_delivery_dead_letters_total", "dispatchbot_outbox_depth"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	// The scrape above queried the depth of "broken", which failed: that
	// counts as a Redis error (seen by any later scrape).
	if got := redisErrors(t, m, "outbox_depth"); got < 1 {
		t.Errorf("redis errors for outbox_depth = %v after a failed depth query, want at least 1", got)
	}
}

func redisErrors(t *testing.T, m *metrics.Metrics, op string) float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "dispatchbot_redis_errors_total" {
			continue
		}
		for _, mm := range mf.GetMetric() {
			for _, l := range mm.GetLabel() {
				if l.GetName() == "op" && l.GetValue() == op {
					return mm.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
