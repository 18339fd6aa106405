package bot

import (
	"context"
	"log/slog"
	"time"
)

// TimerRunnerOptions configures a TimerRunner. Timers, Desk and Companies
// are required.
type TimerRunnerOptions struct {
	Timers    Timers
	Desk      *Desk
	Companies []string
	Every     time.Duration // how often to look for due timers; default 500ms
	Lease     time.Duration // how long a taken timer is held; default 1m
	Batch     int           // timers taken at once; default 100
	Log       *slog.Logger
	Now       func() time.Time
}

// TimerRunner fires due job timers (matching, offer expiry, reminders,
// feedback requests, moves) through the Desk. Each fires once across all
// instances; one taken by an instance that died fires again when its lease
// runs out, and the Desk makes a second firing change nothing.
type TimerRunner struct {
	o TimerRunnerOptions
}

// NewTimerRunner returns a TimerRunner with defaults filled in.
func NewTimerRunner(o TimerRunnerOptions) *TimerRunner {
	if o.Every <= 0 {
		o.Every = 500 * time.Millisecond
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &TimerRunner{o: o}
}

// Run fires due timers until ctx ends.
func (r *TimerRunner) Run(ctx context.Context) error {
	pollCompanies(ctx, r.o.Companies, r.o.Every, func(ctx context.Context, co string) { r.FireDue(ctx, co) })
	return nil
}

// FireDue fires every timer of company due now and returns how many it
// finished.
func (r *TimerRunner) FireDue(ctx context.Context, company string) int {
	due, err := r.o.Timers.DueTimers(ctx, company, r.o.Now(), r.o.Lease, r.o.Batch)
	if err != nil {
		if ctx.Err() == nil {
			r.o.Log.Error("timers not read", "company", company, "err", err)
		}
		return 0
	}
	done := 0
	for _, t := range due {
		if err := r.o.Desk.Fire(ctx, company, t.Timer); err != nil {
			r.o.Log.Error("timer failed; it fires again when its lease runs out", "company", company, "timer", t.Member(), "err", err)
			continue
		}
		if err := r.o.Timers.FinishTimer(ctx, company, t); err != nil {
			r.o.Log.Warn("timer not finished; it may fire again", "company", company, "timer", t.Member(), "err", err)
			continue
		}
		done++
	}
	return done
}
