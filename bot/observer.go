package bot

import "time"

// Outcomes of an inbound message, for metrics.
const (
	OutcomeHandled   = "handled"
	OutcomeDuplicate = "duplicate"
	OutcomeOptedOut  = "opted_out"
	OutcomeRejected  = "rejected" // failed verification or parsing
	OutcomeIgnored   = "ignored"  // an update kind the bot does not act on
	OutcomeError     = "error"    // could not be applied; the provider will retry
)

// Observer counts what the bot does. Its methods must be cheap and never block.
type Observer interface {
	// Inbound counts one inbound message by channel and outcome.
	Inbound(ch Channel, outcome string)
	// Delivered records one message accepted by its provider.
	Delivered(ch Channel, latency time.Duration)
	// DeliveryFailed counts a failed send; final is true when it went to the dead letter.
	DeliveryFailed(ch Channel, final bool)
	// StoreError counts a failed store operation.
	StoreError(op string)
}

// NopObserver is an Observer that records nothing.
type NopObserver struct{}

// Inbound does nothing.
func (NopObserver) Inbound(Channel, string) {}

// Delivered does nothing.
func (NopObserver) Delivered(Channel, time.Duration) {}

// DeliveryFailed does nothing.
func (NopObserver) DeliveryFailed(Channel, bool) {}

// StoreError does nothing.
func (NopObserver) StoreError(string) {}
