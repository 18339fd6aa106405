// Package dispatch holds the dispatch domain: trades, technicians and their
// working hours. Matching, offers and the job lifecycle build on these types.
package dispatch

import (
	"fmt"
	"time"
)

// Trade is a kind of work a company does and a technician is qualified for.
type Trade string

// The trades the bot knows.
const (
	Plumbing   Trade = "plumbing"
	Electrical Trade = "electrical"
	HVAC       Trade = "hvac"
	Appliance  Trade = "appliance"
	Cleaning   Trade = "cleaning"
	Locksmith  Trade = "locksmith"
	General    Trade = "general"
)

// Trades lists every known trade in a stable order.
var Trades = []Trade{Plumbing, Electrical, HVAC, Appliance, Cleaning, Locksmith, General}

// Valid reports whether t is a known trade.
func (t Trade) Valid() bool {
	for _, k := range Trades {
		if k == t {
			return true
		}
	}
	return false
}

// Span is a stretch of a day, as offsets from local midnight; From < To.
type Span struct {
	From time.Duration
	To   time.Duration
}

// String formats the span as "08:00-17:00".
func (s Span) String() string {
	return clock(s.From) + "-" + clock(s.To)
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// Week holds the open spans of each weekday, indexed by time.Weekday.
type Week [7][]Span

// Open reports whether local time t falls inside one of the spans of its day.
func (w Week) Open(t time.Time) bool {
	off := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
	for _, s := range w[t.Weekday()] {
		if off >= s.From && off < s.To {
			return true
		}
	}
	return false
}

// Empty reports whether no day has any span.
func (w Week) Empty() bool {
	for _, d := range w {
		if len(d) > 0 {
			return false
		}
	}
	return true
}
