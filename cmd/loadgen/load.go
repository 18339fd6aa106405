package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"dispatchbot/adapters/twilio"
)

// plan is one load run.
type plan struct {
	Customers    int           // measured customers in all (-n)
	Telegram     int           // how many of them use Telegram (-telegram)
	Concurrency  int           // SMS customers in flight at once (-c)
	Duration     time.Duration // no new message after this (-duration)
	Warmup       time.Duration // messages posted before this are not timed (-warmup)
	Emergency    float64       // share of SMS customers reporting an emergency (-emergency)
	TGThink      time.Duration // a Telegram customer's pause before answering (-tg-think)
	ReplyTimeout time.Duration // how long a customer waits for the bot's question (-reply-timeout)
	Preload      int           // conversations created first, one message each, not measured (-preload)
	Run          uint32        // this run's block of numbers and message ids
	ShowFailed   int           // print the transcripts of this many failed customers (-show-failed)
}

// runner drives customers through the server's webhooks and keeps score.
type runner struct {
	p      plan
	hc     *http.Client
	prov   *provider
	tw     twilioAccount
	tg     telegramBot
	seq    atomic.Uint64 // message sids and update ids
	stop   chan struct{} // closed when -duration has passed
	once   sync.Once
	record bool // false while preloading: nothing is scored

	from     time.Time    // start of the timed part: the run's start plus Warmup
	all      atomic.Int64 // webhook requests answered 200 while recording, warm-up included
	sent     atomic.Int64 // webhook requests timed
	ok       atomic.Int64 // of which answered 200
	lastDone atomic.Int64 // unix ns of the last timed request's end
	webhook  latencies
	preload  latencies // webhook latency while preloading
	reply    latencies // from posting a message to its first reply
	errs     counter
	outcomes counter
	shown    atomic.Int64 // failed transcripts printed
	log      io.Writer    // where they are printed
}

// newRunner prepares a run against the accounts given.
func newRunner(p plan, hc *http.Client, prov *provider, tw twilioAccount, tg telegramBot, log io.Writer) *runner {
	return &runner{p: p, hc: hc, prov: prov, tw: tw, tg: tg, stop: make(chan struct{}), log: log}
}

// stopNow stops every customer before its next message.
func (r *runner) stopNow() { r.once.Do(func() { close(r.stop) }) }

func (r *runner) stopped() bool {
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// preloadN creates n conversations, one first message each from customers
// numbered after the measured ones, with c in flight. Their replies are
// not waited for. It returns how many were accepted.
func (r *runner) preloadN(ctx context.Context, n, c int) int {
	var accepted atomic.Int64
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(c, 1) {
		wg.Go(func() {
			for i := range next {
				cu := smsCustomer(r.p.Run, r.p.Customers+i, routineScript)
				if r.send(ctx, cu, cu.script.Problem) == nil {
					accepted.Add(1)
				}
			}
		})
	}
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	return int(accepted.Load())
}

// measure runs the measured customers: the SMS ones through Concurrency
// workers, the Telegram ones all at once beside them (each is slow: the
// bot may text a Telegram chat once a second). It returns when every
// customer has finished or stopped, with the length of the timed part:
// from the end of the warm-up to the end of the last timed request.
func (r *runner) measure(ctx context.Context) time.Duration {
	start := time.Now()
	r.record, r.from = true, start.Add(r.p.Warmup)
	timer := time.AfterFunc(r.p.Duration, r.stopNow)
	defer timer.Stop()

	var wg sync.WaitGroup
	nTG := min(r.p.Telegram, r.p.Customers)
	for i := range nTG {
		wg.Go(func() { r.outcomes.add(r.converse(ctx, tgCustomer(r.p.Run, i, routineScript))) })
	}
	next := make(chan customer)
	for range max(r.p.Concurrency, 1) {
		wg.Go(func() {
			for cu := range next {
				r.outcomes.add(r.converse(ctx, cu))
			}
		})
	}
	emergencies := 0.0
feed:
	for i := nTG; i < r.p.Customers; i++ {
		sc := routineScript
		if emergencies += r.p.Emergency; emergencies >= 1 {
			emergencies--
			sc = emergencyScript
		}
		select {
		case next <- smsCustomer(r.p.Run, i, sc):
		case <-r.stop:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if r.lastDone.Load() == 0 {
		return 0
	}
	return time.Unix(0, r.lastDone.Load()).Sub(r.from)
}

// converse takes one customer from the first message to an outcome.
func (r *runner) converse(ctx context.Context, cu customer) string {
	var said []string // the conversation, kept to show when it fails
	outcome := r.talk(ctx, cu, &said)
	if outcome == outcomeFailed && r.shown.Add(1) <= int64(r.p.ShowFailed) {
		fmt.Fprintf(r.log, "failed customer %s:\n  %s\n", cu.addr, strings.Join(said, "\n  "))
	}
	return outcome
}

// talk runs the conversation of converse, appending each line to said.
func (r *runner) talk(ctx context.Context, cu customer, said *[]string) string {
	inbox := r.prov.register(cu.addr)
	defer r.prov.unregister(cu.addr)
	text := cu.script.Problem
	for range maxTurns {
		if r.stopped() || ctx.Err() != nil {
			return outcomeIncomplete
		}
		posted := time.Now()
		*said = append(*said, "> "+text)
		if err := r.send(ctx, cu, text); err != nil {
			*said = append(*said, "! "+err.Error())
			return outcomeFailed
		}
		m := r.await(ctx, inbox, cu.script, posted, said)
		if m.done != "" {
			return m.done
		}
		if cu.telegram && r.p.TGThink > 0 {
			select {
			case <-time.After(r.p.TGThink):
			case <-ctx.Done():
				return outcomeIncomplete
			}
		}
		text = m.say
	}
	r.errs.add("conversation longer than " + strconv.Itoa(maxTurns) + " messages")
	return outcomeFailed
}

// await reads replies until one asks something or ends the conversation.
func (r *runner) await(ctx context.Context, inbox <-chan string, sc script, posted time.Time, said *[]string) move {
	timeout := time.NewTimer(r.p.ReplyTimeout)
	defer timeout.Stop()
	first := true
	for {
		select {
		case <-ctx.Done():
			return move{done: outcomeIncomplete}
		case <-timeout.C:
			r.errs.add("no reply within " + r.p.ReplyTimeout.String())
			return move{done: outcomeFailed}
		case text := <-inbox:
			*said = append(*said, "< "+strings.ReplaceAll(text, "\n", " / "))
			if first {
				r.reply.add(time.Since(posted))
				first = false
			}
			m := sc.next(text)
			if m.odd {
				r.errs.add("unexpected reply: " + clip(text, 60))
			}
			if m.say != "" || m.done != "" {
				return m
			}
		}
	}
}

// send posts one message from cu as its provider would, and scores it.
func (r *runner) send(ctx context.Context, cu customer, text string) error {
	req, err := r.request(ctx, cu, text)
	if err != nil {
		r.fail("build request")
		return err
	}
	t0 := time.Now()
	resp, err := r.hc.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		if cerr := resp.Body.Close(); err == nil {
			err = cerr
		}
	}
	t1 := time.Now()
	if !r.record {
		r.preload.add(t1.Sub(t0))
	}
	timed := r.record && !t0.Before(r.from)
	if timed {
		r.sent.Add(1)
		r.webhook.add(t1.Sub(t0))
		r.lastDone.Store(t1.UnixNano())
	}
	switch {
	case err != nil:
		r.fail(transportKind(err))
		return err
	case resp.StatusCode != http.StatusOK:
		r.fail("http " + strconv.Itoa(resp.StatusCode))
		return errors.New(resp.Status)
	}
	if r.record {
		r.all.Add(1)
	}
	if timed {
		r.ok.Add(1)
	}
	return nil
}

// fail counts an error of kind, apart from the measured ones while preloading.
func (r *runner) fail(kind string) {
	if !r.record {
		kind = "preload: " + kind
	}
	r.errs.add(kind)
}

// request builds the webhook call for one message from cu.
func (r *runner) request(ctx context.Context, cu customer, text string) (*http.Request, error) {
	n := r.seq.Add(1)
	if cu.telegram {
		body, err := tgUpdateJSON(int64(r.p.Run%runBlocks)<<40|int64(n), cu.chatID, text, time.Now())
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.tg.PostURL, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", r.tg.Secret)
		return req, nil
	}
	form := r.tw.smsForm(messageSID(r.p.Run, n), cu.phone, text)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.tw.PostURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilio.Signature(r.tw.AuthToken, r.tw.SignedURL, form))
	return req, nil
}

// transportKind names a failed request's cause briefly, for the error table.
func transportKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection reset"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "transport: " + clip(err.Error(), 60)
}

// clip shortens s to n bytes for a report line, on one line.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
