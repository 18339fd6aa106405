package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Envelope is one outbox entry handed to a delivery worker.
type Envelope struct {
	ID       string    // the entry's id in the outbox
	Message  Outbound  // what to send
	Attempt  int       // failed attempts so far
	Enqueued time.Time // when the message first entered the outbox
}

// Outbox is the queue of outgoing messages, one per company, shared by every
// instance. Entries taken by Read or Reclaim stay pending until Done, Retry or
// Bury; entries left pending by a dead instance are taken over by Reclaim.
type Outbox interface {
	// Read takes up to count new entries of company for consumer, waiting up
	// to block for the first. It returns no entries and no error on timeout.
	Read(ctx context.Context, company, consumer string, count int, block time.Duration) ([]Envelope, error)
	// Reclaim takes up to count entries of company that have been pending
	// longer than minIdle with any consumer.
	Reclaim(ctx context.Context, company, consumer string, minIdle time.Duration, count int) ([]Envelope, error)
	// Done removes delivered (or deliberately dropped) entries of company,
	// all in one round trip.
	Done(ctx context.Context, company string, ids ...string) error
	// Retry removes the entry and schedules env.Message again at time at,
	// with env.Attempt as its attempt count.
	Retry(ctx context.Context, env Envelope, at time.Time) error
	// Bury removes the entry and keeps it in the company's dead letters with reason.
	Bury(ctx context.Context, env Envelope, reason string) error
	// Promote moves up to limit retries of company that are due at now back
	// into the outbox and returns how many moved. Each retry moves once.
	Promote(ctx context.Context, company string, now time.Time, limit int) (int, error)
	// OptOuts reports, for each of addrs, whether it has opted out of
	// messages from company, all in one round trip.
	OptOuts(ctx context.Context, company string, addrs []Address) ([]bool, error)
}

// Sender delivers messages on one channel.
type Sender interface {
	// Send delivers m, skipping its first m.SkipParts parts. Errors may wrap
	// a *PartialError (some parts were delivered), a *RetryAfterError (the
	// provider asked to wait) or ErrPermanent (retrying cannot help).
	Send(ctx context.Context, m Outbound) error
}

// ErrPermanent marks a send error that retrying cannot fix, such as an invalid
// number or a user who blocked the bot.
var ErrPermanent = errors.New("bot: permanent delivery failure")

// RetryAfterError reports that the provider asked to wait before sending again.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

// Error describes the wait and the provider's error.
func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %s: %v", e.After, e.Err)
}

// Unwrap returns the provider's error.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// PartialError reports that the first Sent parts of a split message were
// delivered before Err stopped the rest.
type PartialError struct {
	Sent int
	Err  error
}

// Error describes how far the send got.
func (e *PartialError) Error() string {
	return fmt.Sprintf("%d parts sent: %v", e.Sent, e.Err)
}

// Unwrap returns the error that stopped the send.
func (e *PartialError) Unwrap() error { return e.Err }
