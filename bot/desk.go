package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// DeskOptions configures a Desk. Companies, Store, Jobs and Notify are required.
type DeskOptions struct {
	Companies Companies
	Store     Store
	Jobs      Jobs
	// Notify applies job news to a customer's conversation; Bot.Notify.
	Notify func(ctx context.Context, company string, who Address, news conversation.Input) error
	// Slots gives back the slot of a cancelled job; nil keeps holds until
	// their day is over.
	Slots SlotReleaser
	Log   *slog.Logger
	Now   func() time.Time
}

// Desk does a dispatcher's routine work: it finds the technician for each
// job, sends offers and moves on when they are declined or run out, answers
// technicians' texts (it is the technicians' Handler), and fires job timers:
// offer expiry, reminders, feedback requests and moves.
type Desk struct {
	o DeskOptions
}

var _ Handler = (*Desk)(nil)

// NewDesk returns a Desk with defaults filled in.
func NewDesk(o DeskOptions) *Desk {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Desk{o: o}
}

// plan collects what one decision changes, committed together.
type plan struct {
	jobs   []JobWrite
	out    []Outbound
	timers []Timer
}

func (p *plan) write(before StoredJob, after dispatch.Job) {
	p.jobs = append(p.jobs, JobWrite{Before: before, After: after})
}

// Fire carries out one due timer of company. A nil error means the timer
// is done with and may be removed; a timer whose job moved on does nothing.
func (d *Desk) Fire(ctx context.Context, company string, t Timer) error {
	co, ok := d.o.Companies.Company(company)
	if !ok {
		return fmt.Errorf("desk: %s: %w", company, ErrUnknownCompany)
	}
	switch t.Kind {
	case TimerFeedback, TimerMove, TimerTakeover, TimerRelease:
		return d.notify(ctx, co, t)
	case TimerFree:
		return d.free(ctx, co, t)
	case TimerMatch, TimerExpire, TimerRemind:
	default:
		d.o.Log.Warn("unknown timer dropped", "company", company, "timer", t.Member())
		return nil
	}
	for i := range maxAttempts {
		sj, err := d.o.Jobs.Job(ctx, co.ID, t.Job)
		if errors.Is(err, ErrNoJob) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("desk: %s: %w", t.Member(), err)
		}
		now := d.o.Now()
		var p plan
		j := sj.Job
		switch t.Kind {
		case TimerMatch:
			j, err = d.match(ctx, co, j, now, &p)
		case TimerExpire:
			if next, expired := dispatch.ExpireOffer(j, now); expired && fmt.Sprint(len(j.Offers)-1) == t.Arg {
				tech := j.Offers[len(j.Offers)-1].Tech
				j, err = d.match(ctx, co, next, now, &p)
				if a, ok := techAddress(co, tech); ok && err == nil {
					p.out = slices.Insert(p.out, 0, Outbound{Company: co.ID, To: a, Text: ranOutText(j, next, tech)})
				}
			}
		case TimerRemind:
			j = d.remind(co, j, t.Arg, now, &p)
		}
		if err != nil {
			return fmt.Errorf("desk: %s: %w", t.Member(), err)
		}
		if len(j.Audit) != len(sj.Job.Audit) || len(j.Reminded) != len(sj.Job.Reminded) || !j.Escalated.Equal(sj.Job.Escalated) {
			p.write(sj, j)
		}
		if len(p.jobs) == 0 && len(p.out) == 0 && len(p.timers) == 0 {
			return nil
		}
		err = d.o.Store.Commit(ctx, Change{Company: co.ID, Jobs: p.jobs, Outbox: p.out, Timers: p.timers})
		if errors.Is(err, conversation.ErrConflict) {
			backOff(ctx, i)
			continue
		}
		if err != nil {
			return fmt.Errorf("desk: %s: %w", t.Member(), err)
		}
		return nil
	}
	return fmt.Errorf("desk: %s: %w", t.Member(), conversation.ErrConflict)
}

// notify passes a feedback request or a move to the customer's conversation.
func (d *Desk) notify(ctx context.Context, co *config.Company, t Timer) error {
	sj, err := d.o.Jobs.Job(ctx, co.ID, t.Job)
	if errors.Is(err, ErrNoJob) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("desk: %s: %w", t.Member(), err)
	}
	j := sj.Job
	who, ok := ParseAddress(j.Customer)
	if !ok {
		return nil
	}
	var news conversation.Input
	switch {
	case t.Kind == TimerFeedback && j.Status == dispatch.StatusDone && j.Feedback == 0:
		news = conversation.Input{Kind: conversation.FeedbackDue, Job: j.ID}
	case t.Kind == TimerMove && j.Status == dispatch.StatusNeedsReschedule:
		news = conversation.Input{Kind: conversation.MustMove, Job: j.ID, Text: t.Arg}
	case t.Kind == TimerTakeover && j.Held != "":
		news = conversation.Input{Kind: conversation.TakenOver, Job: j.ID, Text: j.Held}
	case t.Kind == TimerRelease && j.Held == "":
		news = conversation.Input{Kind: conversation.HandBack, Job: j.ID}
	default:
		return nil
	}
	if err := d.o.Notify(ctx, co.ID, who, news); err != nil {
		return fmt.Errorf("desk: %s: %w", t.Member(), err)
	}
	return nil
}

// remind sends the customer the reminder named by arg ("<slot unix>e" or
// "<slot unix>h") once, if the job still has that slot and a technician.
// An evening reminder that fires late, on the visit's own day, is dropped:
// the one shortly before covers it.
func (d *Desk) remind(co *config.Company, j dispatch.Job, arg string, now time.Time, p *plan) dispatch.Job {
	if j.Status != dispatch.StatusAssigned || len(arg) < 2 || fmt.Sprint(j.SlotStart.Unix()) != arg[:len(arg)-1] {
		return j
	}
	for _, r := range j.Reminded {
		if r == arg {
			return j
		}
	}
	who, ok := ParseAddress(j.Customer)
	if !ok {
		return j
	}
	j.Reminded = append(j.Reminded[:len(j.Reminded):len(j.Reminded)], arg)
	evening := arg[len(arg)-1] == 'e'
	if evening && sameDay(now, j.SlotStart, location(co)) {
		return j
	}
	p.out = append(p.out, Outbound{Company: co.ID, To: who, Text: reminderText(co, j, evening)})
	return j
}

// techAddress is where technician id of co gets texts (see personAddress).
func techAddress(co *config.Company, id string) (Address, bool) {
	t, ok := techByID(co, id)
	if !ok {
		return Address{}, false
	}
	return personAddress(co, SimTechPrefix+t.ID, t.TelegramID, t.Phone)
}

// personAddress is where the company texts one of its people: their
// simulator phone (simID) at a simulator company, else Telegram when both
// they and the company have it, else SMS when the company has a number.
func personAddress(co *config.Company, simID string, telegramID int64, phone string) (Address, bool) {
	switch {
	case co.Simulator:
		return Address{Channel: Sim, ID: simID}, true
	case telegramID != 0 && co.Channels.Telegram != nil:
		return Address{Channel: Telegram, ID: strconv.FormatInt(telegramID, 10)}, true
	case phone != "" && co.SMSNumber() != "":
		return Address{Channel: SMS, ID: phone}, true
	}
	return Address{}, false
}

func techByID(co *config.Company, id string) (config.Technician, bool) {
	for _, t := range co.Technicians {
		if t.ID == id {
			return t, true
		}
	}
	return config.Technician{}, false
}

// sameDay reports whether a and b fall on the same date in loc.
func sameDay(a, b time.Time, loc *time.Location) bool {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return ay == by && am == bm && ad == bd
}

// SlotReleaser gives back the slot a finished job held.
type SlotReleaser interface {
	// ReleaseSlot drops the slot hold of job, if it has one; releasing
	// twice changes nothing.
	ReleaseSlot(ctx context.Context, co *config.Company, job dispatch.Job) error
}

// free gives back the slot of a job the dispatcher cancelled.
func (d *Desk) free(ctx context.Context, co *config.Company, t Timer) error {
	if d.o.Slots == nil {
		return nil
	}
	sj, err := d.o.Jobs.Job(ctx, co.ID, t.Job)
	if errors.Is(err, ErrNoJob) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("desk: %s: %w", t.Member(), err)
	}
	if sj.Job.Open() {
		return nil // back in play: it keeps its slot
	}
	if err := d.o.Slots.ReleaseSlot(ctx, co, sj.Job); err != nil {
		return fmt.Errorf("desk: %s: %w", t.Member(), err)
	}
	return nil
}
