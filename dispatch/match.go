package dispatch

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// The urgencies a job can have, as the triage grader names them.
const (
	urgencyEmergency = "emergency"
	urgencyRoutine   = "routine"
)

// EmergencyBlock is how long a job without a slot, such as an emergency,
// is taken to hold its technician from now when matching checks who is free.
const EmergencyBlock = 2 * time.Hour

// neutralKm stands in for a distance that is unknown, because the job or
// the technician has no location.
const neutralKm = 10.0

// Score weights: distance against fair workload. An emergency goes to the
// nearest technician; workload only splits near ties.
const (
	distanceWeight          = 0.5
	emergencyDistanceWeight = 0.9
	workloadScale           = 2.0 // jobs today that halve the workload score
)

// TechState is a technician as matching sees them at one moment.
type TechState struct {
	Tech
	Home      LatLon // home base; the zero LatLon means unknown
	OnDuty    bool   // said "on" and not "off"
	OnCall    bool   // on the after-hours emergency rota now
	Jobs      []Job  // their open jobs today
	JobsToday int    // jobs given to them today, done ones included
	Declined  bool   // declined the job being matched, or let its offer expire
}

// Candidate is a technician who could take a job, with how well they fit.
type Candidate struct {
	Tech    string
	Score   float64  // higher is better; in (0, 1]
	Km      float64  // drive to the job; -1 when unknown
	Reasons []string // why they were ranked so, for the dispatcher
}

// Rank returns the technicians who can take job, best first; ties go by
// technician ID. A technician qualifies by trade (the rule OpenSlots uses),
// by serving the job's postcode, and by not having declined the job or let
// an offer of it expire (TechState.Declined or an answered job offer).
//
// A job with a slot needs technicians whose working hours hold the whole
// slot and who hold no overlapping job. A job without one, such as an
// emergency, needs technicians on duty and working now, or on call outside
// their working hours, who hold no job in the EmergencyBlock from now.
// Working hours are read in now's location, the company's time zone.
//
// The score mixes the distance to the job, from the technician's previous
// job or else their home, with fair workload (fewer jobs today is better);
// for an emergency distance dominates. An unknown distance scores as
// neutralKm.
func Rank(job Job, techs []TechState, now time.Time) []Candidate {
	m := newMatcher(job, techs, now)
	var out []Candidate
	for i := range techs {
		t := &techs[i]
		if !m.qualifies(t) || !m.onClock(t) {
			continue
		}
		if _, busy := m.blocker(t); busy {
			continue
		}
		out = append(out, m.candidate(t))
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Tech, b.Tech)
	})
	return out
}

// PreemptFor picks who takes an emergency when Rank finds nobody free: a
// qualified technician on duty and working now (or on call after hours)
// whose jobs in the EmergencyBlock are routine or already under way. A job
// under way is finished first; the first routine job not yet started is
// the one to move (bumped.Number is 0 when there is none), and the caller
// tells its customer and offers them a new slot. Urgent and emergency jobs
// not yet started are never bumped, nor is a technician who has one in the
// block. Technicians with no job under way come first, as they can leave at
// once; then the nearest, fewer jobs today, and ID. ok is false for a job
// that is not an emergency, when someone is free, or when nobody can be
// freed.
func PreemptFor(job Job, techs []TechState, now time.Time) (tech string, bumped Job, ok bool) {
	if job.Urgency != urgencyEmergency || len(Rank(job, techs, now)) > 0 {
		return "", Job{}, false
	}
	m := newMatcher(job, techs, now)
	type choice struct {
		t    *TechState
		km   float64
		busy bool
		bump *Job
	}
	var best *choice
	better := func(a, b *choice) bool {
		if a.busy != b.busy {
			return !a.busy
		}
		if a.km != b.km {
			return a.km < b.km
		}
		if a.t.JobsToday != b.t.JobsToday {
			return a.t.JobsToday < b.t.JobsToday
		}
		return a.t.ID < b.t.ID
	}
	for i := range techs {
		t := &techs[i]
		if !m.qualifies(t) || !m.onClock(t) {
			continue
		}
		b, busy, ok := m.bumpable(t)
		if !ok {
			continue
		}
		km, _, known := m.distance(t)
		if !known {
			km = neutralKm
		}
		c := &choice{t: t, km: km, busy: busy, bump: b}
		if best == nil || better(c, best) {
			best = c
		}
	}
	if best == nil {
		return "", Job{}, false
	}
	if best.bump == nil {
		return best.t.ID, Job{}, true
	}
	return best.t.ID, *best.bump, true
}

// matcher holds what Rank and PreemptFor work out once per job.
type matcher struct {
	job     Job
	now     time.Time
	slotted bool
	window  Window // the time the job needs its technician
	block   Window // EmergencyBlock from now
	anyTech bool   // general work, and no technician lists General
	trade   Trade
	at      LatLon
	located bool
}

func newMatcher(job Job, techs []TechState, now time.Time) matcher {
	m := matcher{job: job, now: now, trade: job.Trade}
	if m.trade == "" {
		m.trade = General
	}
	m.anyTech = m.trade == General && !slices.ContainsFunc(techs, func(t TechState) bool {
		return slices.Contains(t.Trades, General)
	})
	m.block = Window{Start: now, End: now.Add(EmergencyBlock)}
	m.slotted = hasSlot(&job)
	m.window = m.block
	if m.slotted {
		m.window = Window{Start: job.SlotStart, End: job.SlotEnd}
	}
	m.at, m.located = jobPoint(job)
	return m
}

// qualifies reports whether t does the job's trade, serves its area and
// may still be offered it.
func (m *matcher) qualifies(t *TechState) bool {
	if t.Declined || !(m.anyTech || slices.Contains(t.Trades, m.trade)) || !Serves(t.Areas, m.job.Postcode) {
		return false
	}
	for _, o := range m.job.Offers {
		if o.Tech == t.ID && (o.Answer == AnswerNo || o.Answer == AnswerExpired) {
			return false
		}
	}
	return true
}

// onClock reports whether t works when the job needs them: the whole slot,
// or, without a slot, now on duty or on call outside their hours.
func (m *matcher) onClock(t *TechState) bool {
	if m.slotted {
		return works(t.Hours, m.window, m.now.Location())
	}
	if t.Hours.Open(m.now) {
		return t.OnDuty
	}
	return t.OnCall
}

// blocker returns the earliest of t's other open jobs that overlaps the
// time the job needs them.
func (m *matcher) blocker(t *TechState) (*Job, bool) {
	var first *Job
	var start time.Time
	for i := range t.Jobs {
		o := &t.Jobs[i]
		w, ok := m.occupies(o)
		if !ok || !w.Start.Before(m.window.End) || !m.window.Start.Before(w.End) {
			continue
		}
		if first == nil || w.Start.Before(start) || w.Start.Equal(start) && o.ID < first.ID {
			first, start = o, w.Start
		}
	}
	return first, first != nil
}

// bumpable reports whether t can be freed for the emergency: every job of
// theirs in its window is routine or under way (en route or on site). It
// returns their first routine job there not yet under way, the one to move
// (nil when there is none), and whether one is under way.
func (m *matcher) bumpable(t *TechState) (bump *Job, busy, ok bool) {
	if _, blocked := m.blocker(t); !blocked {
		return nil, false, false
	}
	var start time.Time
	for i := range t.Jobs {
		o := &t.Jobs[i]
		w, ok := m.occupies(o)
		if !ok || !w.Start.Before(m.window.End) || !m.window.Start.Before(w.End) {
			continue
		}
		switch {
		case o.Status == StatusEnRoute || o.Status == StatusOnSite:
			busy = true
		case o.Urgency != urgencyRoutine:
			return nil, false, false
		case bump == nil || w.Start.Before(start) || w.Start.Equal(start) && o.ID < bump.ID:
			bump, start = o, w.Start
		}
	}
	return bump, busy, true
}

// occupies returns when job o holds its technician; ok is false for a job
// that holds nobody: the job being matched, or one that is over. A job
// under way holds its technician at least until a minute past now, since
// nobody knows when it will end.
func (m *matcher) occupies(o *Job) (Window, bool) {
	switch o.Status {
	case StatusDone, StatusCancelled, StatusNoShow:
		return Window{}, false
	}
	if o.ID == m.job.ID && o.ID != "" {
		return Window{}, false
	}
	w := m.block
	if hasSlot(o) {
		w = Window{Start: o.SlotStart, End: o.SlotEnd}
	}
	if o.Status == StatusEnRoute || o.Status == StatusOnSite {
		if w.Start.After(m.now) {
			w.Start = m.now
		}
		if !w.End.After(m.now) {
			w.End = m.now.Add(time.Minute)
		}
	}
	return w, true
}

// distance returns how far t drives to the job: from the located job of
// theirs that starts last before the job's window (at its start at the
// latest), or else from home. from names the job, or "home"; known is false
// when either end has no location.
func (m *matcher) distance(t *TechState) (km float64, from string, known bool) {
	if !m.located {
		return 0, "", false
	}
	var prev *Job
	var start time.Time
	for i := range t.Jobs {
		o := &t.Jobs[i]
		w, ok := m.occupies(o)
		if !ok || w.Start.After(m.window.Start) {
			continue
		}
		if _, ok := jobPoint(*o); !ok {
			continue
		}
		if prev == nil || w.Start.After(start) || w.Start.Equal(start) && o.ID < prev.ID {
			prev, start = o, w.Start
		}
	}
	if prev != nil {
		p, _ := jobPoint(*prev)
		return Distance(p, m.at), prev.ID, true
	}
	if t.Home == (LatLon{}) {
		return 0, "", false
	}
	return Distance(t.Home, m.at), "home", true
}

// candidate scores t for the job.
func (m *matcher) candidate(t *TechState) Candidate {
	c := Candidate{Tech: t.ID, Km: -1}
	km, from, known := m.distance(t)
	if known {
		c.Km = km
		c.Reasons = append(c.Reasons, strconv.FormatFloat(km, 'f', 1, 64)+" km from "+from)
	} else {
		km = neutralKm
		c.Reasons = append(c.Reasons, "distance unknown")
	}
	if t.JobsToday == 1 {
		c.Reasons = append(c.Reasons, "1 job today")
	} else {
		c.Reasons = append(c.Reasons, strconv.Itoa(t.JobsToday)+" jobs today")
	}
	if !m.slotted && !t.Hours.Open(m.now) {
		c.Reasons = append(c.Reasons, "on call")
	}
	w := distanceWeight
	if m.job.Urgency == urgencyEmergency {
		w = emergencyDistanceWeight
	}
	near := 1 / (1 + km/neutralKm)
	light := 1 / (1 + float64(max(t.JobsToday, 0))/workloadScale)
	c.Score = w*near + (1-w)*light
	return c
}

// works reports whether hours, read in loc, hold the whole of w on one day.
// Wall-clock offsets keep this right on daylight-saving change days.
func works(hours Week, w Window, loc *time.Location) bool {
	s, e := w.Start.In(loc), w.End.In(loc)
	if !e.After(s) {
		return false
	}
	from, to := sinceMidnight(s), sinceMidnight(e)
	switch y, mo, d := s.Date(); {
	case e.Equal(time.Date(y, mo, d+1, 0, 0, 0, 0, loc)):
		to = 24 * time.Hour
	case !e.Before(time.Date(y, mo, d+1, 0, 0, 0, 0, loc)):
		return false // runs into the next day
	}
	for _, sp := range hours[s.Weekday()] {
		if sp.From <= from && to <= sp.To {
			return true
		}
	}
	return false
}

func sinceMidnight(t time.Time) time.Duration {
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
}

// hasSlot reports whether j is booked into a time slot.
func hasSlot(j *Job) bool {
	return !j.SlotStart.IsZero() && j.SlotEnd.After(j.SlotStart)
}

// jobPoint returns where j is; ok is false when its location is unknown.
func jobPoint(j Job) (LatLon, bool) {
	p := LatLon{Lat: j.Lat, Lon: j.Lon}
	return p, p != (LatLon{})
}
