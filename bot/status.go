package bot

import (
	"context"
	"time"
)

// DeliveryStatus is a provider's later report on a message it accepted.
type DeliveryStatus struct {
	Company    string    `json:"co"`
	To         Address   `json:"to"`
	ProviderID string    `json:"sid"`    // the provider's message id
	Status     string    `json:"status"` // e.g. "delivered", "undelivered", "failed"
	ErrorCode  string    `json:"code,omitempty"`
	At         time.Time `json:"at"`
}

// Failed reports whether the status means the message did not arrive.
func (s DeliveryStatus) Failed() bool {
	return s.Status == "failed" || s.Status == "undelivered"
}

// StatusLog keeps provider reports of failed deliveries.
type StatusLog interface {
	// RecordFailure stores s in the company's delivery-failure log.
	RecordFailure(ctx context.Context, s DeliveryStatus) error
}
