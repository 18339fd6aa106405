// Package metrics exposes the bot's counters to Prometheus: inbound messages
// by channel and outcome, delivery latency and failures, outbox depth and
// store errors.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dispatchbot/bot"
)

// DepthFunc reports how many messages wait in a company's outbox.
type DepthFunc func(ctx context.Context, company string) (int64, error)

// Metrics is a bot.Observer backed by its own Prometheus registry.
type Metrics struct {
	reg       *prometheus.Registry
	inbound   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	failures  *prometheus.CounterVec
	dead      *prometheus.CounterVec
	storeErrs *prometheus.CounterVec
}

var _ bot.Observer = (*Metrics)(nil)

// New registers the metrics; depth, when not nil, is asked for each
// company's outbox depth at every scrape.
func New(companies []string, depth DepthFunc) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dispatchbot_inbound_messages_total",
			Help: "Inbound messages by channel and outcome.",
		}, []string{"channel", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dispatchbot_delivery_seconds",
			Help:    "Time from entering the outbox to acceptance by the provider.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"channel"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dispatchbot_delivery_failures_total",
			Help: "Failed send attempts by channel.",
		}, []string{"channel"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dispatchbot_delivery_dead_letters_total",
			Help: "Messages given up on (moved to dead letters) or reported failed by the provider.",
		}, []string{"channel"}),
		storeErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dispatchbot_redis_errors_total",
			Help: "Failed Redis operations by operation.",
		}, []string{"op"}),
	}
	m.reg.MustRegister(m.inbound, m.latency, m.failures, m.dead, m.storeErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if depth != nil {
		m.reg.MustRegister(&depthCollector{companies: companies, depth: depth, errs: m.storeErrs})
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry returns the registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Inbound counts one inbound message.
func (m *Metrics) Inbound(ch bot.Channel, outcome string) {
	m.inbound.WithLabelValues(string(ch), outcome).Inc()
}

// Delivered records one delivery's latency.
func (m *Metrics) Delivered(ch bot.Channel, latency time.Duration) {
	m.latency.WithLabelValues(string(ch)).Observe(latency.Seconds())
}

// DeliveryFailed counts a failed send, and a dead letter when final.
func (m *Metrics) DeliveryFailed(ch bot.Channel, final bool) {
	m.failures.WithLabelValues(string(ch)).Inc()
	if final {
		m.dead.WithLabelValues(string(ch)).Inc()
	}
}

// StoreError counts a failed store operation.
func (m *Metrics) StoreError(op string) {
	m.storeErrs.WithLabelValues(op).Inc()
}

// depthCollector asks the store for outbox depths at scrape time.
type depthCollector struct {
	companies []string
	depth     DepthFunc
	errs      *prometheus.CounterVec
}

var depthDesc = prometheus.NewDesc("dispatchbot_outbox_depth",
	"Messages in a company's outbox not yet delivered.", []string{"company"}, nil)

func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc }

func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, co := range c.companies {
		n, err := c.depth(ctx, co)
		if err != nil {
			c.errs.WithLabelValues("outbox_depth").Inc()
			continue
		}
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), co)
	}
}
