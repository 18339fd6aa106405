package main

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync/atomic"
	"time"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/bot"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// simSpeed is the driving speed of the simulation, km/h.
const simSpeed = 30

// simReplay runs a world's day through the real dispatch path on an
// embedded Redis, with a clock it moves itself.
type simReplay struct {
	w      *simWorld
	now    time.Time
	store  *redisstore.Store
	sched  *redisstore.Scheduler
	bot    *bot.Bot
	runner *bot.TimerRunner
	techs  []simTech
	techOf map[string]int // technician id → index
	events simQueue
	jobReq map[int64]int     // job number → request index
	asked  map[[2]int64]bool // (job, offer index) answers already planned
	noSlot int
	texts  int // technicians' texts sent
	seq    int // events planned
	errs   *simErrorCount
}

// simTech is a technician as the simulation moves them.
type simTech struct {
	phone    string
	pos      dispatch.LatLon
	busy     bool           // driving to or working on a job
	assigned []dispatch.Job // their assigned jobs not yet started, as last read
}

// simEvent is something a technician does at a time.
type simEvent struct {
	at   time.Time
	seq  int
	tech int
	kind int // simSay, simArrive or simFinish
	job  int64
	text string
}

// The kinds of simEvent.
const (
	simSay    = iota // send text
	simArrive        // the drive to job ends
	simFinish        // the work on job ends
)

// simQueue orders events by time, then by when they were planned.
type simQueue []simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simErrorCount is a log handler that counts the errors the real code logs.
type simErrorCount struct{ n atomic.Int64 }

func (h *simErrorCount) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h *simErrorCount) Handle(context.Context, slog.Record) error    { h.n.Add(1); return nil }
func (h *simErrorCount) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *simErrorCount) WithGroup(string) slog.Handler                { return h }

// simOutcome is what a replay leaves: the jobs as stored, the request of
// each, the requests that found no slot and the texts exchanged.
type simOutcome struct {
	jobs     []dispatch.Job
	jobReq   map[int64]int // job number → request index
	noSlot   int
	techSent int
	botSent  int64
	errors   int64
}

// replay runs w's day, from 07:00 the day before until 02:00 the day after.
func replay(ctx context.Context, w *simWorld) (simOutcome, error) {
	rdb, closeRedis := redisstore.OpenEmbeddedNoExpiry()
	defer closeRedis()
	errs := &simErrorCount{}
	log := slog.New(errs)
	r := &simReplay{w: w, errs: errs, techOf: map[string]int{}, jobReq: map[int64]int{}, asked: map[[2]int64]bool{}}
	clock := func() time.Time { return r.now }
	r.store = redisstore.New(rdb, redisstore.Options{Prefix: "sim", Logger: log})
	r.sched = redisstore.NewScheduler(r.store)
	intake, err := bot.NewIntake(w.cfg.Companies, r.sched, bot.IntakeOptions{Jobs: r.store})
	if err != nil {
		return simOutcome{}, err
	}
	var b *bot.Bot
	desk := bot.NewDesk(bot.DeskOptions{Companies: w.cfg, Store: r.store, Jobs: r.store, Log: log, Now: clock,
		Notify: func(ctx context.Context, co string, who bot.Address, news conversation.Input) error {
			return b.Notify(ctx, co, who, news)
		}})
	b = bot.New(bot.Options{Companies: w.cfg, Store: r.store, StatusLog: r.store, Customers: intake,
		Technicians: desk, Dispatchers: bot.Acknowledger{}, Log: log, Now: clock})
	r.bot = b
	r.runner = bot.NewTimerRunner(bot.TimerRunnerOptions{Timers: r.store, Desk: desk,
		Companies: []string{w.co.ID}, Log: log, Now: clock})
	for i, t := range w.co.Technicians {
		r.techs = append(r.techs, simTech{phone: t.Phone, pos: w.home[i]})
		r.techOf[t.ID] = i
	}

	next := 0
	start, end := w.day.Add(-17*time.Hour), w.day.Add(26*time.Hour)
	for r.now = start; !r.now.After(end); r.now = r.now.Add(time.Minute) {
		if err := ctx.Err(); err != nil {
			return simOutcome{}, err
		}
		dirty := false
		for ; next < len(w.reqs) && !w.reqs[next].book.After(r.now); next++ {
			if err := r.book(ctx, next); err != nil {
				return simOutcome{}, err
			}
			dirty = true
		}
		for range 10 {
			if r.runner.FireDue(ctx, w.co.ID) == 0 {
				break
			}
			dirty = true
		}
		for len(r.events) > 0 && !r.events[0].at.After(r.now) {
			if err := r.do(ctx, heap.Pop(&r.events).(simEvent)); err != nil {
				return simOutcome{}, err
			}
			dirty = true
		}
		for k := 0; dirty && k < 5; k++ {
			if err := r.scan(ctx); err != nil {
				return simOutcome{}, err
			}
			if dirty, err = r.setOff(ctx); err != nil {
				return simOutcome{}, err
			}
		}
	}
	jobs, err := r.store.History(ctx, w.co.ID, start.Add(-time.Hour), end)
	if err != nil {
		return simOutcome{}, err
	}
	sent, err := r.store.Depth(ctx, w.co.ID)
	if err != nil {
		return simOutcome{}, err
	}
	return simOutcome{jobs: jobs, jobReq: r.jobReq, noSlot: r.noSlot,
		techSent: r.texts, botSent: sent, errors: errs.n.Load()}, nil
}

// book books request i the way intake does once it has what it needs:
// an emergency at once with no slot, any other into one of the slots
// Scheduler.Slots offers on the simulated day, or counts it as finding no
// slot.
func (r *simReplay) book(ctx context.Context, i int) error {
	q := r.w.reqs[i]
	co := r.w.co
	req := conversation.Request{Problem: simProblems[q.trade], Urgency: q.urgency, Trade: q.trade, Triaged: true,
		Address: fmt.Sprintf("%d Simulated Road", 1+i), Postcode: q.postcode, Name: fmt.Sprintf("Customer %d", i+1),
		AccessSet: true, DetailsOK: true, Fee: co.Fees.Standard}
	if q.urgency == conversation.Emergency {
		req.Fee, req.FeeAgreed = co.Fees.Emergency, true
	} else {
		offered, err := r.sched.Slots(ctx, co, req, r.now, 3)
		if err != nil {
			return err
		}
		var today []conversation.Slot
		for _, s := range offered {
			if l := s.Start.In(co.Location); l.Year() == r.w.day.Year() && l.YearDay() == r.w.day.YearDay() {
				today = append(today, s)
			}
		}
		if len(today) == 0 {
			r.noSlot++
			return nil
		}
		s := today[min(int(q.pick*float64(len(today))), len(today)-1)]
		req.Slot = &s
	}
	who := bot.Address{Channel: bot.Sim, ID: fmt.Sprintf("customer-%d", i+1)}
	id, err := r.sched.Book(ctx, co, bot.Booking{Key: fmt.Sprintf("sim-%d", i), Customer: who, Request: req,
		At: r.now, FirstMessage: q.first})
	if errors.Is(err, bot.ErrSlotTaken) {
		r.noSlot++
		return nil
	}
	if err != nil {
		return err
	}
	n, _ := dispatch.ParseJobID(id)
	r.jobReq[n] = i
	return nil
}

// scan reads the open jobs: it plans each technician's answer to a new
// offer and notes the jobs each has been given and not started.
func (r *simReplay) scan(ctx context.Context) error {
	open, err := r.store.OpenJobs(ctx, r.w.co.ID)
	if err != nil {
		return err
	}
	for i := range r.techs {
		r.techs[i].assigned = r.techs[i].assigned[:0]
	}
	for _, sj := range open {
		j := sj.Job
		switch j.Status {
		case dispatch.StatusOffered:
			k := len(j.Offers) - 1
			o := j.Offers[k]
			key := [2]int64{j.Number, int64(k)}
			t, ok := r.techOf[o.Tech]
			if o.Answer != "" || r.asked[key] || !ok {
				continue
			}
			r.asked[key] = true
			delay, no := r.w.answer(r.jobReq[j.Number], k)
			word := "YES"
			if no {
				word = "NO"
			}
			r.plan(simEvent{at: o.At.Add(delay), tech: t, kind: simSay, job: j.Number, text: fmt.Sprintf("%s %d", word, j.Number)})
		case dispatch.StatusAssigned:
			if t, ok := r.techOf[j.Tech]; ok {
				r.techs[t].assigned = append(r.techs[t].assigned, j)
			}
		}
	}
	return nil
}

// setOff starts every idle technician on their next job: an emergency at
// once, a slotted job once its slot has begun. A technician who cannot
// reach a job before its slot ends says so. It reports whether anyone
// texted.
func (r *simReplay) setOff(ctx context.Context) (bool, error) {
	texted := false
	for i := range r.techs {
		t := &r.techs[i]
		for !t.busy {
			k := nextJob(t.assigned, r.now)
			if k < 0 {
				break
			}
			j := t.assigned[k]
			t.assigned = append(t.assigned[:k], t.assigned[k+1:]...)
			texted = true
			to := r.w.reqs[r.jobReq[j.Number]].at
			drive := simDrive(t.pos, to)
			if !j.SlotEnd.IsZero() && r.now.Add(drive).After(j.SlotEnd) {
				if err := r.say(ctx, i, fmt.Sprintf("can't make it %d", j.Number)); err != nil {
					return false, err
				}
				continue
			}
			if err := r.say(ctx, i, fmt.Sprintf("omw %d", j.Number)); err != nil {
				return false, err
			}
			t.busy = true
			r.plan(simEvent{at: r.now.Add(drive), tech: i, kind: simArrive, job: j.Number})
		}
	}
	return texted, nil
}

// nextJob returns the index in jobs of the one to start now: the first
// emergency (no slot), else the slotted job that began earliest; -1 for
// none.
func nextJob(jobs []dispatch.Job, now time.Time) int {
	best := -1
	for k, j := range jobs {
		if j.SlotStart.IsZero() {
			return k
		}
		if !j.SlotStart.After(now) && (best < 0 || j.SlotStart.Before(jobs[best].SlotStart)) {
			best = k
		}
	}
	return best
}

// do carries out one planned event.
func (r *simReplay) do(ctx context.Context, e simEvent) error {
	t := &r.techs[e.tech]
	switch e.kind {
	case simSay:
		return r.say(ctx, e.tech, e.text)
	case simArrive:
		t.pos = r.w.reqs[r.jobReq[e.job]].at
		if !r.still(ctx, e.tech, e.job, dispatch.StatusEnRoute) {
			t.busy = false // the job was taken away on the way
			return nil
		}
		r.plan(simEvent{at: r.now.Add(r.w.reqs[r.jobReq[e.job]].service), tech: e.tech, kind: simFinish, job: e.job})
		return r.say(ctx, e.tech, fmt.Sprintf("arrived %d", e.job))
	case simFinish:
		t.busy = false
		if !r.still(ctx, e.tech, e.job, dispatch.StatusOnSite) {
			return nil
		}
		return r.say(ctx, e.tech, fmt.Sprintf("done %d", e.job))
	}
	return fmt.Errorf("simulate: unknown event kind %d", e.kind)
}

// still reports whether job is still technician t's, in status.
func (r *simReplay) still(ctx context.Context, t int, job int64, status string) bool {
	sj, err := r.store.Job(ctx, r.w.co.ID, job)
	return err == nil && sj.Job.Status == status && r.techOf[sj.Job.Tech] == t && sj.Job.Tech != ""
}

// say sends text from technician t through Bot.Handle.
func (r *simReplay) say(ctx context.Context, t int, text string) error {
	r.texts++
	in := bot.Inbound{Company: r.w.co.ID, From: bot.Address{Channel: bot.SMS, ID: r.techs[t].phone}, Text: text,
		ProviderID: fmt.Sprintf("sim-%d", r.texts), At: r.now}
	if err := r.bot.Handle(ctx, in); err != nil {
		return fmt.Errorf("simulate: %q from %s: %w", text, r.w.co.Technicians[t].ID, err)
	}
	return nil
}

// plan queues e.
func (r *simReplay) plan(e simEvent) {
	r.seq++
	e.seq = r.seq
	heap.Push(&r.events, e)
}

// simDrive is how long the drive from a to b takes, in whole minutes, at
// least one.
func simDrive(a, b dispatch.LatLon) time.Duration {
	mins := math.Ceil(dispatch.Distance(a, b) / simSpeed * 60)
	return time.Duration(max(mins, 1)) * time.Minute
}
