package dispatch

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Tech is what slot generation needs to know about a technician.
type Tech struct {
	ID     string
	Trades []Trade
	Areas  []string // postcode / ZIP prefixes; none means everywhere
	Hours  Week     // working hours in the company's time zone
}

// Window is a stretch of time, such as an appointment slot.
type Window struct {
	Start time.Time
	End   time.Time
}

// Hold is one booking's claim on technicians' time: the start of its slot
// and the technicians who could work it (see SlotTechs). A hold with no
// technicians is one recorded without them; it may take anyone.
type Hold struct {
	Start time.Time
	Job   int64    // the job's number, so that a moving job can leave its own hold out
	Techs []string // ids of the technicians qualified and working the whole slot
}

// DefaultLookAhead is the number of days OpenSlots looks at when
// SlotQuery.Days is zero.
const DefaultLookAhead = 7

// maxLookAhead bounds SlotQuery.Days so that bad input cannot make
// OpenSlots loop for long.
const maxLookAhead = 366

// SlotQuery asks for the open appointment slots of one job.
type SlotQuery struct {
	Now      time.Time
	Loc      *time.Location // the company's time zone; nil means UTC
	Length   time.Duration  // slot length; slots shorter than a minute are never offered
	Trade    Trade          // "" and General ask for general work
	Postcode string
	Techs    []Tech
	Buffer   time.Duration // travel time kept free after each slot, before the technician's next booking
	Booked   []Hold        // the bookings already made on the days looked at
	Earliest time.Time     // no slot starts before this (nor before Now)
	Days     int           // days to look at from the first possible one; 0 means DefaultLookAhead
	N        int           // most slots to return; 0 or less means no limit
}

func (q SlotQuery) loc() *time.Location {
	if q.Loc != nil {
		return q.Loc
	}
	return time.UTC
}

// floor is the earliest start OpenSlots offers.
func (q SlotQuery) floor() time.Time {
	if q.Earliest.After(q.Now) {
		return q.Earliest
	}
	return q.Now
}

// Dates returns the days OpenSlots looks at, as local midnights in q.Loc,
// earliest first: Days days from the day of max(Now, Earliest). A store
// reads the bookings of exactly these days.
func (q SlotQuery) Dates() []time.Time {
	n := q.Days
	if n <= 0 {
		n = DefaultLookAhead
	}
	n = min(n, maxLookAhead)
	f := q.floor().In(q.loc())
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Date(f.Year(), f.Month(), f.Day()+i, 0, 0, 0, 0, q.loc())
	}
	return out
}

// OpenSlots returns up to q.N open slots, earliest first, none starting
// before max(q.Now, q.Earliest). Slots are q.Length long and start every
// q.Length + q.Buffer from the start of each working span of a qualified
// technician; a leftover shorter than q.Length at the end of a span is not
// offered. A slot is open while fewer bookings hold it (see Held) than
// technicians can work it (see SlotTechs).
//
// Slots of technicians whose spans start at different times may overlap,
// as 07:30-09:30 and 08:00-10:00 do.
func OpenSlots(q SlotQuery) []Window {
	if q.Length < time.Minute {
		return nil
	}
	techs := qualified(q)
	if len(techs) == 0 {
		return nil
	}
	floor := q.floor()
	var out []Window
	for _, day := range q.Dates() {
		for _, off := range starts(techs, day.Weekday(), q.Length, q.Span()) {
			w := window(day, off, q.Length)
			if w.Start.Before(floor) {
				continue
			}
			ids := covering(techs, day.Weekday(), off, q.Length)
			if len(ids) <= Held(q.Booked, w.Start, q.Span(), ids) {
				continue
			}
			out = append(out, w)
			if q.N > 0 && len(out) == q.N {
				return out
			}
		}
	}
	return out
}

// Span is how long a booking keeps its technician: the slot and the travel
// buffer after it.
func (q SlotQuery) Span() time.Duration {
	return q.Length + max(q.Buffer, 0)
}

// SlotTechs returns the ids of the technicians who do q.Trade, serve
// q.Postcode and work the whole slot starting at start, in q.Techs order:
// the technicians a booking of that slot may take. It is nil for a start
// OpenSlots would never offer, such as one not aligned to a working span.
// Now, Earliest, Booked, Days and N are ignored.
func SlotTechs(q SlotQuery, start time.Time) []string {
	if q.Length < time.Minute {
		return nil
	}
	techs := qualified(q)
	s := start.In(q.loc())
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, q.loc())
	off := time.Duration(s.Hour())*time.Hour + time.Duration(s.Minute())*time.Minute +
		time.Duration(s.Second())*time.Second + time.Duration(s.Nanosecond())
	if !slices.Contains(starts(techs, day.Weekday(), q.Length, q.Span()), off) {
		return nil
	}
	if !window(day, off, q.Length).Start.Equal(start) {
		return nil // the second of two equal wall times on a clocks-back day
	}
	return covering(techs, day.Weekday(), off, q.Length)
}

// Held counts the holds that keep one of techs busy during the slot
// starting at start: those whose slot starts less than span (slot length
// plus travel buffer) before or after it and whose technicians include one
// of techs; a hold without technicians counts always.
//
// A new booking fits while Held is below len(techs): each counted hold
// takes at most one of techs, and a hold that shares none of them cannot
// take one, so some technician of techs is free for the whole slot and no
// technician is ever booked twice at once. Holds of other trades and areas
// do not fill the slot.
func Held(holds []Hold, start time.Time, span time.Duration, techs []string) int {
	n := 0
	for _, h := range holds {
		d := h.Start.Sub(start)
		if d >= span || -d >= span {
			continue
		}
		if len(h.Techs) == 0 || slices.ContainsFunc(h.Techs, func(id string) bool { return slices.Contains(techs, id) }) {
			n++
		}
	}
	return n
}

// window builds the slot at wall-clock offset off of day. Building each end
// with time.Date keeps wall-clock times right on daylight-saving change days.
func window(day time.Time, off, length time.Duration) Window {
	at := func(d time.Duration) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(),
			int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second),
			int(d%time.Second), day.Location())
	}
	return Window{Start: at(off), End: at(off + length)}
}

// starts returns the sorted, distinct wall-clock offsets at which the slots
// of techs begin on weekday wd: every step from the start of each span.
func starts(techs []Tech, wd time.Weekday, length, step time.Duration) []time.Duration {
	var out []time.Duration
	for _, t := range techs {
		for _, sp := range t.Hours[wd] {
			for off := sp.From; off >= 0 && off+length <= sp.To; off += step {
				out = append(out, off)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// covering returns the ids of the techs working the whole of
// [off, off+length) on weekday wd.
func covering(techs []Tech, wd time.Weekday, off, length time.Duration) []string {
	var out []string
	for _, t := range techs {
		for _, sp := range t.Hours[wd] {
			if sp.From <= off && off+length <= sp.To {
				out = append(out, t.ID)
				break
			}
		}
	}
	return out
}

// qualified returns the techs of q who do its trade and serve its postcode.
// General work ("" or General) goes to the techs who list General, or to
// every tech when none does; any other trade goes only to the techs who
// list it.
func qualified(q SlotQuery) []Tech {
	trade := q.Trade
	if trade == "" {
		trade = General
	}
	anyTech := trade == General && !slices.ContainsFunc(q.Techs, func(t Tech) bool {
		return slices.Contains(t.Trades, General)
	})
	var out []Tech
	for _, t := range q.Techs {
		if (anyTech || slices.Contains(t.Trades, trade)) && Serves(t.Areas, q.Postcode) {
			out = append(out, t)
		}
	}
	return out
}

// Serves reports whether postcode lies in one of areas; no areas means
// everywhere.
func Serves(areas []string, postcode string) bool {
	if len(areas) == 0 {
		return true
	}
	return slices.ContainsFunc(areas, func(a string) bool { return InArea(postcode, a) })
}

// InArea reports whether postcode lies in area, a postcode or ZIP prefix,
// ignoring case and spaces. "SW1" holds "SW1A 1AA" and "SW1 1AA" but not
// "SW10 1AA": where a lettered area ends in a digit and the postcode goes on
// with another digit before its inward part, it is another district. Likewise
// an all-letter area ("S") does not hold a postcode whose letters go on ("SW1").
// An all-digit area ("941") is a plain ZIP prefix. An area that reaches past
// the postcode's outward code is a sector when written with its space
// ("M2 1" holds "M2 1AA") and a district when written as one ("M21" does
// not hold "M2 1AA").
func InArea(postcode, area string) bool {
	pc := compact(postcode)
	a := compact(area)
	if a == "" || !strings.HasPrefix(pc, a) {
		return false
	}
	ol := outwardLen(postcode, pc)
	if len(pc) == len(a) || len(a) == ol {
		return true
	}
	if ol > 0 && len(a) > ol {
		if f := strings.Fields(area); len(f) >= 2 {
			return compact(f[0]) == pc[:ol]
		}
		return !outwardCode.MatchString(a)
	}
	last, next := a[len(a)-1], pc[len(a)]
	switch {
	case !hasLetter(a):
		return true
	case isDigit(last) && isDigit(next):
		return false
	case isLetter(next) && !strings.ContainsFunc(a, func(r rune) bool { return r < 'A' || r > 'Z' }):
		return false
	}
	return true
}

// outwardLen returns the length of the outward code (the part before the
// space) of a postcode, given also in compact form; 0 when unknown. Without
// a space, a UK postcode's inward code is its last three characters, digit
// letter letter.
func outwardLen(raw, pc string) int {
	if f := strings.Fields(raw); len(f) >= 2 {
		return len(compact(f[0]))
	}
	n := len(pc)
	if n >= 5 && n <= 7 && isLetter(pc[0]) && isDigit(pc[n-3]) && isLetter(pc[n-2]) && isLetter(pc[n-1]) {
		return n - 3
	}
	return 0
}

// outwardCode matches a UK outward code (district) such as M2, M21, SW1A or EC1V.
var outwardCode = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)

// compact upper-cases s and drops its spaces.
func compact(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

func hasLetter(s string) bool {
	for i := range len(s) {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
