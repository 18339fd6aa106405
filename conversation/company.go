package conversation

import (
	"time"

	"dispatchbot/dispatch"
)

// Company is what intake needs to know about the company it speaks for.
type Company struct {
	Name             string
	Region           string // phone and postcode region, e.g. "GB" or "US"
	Location         *time.Location
	Areas            []string          // service areas: postcode / ZIP prefixes
	EmergencyNumbers map[string]string // "emergency", "gas", …
	Hours            dispatch.Week     // business hours
	Fees             Fees
	PriceNotes       string
	Grader           *Grader

	NudgeAfter  time.Duration // silence before one reminder; default 30 minutes
	ExpireAfter time.Duration // silence before the request is closed; default 24 hours
}

// Fees are the call-out fees quoted to customers.
type Fees struct {
	Currency   string
	Standard   float64
	AfterHours float64
	Emergency  float64
}

func (c *Company) nudgeAfter() time.Duration {
	if c.NudgeAfter > 0 {
		return c.NudgeAfter
	}
	return 30 * time.Minute
}

func (c *Company) expireAfter() time.Duration {
	if c.ExpireAfter > 0 {
		return c.ExpireAfter
	}
	return 24 * time.Hour
}

func (c *Company) loc() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	return time.UTC
}
