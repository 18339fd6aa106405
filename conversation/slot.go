package conversation

import "time"

// Slot is a window in which a technician can arrive.
type Slot struct {
	Start time.Time `json:"s"`
	End   time.Time `json:"e"`
}
