package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dispatchbot/adapters/twilio/twiliotest"
)

// customer is one simulated customer who texts the company once.
type customer struct {
	phone string // E.164, unique in the run
	sid   string // the MessageSid of the one message
	pref  int    // the instance the message is posted to first
}

// result is how one customer's message fared at the webhooks.
type result struct {
	status      int           // the last answer's HTTP status; 0 when never answered
	attempts    int           // posts made
	unavailable int           // 503 answers
	unreachable int           // posts with no answer (connection refused or reset)
	other       int           // answers neither 200 nor 503
	latency     time.Duration // of the post that was accepted
	acceptedAt  time.Time     // when the 200 came; zero when none did
}

// newCustomers returns n customers with distinct numbers and message ids,
// spread over instances in turn. Numbers run from +447700910000 up, clear
// of the demo's own people; they never leave loopback.
func newCustomers(n, instances int) []customer {
	run := make([]byte, 6)
	_, _ = rand.Read(run) // crypto/rand never fails
	cs := make([]customer, n)
	for i := range cs {
		cs[i] = customer{
			phone: fmt.Sprintf("+4477009%05d", 10000+i),
			sid:   fmt.Sprintf("SM%s%020d", hex.EncodeToString(run), i),
			pref:  i % max(instances, 1),
		}
	}
	return cs
}

// poster posts customers' messages to the Twilio webhook of the instances,
// signed as Twilio signs them, and retries as Twilio would behind a load
// balancer: a 5xx or no answer is tried again, a dead instance's share
// goes to a live one.
type poster struct {
	hc      *http.Client
	token   string // the company's Twilio auth token
	account string // its account SID
	number  string // its SMS number, the messages' To
	text    string
	// pick returns the base URL to post to for an instance preference,
	// or false when no instance is alive.
	pick     func(pref int) (string, bool)
	retryMin time.Duration // first wait before a retry, doubled each time
	retryMax time.Duration
}

// post delivers c's message, retrying until it is accepted, refused for
// good, or ctx ends.
func (p *poster) post(ctx context.Context, c customer) result {
	var r result
	wait := p.retryMin
	for ctx.Err() == nil {
		base, ok := p.pick(c.pref)
		if ok {
			r.attempts++
			start := time.Now()
			status, err := p.postOnce(ctx, base, c)
			switch {
			case err != nil:
				r.unreachable++
			case status == http.StatusOK:
				r.status, r.latency, r.acceptedAt = status, time.Since(start), time.Now()
				return r
			case status == http.StatusServiceUnavailable:
				r.status = status
				r.unavailable++
			case status >= 500:
				r.status = status
				r.other++
			default:
				r.status = status
				r.other++
				return r
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
		wait = min(2*wait, p.retryMax)
	}
	return r
}

// postOnce makes one signed post to base's Twilio webhook.
func (p *poster) postOnce(ctx context.Context, base string, c customer) (int, error) {
	u := strings.TrimRight(base, "/") + "/webhooks/twilio"
	form := inboundForm(p.account, c.phone, p.number, p.text, c.sid)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, fmt.Errorf("post %s: %w", u, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(p.token, u, form))
	res, err := p.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post %s: %w", u, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body) // lets the connection be reused
	return res.StatusCode, nil
}

// inboundForm is the form Twilio posts for one inbound SMS.
func inboundForm(account, from, to, body, sid string) url.Values {
	return url.Values{
		"AccountSid": {account},
		"ApiVersion": {"2010-04-01"},
		"Body":       {body},
		"From":       {from},
		"MessageSid": {sid},
		"NumMedia":   {"0"},
		"SmsSid":     {sid},
		"To":         {to},
	}
}

// load posts every customer's message at a steady rate with at most
// concurrency posts in flight, and collects the results.
type load struct {
	p           *poster
	customers   []customer
	rate        float64 // posts started per second
	concurrency int

	launched atomic.Int64
	results  []result // by customer index; complete when run returns
	started  time.Time
	finished time.Time
}

// run posts every message, then returns when each has its result or ctx
// has ended.
func (l *load) run(ctx context.Context) {
	l.results = make([]result, len(l.customers))
	sem := make(chan struct{}, max(l.concurrency, 1))
	var wg sync.WaitGroup
	l.started = time.Now()
	interval := time.Duration(float64(time.Second) / l.rate)
	for i, c := range l.customers {
		if d := time.Until(l.started.Add(time.Duration(i) * interval)); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
		select {
		case <-ctx.Done():
		case sem <- struct{}{}:
		}
		if ctx.Err() != nil {
			break
		}
		l.launched.Add(1)
		wg.Go(func() {
			defer func() { <-sem }()
			l.results[i] = l.p.post(ctx, c)
		})
	}
	wg.Wait()
	l.finished = time.Now()
}

// waitLaunched returns once n posts have started, the load is over, or ctx ends.
func (l *load) waitLaunched(ctx context.Context, n int, over <-chan struct{}) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for l.launched.Load() < int64(n) {
		select {
		case <-ctx.Done():
			return
		case <-over:
			return
		case <-t.C:
		}
	}
}

// webhookFigures summarises the results of a load.
type webhookFigures struct {
	accepted, unavailable, unreachable, other, gaveUp int
	otherStatus                                       map[int]int // final non-200 statuses of those given up
	p50, p99, maxLatency                              time.Duration
	rate                                              float64 // accepted per second over the load
}

func summarise(l *load) webhookFigures {
	f := webhookFigures{otherStatus: map[int]int{}}
	var lat []time.Duration
	for _, r := range l.results {
		f.unavailable += r.unavailable
		f.unreachable += r.unreachable
		f.other += r.other
		if r.status == http.StatusOK {
			f.accepted++
			lat = append(lat, r.latency)
			continue
		}
		f.gaveUp++
		f.otherStatus[r.status]++
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		f.p50, f.p99, f.maxLatency = lat[len(lat)/2], lat[(len(lat)*99)/100], lat[len(lat)-1]
	}
	if d := l.finished.Sub(l.started).Seconds(); d > 0 {
		f.rate = float64(f.accepted) / d
	}
	return f
}

func (f webhookFigures) String() string {
	s := fmt.Sprintf("webhooks: %d accepted (%.0f/s; latency p50 %s p99 %s max %s), %d answers 503, %d other answers, %d posts unanswered, %d given up",
		f.accepted, f.rate, round(f.p50), round(f.p99), round(f.maxLatency), f.unavailable, f.other, f.unreachable, f.gaveUp)
	if f.gaveUp > 0 {
		s += fmt.Sprintf(" (last status: %v)", f.otherStatus)
	}
	return s
}

// round shortens a duration for printing.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}
