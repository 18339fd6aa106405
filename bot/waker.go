package bot

import (
	"context"
	"log/slog"
	"time"
)

// WakerOptions configures a Waker. Wakes, Bot and Companies are required.
type WakerOptions struct {
	Wakes     Wakes
	Bot       *Bot
	Companies []string
	Every     time.Duration // how often to look for due wake-ups; default 1s
	Lease     time.Duration // how long a taken wake-up is held; default 1m
	Batch     int           // wake-ups taken at once; default 100
	Log       *slog.Logger
	Now       func() time.Time
}

// Waker delivers due wake-ups (nudges, expiries) to their conversations.
// Each fires once across all instances; one taken by an instance that died
// fires again when its lease runs out.
type Waker struct {
	o WakerOptions
}

// NewWaker returns a Waker with defaults filled in.
func NewWaker(o WakerOptions) *Waker {
	if o.Every <= 0 {
		o.Every = time.Second
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
	return &Waker{o: o}
}

// Run fires due wake-ups until ctx ends.
func (w *Waker) Run(ctx context.Context) error {
	pollCompanies(ctx, w.o.Companies, w.o.Every, w.fire)
	return nil
}

// fire applies every due wake-up of one company.
func (w *Waker) fire(ctx context.Context, co string) {
	wakes, err := w.o.Wakes.DueWakes(ctx, co, w.o.Now(), w.o.Lease, w.o.Batch)
	if err != nil {
		if ctx.Err() == nil {
			w.o.Log.Error("wake-ups not read", "company", co, "err", err)
		}
		return
	}
	for _, wk := range wakes {
		if err := w.o.Bot.Tick(ctx, co, wk.Who); err != nil {
			continue // logged by Tick; the lease runs out and it fires again
		}
		if err := w.o.Wakes.FinishWake(ctx, wk); err != nil {
			w.o.Log.Warn("wake-up not finished; it may fire again", "company", co, "to", wk.Who.Masked(), "err", err)
		}
	}
}
