package bot

import (
	"context"
	"errors"
	"time"

	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// ErrSlotTaken reports that a slot filled up before it could be booked.
var ErrSlotTaken = errors.New("bot: slot taken")

// ErrNotMovable reports a job the customer cannot move to another slot:
// not theirs, gone, without a slot, finished or under way.
var ErrNotMovable = errors.New("bot: job cannot be moved")

// ErrNotCancellable reports a job the customer cannot cancel: not theirs,
// gone, or already finished.
var ErrNotCancellable = errors.New("bot: job cannot be cancelled")

// Scheduler finds open slots and creates jobs; the dispatch side implements it.
type Scheduler interface {
	// Slots returns up to n open slots for req, earliest first, none
	// starting before now.
	Slots(ctx context.Context, co *config.Company, req conversation.Request, now time.Time, n int) ([]conversation.Slot, error)
	// Book creates the job for b.Request, holding b.Request.Slot when set
	// (an emergency has none), and returns its number, e.g. "J-1042". The
	// same b.Key always returns the same job, so a retried message never
	// books twice. It returns ErrSlotTaken when the slot filled up meanwhile.
	Book(ctx context.Context, co *config.Company, b Booking) (string, error)
	// Cancel cancels job for the customer by, who must be the one who
	// booked it, frees its slot and returns the job as it now is.
	// Cancelling twice is not an error; a job that cannot be cancelled gives
	// ErrNotCancellable, and any other error is worth retrying.
	Cancel(ctx context.Context, co *config.Company, job string, by Address, at time.Time) (dispatch.Job, error)
	// Reschedule moves the customer's job to slot and sends it back to
	// matching, returning the job as it was before. It gives ErrSlotTaken
	// when the slot is full and ErrNotMovable when the job cannot move.
	Reschedule(ctx context.Context, co *config.Company, job string, by Address, slot conversation.Slot, at time.Time) (dispatch.Job, error)
}

// Booking is a request to create a job.
type Booking struct {
	Key      string  // idempotency key, e.g. the provider id of the confirming message
	Customer Address // who asked, and where to reach them
	Request  conversation.Request
	At       time.Time
	// FirstMessage is when the customer first wrote about it, for the
	// time-to-accept figures.
	FirstMessage time.Time
}
