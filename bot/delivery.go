package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// DeliveryOptions configures a Deliverer. Outbox, Senders, Companies and
// Consumer are required; the rest have defaults.
type DeliveryOptions struct {
	Outbox    Outbox
	Senders   map[Channel]Sender
	Companies []string // company ids whose outboxes this instance drains
	Consumer  string   // this instance's name in the consumer group; unique per instance

	Workers      int           // concurrent sends per company; default 8
	Batch        int           // entries read at once; default 32
	Block        time.Duration // how long a read waits for new entries; default 2s
	ClaimIdle    time.Duration // pending this long, an entry is taken over; default 60s
	ClaimEvery   time.Duration // how often to look for such entries; default 15s
	PromoteEvery time.Duration // how often due retries are moved back; default 500ms
	MaxAttempts  int           // failed sends before the dead letter; default 8
	BackoffBase  time.Duration // first retry delay, doubled each time; default 2s
	BackoffMax   time.Duration // cap on the retry delay; default 10m
	SendTimeout  time.Duration // bound on one send; default 30s

	Observer Observer
	Log      *slog.Logger
	Now      func() time.Time
}

// Deliverer drains company outboxes through the channel Senders, retrying
// with backoff, burying what cannot be sent and taking over entries left
// by instances that died.
type Deliverer struct {
	o DeliveryOptions
}

// NewDeliverer returns a Deliverer with defaults filled in.
func NewDeliverer(o DeliveryOptions) *Deliverer {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Batch <= 0 {
		o.Batch = 32
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	def(&o.Block, 2*time.Second)
	def(&o.ClaimIdle, time.Minute)
	def(&o.ClaimEvery, 15*time.Second)
	def(&o.PromoteEvery, 500*time.Millisecond)
	def(&o.BackoffBase, 2*time.Second)
	def(&o.BackoffMax, 10*time.Minute)
	def(&o.SendTimeout, 30*time.Second)
	if o.Observer == nil {
		o.Observer = NopObserver{}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Deliverer{o: o}
}

// Run delivers until ctx ends, then finishes the sends already taken and
// returns. Entries read but not yet started stay pending and are taken over
// by another instance after ClaimIdle.
func (d *Deliverer) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, co := range d.o.Companies {
		wg.Go(func() { d.runCompany(ctx, co) })
	}
	wg.Wait()
	return nil
}

// runCompany runs the readers and workers of one company's outbox.
func (d *Deliverer) runCompany(ctx context.Context, co string) {
	// The workers' opt-out checks and acknowledgements go to Redis in
	// batches: what the others ask while one batch is on its way goes in
	// the next, so busy workers share round trips and idle ones wait for
	// none. A worker waits for its opt-out check but not for its
	// acknowledgement, which is sent with the next batch; an instance that
	// dies before that leaves the entry pending, as it would between a send
	// and its acknowledgement anyway, and shutting down sends every batch.
	// Both outlive ctx, like the sends in flight.
	bg := context.WithoutCancel(ctx)
	optouts := newBatcher(func(ctx context.Context, addrs []Address) ([]bool, error) {
		return d.o.Outbox.OptOuts(ctx, co, addrs)
	})
	dones := newBatcher(func(ctx context.Context, ids []string) ([]struct{}, error) {
		return make([]struct{}, len(ids)), d.doneRetrying(ctx, co, ids)
	})
	var batchers sync.WaitGroup
	batchers.Go(func() { optouts.run(bg, d.o.SendTimeout, nil) })
	batchers.Go(func() {
		dones.run(bg, d.o.SendTimeout, func(ids []string, err error) {
			d.o.Observer.StoreError("outbox_done")
			d.o.Log.Error("outbox done failed; entries stay pending", "company", co, "entries", len(ids), "err", err)
		})
	})
	c := companyOutbox{co: co, optouts: optouts, dones: dones}

	// Each recipient always maps to the same worker, so one instance sends a
	// person's messages in the order they were queued. At most two entries
	// per worker are held at once: an entry read but left waiting here
	// longer than ClaimIdle would be taken over and sent twice. Entries
	// taken over from other instances have slots of their own, so a reader
	// blocked waiting for new entries never starves the take-over.
	held, claimed := newSlots(2*d.o.Workers), newSlots(d.o.Workers)
	queues := make([]chan queued, d.o.Workers)
	var workers sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan queued, d.o.Batch)
		workers.Go(func() {
			for q := range queues[i] {
				if ctx.Err() == nil {
					d.deliver(bg, c, q.env)
				} // else shutting down: what has not started stays pending and is taken over by another instance after ClaimIdle
				q.slots.release(1)
			}
		})
	}
	route := func(envs []Envelope, from *slots) {
		for _, env := range envs {
			h := fnv.New32a()
			h.Write([]byte(env.Message.To.String()))
			queues[h.Sum32()%uint32(len(queues))] <- queued{env: env, slots: from}
		}
	}
	var feeders sync.WaitGroup
	feeders.Go(func() { d.readLoop(ctx, co, held, route) })
	feeders.Go(func() {
		d.every(ctx, d.o.ClaimEvery, func() {
			n := claimed.take(ctx, d.o.Batch, false)
			if n == 0 {
				return // busy: what is pending waits for the next pass
			}
			envs, err := d.o.Outbox.Reclaim(ctx, co, d.o.Consumer, d.o.ClaimIdle, n)
			claimed.release(n - len(envs))
			if err != nil {
				d.storeError(ctx, "reclaim", co, err)
				return
			}
			if len(envs) > 0 {
				d.o.Log.Info("took over pending messages", "company", co, "count", len(envs))
			}
			route(envs, claimed)
		})
	})
	feeders.Go(func() {
		d.every(ctx, d.o.PromoteEvery, func() {
			if _, err := d.o.Outbox.Promote(ctx, co, d.o.Now(), d.o.Batch); err != nil {
				d.storeError(ctx, "promote", co, err)
			}
		})
	})
	feeders.Wait()
	for _, q := range queues {
		close(q)
	}
	workers.Wait()
	optouts.close()
	dones.close()
	batchers.Wait()
}

// companyOutbox is what a worker needs of one company's outbox.
type companyOutbox struct {
	co      string
	optouts *batcher[Address, bool]
	dones   *batcher[string, struct{}]
}

// readLoop reads new entries, no more at once than held has room for,
// until ctx ends, backing off while the store fails.
func (d *Deliverer) readLoop(ctx context.Context, co string, held *slots, route func([]Envelope, *slots)) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		n := held.take(ctx, d.o.Batch, true)
		if n == 0 {
			continue // ctx ended
		}
		envs, err := d.o.Outbox.Read(ctx, co, d.o.Consumer, n, d.o.Block)
		held.release(n - len(envs))
		if err != nil {
			d.storeError(ctx, "read", co, err)
			sleep(ctx, pause)
			pause = min(2*pause, 5*time.Second)
			continue
		}
		pause = 100 * time.Millisecond
		route(envs, held)
	}
}

// every calls f each period until ctx ends.
func (d *Deliverer) every(ctx context.Context, period time.Duration, f func()) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}

func (d *Deliverer) storeError(ctx context.Context, op, co string, err error) {
	if ctx.Err() != nil {
		return // shutting down
	}
	d.o.Observer.StoreError("outbox_" + op)
	d.o.Log.Error("outbox "+op+" failed", "company", co, "err", err)
}

// deliver sends one entry and settles it: done, retried later, or buried.
func (d *Deliverer) deliver(ctx context.Context, c companyOutbox, env Envelope) {
	m := env.Message
	log := d.o.Log.With("company", m.Company, "to", m.To.Masked(), "entry", env.ID, "attempt", env.Attempt)
	ctx, cancel := context.WithTimeout(ctx, d.o.SendTimeout)
	defer cancel()

	if m.To.Channel == SMS || m.To.Channel == WhatsApp {
		out, err := c.optouts.do(ctx, m.To)
		if err != nil {
			// Left pending: another pass takes it over after ClaimIdle.
			d.storeError(ctx, "optout", m.Company, err)
			return
		}
		if out {
			log.Info("message dropped: recipient opted out")
			d.done(ctx, log, c, env)
			return
		}
	}
	sender, ok := d.o.Senders[m.To.Channel]
	if !ok {
		d.bury(ctx, log, env, fmt.Sprintf("no sender for channel %q", m.To.Channel))
		return
	}
	err := sender.Send(ctx, m)
	if err == nil {
		d.o.Observer.Delivered(m.To.Channel, d.o.Now().Sub(env.Enqueued))
		d.done(ctx, log, c, env)
		return
	}
	if pe, ok := errors.AsType[*PartialError](err); ok {
		env.Message.SkipParts = pe.Sent
	}
	env.Attempt++
	if errors.Is(err, ErrPermanent) || env.Attempt >= d.o.MaxAttempts {
		d.bury(ctx, log, env, err.Error())
		return
	}
	wait := d.backoff(env.Attempt)
	if ra, ok := errors.AsType[*RetryAfterError](err); ok {
		wait = max(ra.After, wait/4)
	}
	d.o.Observer.DeliveryFailed(m.To.Channel, false)
	log.Warn("send failed, will retry", "err", err, "in", wait)
	d.settle(log, "retry", d.o.Outbox.Retry(ctx, env, d.o.Now().Add(wait)))
}

// done queues a settled entry for removal with the next batch.
func (d *Deliverer) done(ctx context.Context, log *slog.Logger, c companyOutbox, env Envelope) {
	if env.Message.Company != c.co { // not read from this company's outbox
		d.settle(log, "done", d.o.Outbox.Done(ctx, env.Message.Company, env.ID))
		return
	}
	c.dones.put(env.ID)
}

func (d *Deliverer) bury(ctx context.Context, log *slog.Logger, env Envelope, reason string) {
	d.o.Observer.DeliveryFailed(env.Message.To.Channel, true)
	log.Error("message moved to dead letters", "reason", reason)
	d.settle(log, "bury", d.o.Outbox.Bury(ctx, env, reason))
}

// settle reports a failure to record how an entry ended; the entry then
// stays pending and is taken over after ClaimIdle.
func (d *Deliverer) settle(log *slog.Logger, op string, err error) {
	if err != nil {
		d.o.Observer.StoreError("outbox_" + op)
		log.Error("outbox "+op+" failed; entry stays pending", "err", err)
	}
}

// backoff is the delay before retry n (1-based): exponential with jitter.
func (d *Deliverer) backoff(n int) time.Duration {
	b := d.o.BackoffBase << min(n-1, 30)
	if b <= 0 || b > d.o.BackoffMax {
		b = d.o.BackoffMax
	}
	return b/2 + rand.N(b/2+1)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// batcher hands the requests of many goroutines to one function in
// batches: a call waits for the batch it joined, and the requests that come
// while one batch runs make up the next.
type batcher[In, Out any] struct {
	reqs chan batchCall[In, Out]
	fn   func(ctx context.Context, in []In) ([]Out, error)
}

type batchCall[In, Out any] struct {
	in  In
	out chan batchResult[Out]
}

type batchResult[Out any] struct {
	v   Out
	err error
}

// maxBatch bounds one batch.
const maxBatch = 128

// newBatcher returns a batcher of fn, which must return one Out per In.
func newBatcher[In, Out any](fn func(ctx context.Context, in []In) ([]Out, error)) *batcher[In, Out] {
	return &batcher[In, Out]{reqs: make(chan batchCall[In, Out], maxBatch), fn: fn}
}

// put adds in to the next batch without waiting for it; a failure goes to
// run's onErr.
func (b *batcher[In, Out]) put(in In) {
	b.reqs <- batchCall[In, Out]{in: in}
}

// do adds in to the next batch and returns its result.
func (b *batcher[In, Out]) do(ctx context.Context, in In) (Out, error) {
	out := make(chan batchResult[Out], 1)
	select {
	case b.reqs <- batchCall[In, Out]{in: in, out: out}:
	case <-ctx.Done():
		var zero Out
		return zero, ctx.Err()
	}
	r := <-out // run answers every call it takes
	return r.v, r.err
}

// run serves batches until close, giving each at most timeout. onErr
// hears of the failures of calls made with put; it may be nil if there
// are none.
func (b *batcher[In, Out]) run(ctx context.Context, timeout time.Duration, onErr func([]In, error)) {
	calls := make([]batchCall[In, Out], 0, maxBatch)
	ins := make([]In, 0, maxBatch)
	for first := range b.reqs {
		calls, ins = append(calls[:0], first), append(ins[:0], first.in)
	more:
		for len(calls) < maxBatch {
			select {
			case c, ok := <-b.reqs:
				if !ok {
					break more
				}
				calls, ins = append(calls, c), append(ins, c.in)
			default:
				break more
			}
		}
		cctx, cancel := context.WithTimeout(ctx, timeout)
		outs, err := b.fn(cctx, ins)
		cancel()
		if err == nil && len(outs) != len(ins) {
			err = fmt.Errorf("batch of %d gave %d results", len(ins), len(outs))
		}
		var failed []In // of the calls made with put
		for i, c := range calls {
			if c.out == nil {
				if err != nil {
					failed = append(failed, c.in)
				}
				continue
			}
			r := batchResult[Out]{err: err}
			if err == nil {
				r.v = outs[i]
			}
			c.out <- r
		}
		if len(failed) > 0 {
			onErr(failed, err)
		}
	}
}

// close ends run once the calls already made are answered; no call may
// follow it.
func (b *batcher[In, Out]) close() { close(b.reqs) }

// doneRetrying acknowledges delivered entries, trying again every half
// second at most for up to ClaimIdle while the store fails: an entry left
// pending would be taken over and sent a second time, and once the store
// is back the acknowledgement lands well before the entry has been idle
// for ClaimIdle.
func (d *Deliverer) doneRetrying(ctx context.Context, co string, ids []string) error {
	bg := context.WithoutCancel(ctx)
	deadline := d.o.Now().Add(d.o.ClaimIdle)
	pause := 100 * time.Millisecond
	for {
		cctx, cancel := context.WithTimeout(bg, d.o.SendTimeout)
		err := d.o.Outbox.Done(cctx, co, ids...)
		cancel()
		if err == nil || d.o.Now().Add(pause).After(deadline) {
			return err
		}
		sleep(bg, pause)
		pause = min(2*pause, 500*time.Millisecond)
	}
}

// queued is an entry waiting for a worker, with the slots it holds.
type queued struct {
	env   Envelope
	slots *slots
}

// slots counts the entries one company's workers hold.
type slots struct {
	free chan struct{}
}

func newSlots(n int) *slots {
	s := &slots{free: make(chan struct{}, n)}
	for range n {
		s.free <- struct{}{}
	}
	return s
}

// take claims up to most slots, waiting for the first when wait is set
// (until ctx ends); it returns how many it claimed.
func (s *slots) take(ctx context.Context, most int, wait bool) int {
	n := 0
	if wait {
		select {
		case <-s.free:
			n++
		case <-ctx.Done():
			return 0
		}
	}
	for n < most {
		select {
		case <-s.free:
			n++
		default:
			return n
		}
	}
	return n
}

// release gives back n slots.
func (s *slots) release(n int) {
	for range n {
		s.free <- struct{}{}
	}
}
