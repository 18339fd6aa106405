package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// Retry intervals for a job nobody could take: matching runs again then, in
// case someone came on duty or finished early.
const (
	retryEmergency = 5 * time.Minute
	retryRoutine   = 30 * time.Minute
)

// match offers a new job to the best technician free for it, pre-empting a
// routine job for an emergency when nobody is free, or else tells the
// dispatchers once and tries again later. Other statuses are left alone.
// It returns the job as changed and adds the rest to p.
func (d *Desk) match(ctx context.Context, co *config.Company, j dispatch.Job, now time.Time, p *plan) (dispatch.Job, error) {
	if j.Status != dispatch.StatusNew {
		return j, nil
	}
	if !j.SlotStart.IsZero() && !j.SlotEnd.After(now) {
		return j, nil // its time has passed; the dispatcher sees it on the board
	}
	techs, _, err := d.techStates(ctx, co, j, now)
	if err != nil {
		return j, err
	}
	local := now.In(location(co))
	if cands := dispatch.Rank(j, techs, local); len(cands) > 0 {
		return d.offer(co, j, cands[0].Tech, 0, now, p)
	}
	if j.Urgency == urgencyEmergency {
		if tech, ok := nearbyOutsideArea(j, techs, local); ok {
			return d.offer(co, j, tech, 0, now, p)
		}
	}
	if tech, bumped, ok := dispatch.PreemptFor(j, techs, local); ok {
		// The routine job moves only if the technician accepts.
		return d.offer(co, j, tech, bumped.Number, now, p)
	}
	if j.Escalated.IsZero() {
		j.Escalated = now
		p.out = append(p.out, Alerts(co, nobodyAlert(co, j), Address{})...)
	}
	if next, ok, err := d.reoffer(co, j, techs, now, p); ok || err != nil {
		return next, err
	}
	retry := retryRoutine
	if j.Urgency == urgencyEmergency {
		retry = retryEmergency
	}
	p.timers = append(p.timers, Timer{Kind: TimerMatch, Job: j.Number, At: now.Add(retry)})
	return j, nil
}

// emergencyReachKm is how far outside their own areas a free technician
// is sent to an emergency that nobody serving the area is free for.
const emergencyReachKm = 15

// nearbyOutsideArea finds the nearest free technician of the trade within
// emergencyReachKm of an emergency, whatever areas they serve.
func nearbyOutsideArea(j dispatch.Job, techs []dispatch.TechState, now time.Time) (string, bool) {
	wide := make([]dispatch.TechState, len(techs))
	for i, t := range techs {
		t.Areas = nil
		wide[i] = t
	}
	for _, c := range dispatch.Rank(j, wide, now) {
		if c.Km >= 0 && c.Km <= emergencyReachKm {
			return c.Tech, true
		}
	}
	return "", false
}

// reoffer asks again a technician who let an offer of j run out, when
// everyone free has been asked once: they may have been driving. The one
// asked last goes to the back; nobody is asked more than dispatch.MaxOffers
// times, and nobody who said no. For an emergency that nobody free can
// take, the technician pre-emption would pick is asked again the same way.
func (d *Desk) reoffer(co *config.Company, j dispatch.Job, techs []dispatch.TechState, now time.Time, p *plan) (dispatch.Job, bool, error) {
	asked := j
	asked.Offers = nil
	for _, o := range j.Offers {
		if o.Answer == dispatch.AnswerNo {
			asked.Offers = append(asked.Offers, o)
		}
	}
	cands := dispatch.Rank(asked, techs, now.In(location(co)))
	if len(j.Offers) > 0 {
		last := j.Offers[len(j.Offers)-1].Tech
		slices.SortStableFunc(cands, func(a, b dispatch.Candidate) int {
			return cmpBool(a.Tech == last, b.Tech == last)
		})
	}
	for _, c := range cands {
		next, err := d.offer(co, j, c.Tech, 0, now, p)
		if errors.Is(err, dispatch.ErrOffered) {
			continue
		}
		return next, err == nil, err
	}
	if tech, bumped, ok := dispatch.PreemptFor(asked, techs, now.In(location(co))); ok {
		next, err := d.offer(co, j, tech, bumped.Number, now, p)
		if !errors.Is(err, dispatch.ErrOffered) {
			return next, err == nil, err
		}
	}
	return j, false, nil
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// offer offers j to tech until the company's offer window runs out, with
// its expiry timer; bump is the number of a routine job of tech's that
// moves to make room if they accept, or 0.
func (d *Desk) offer(co *config.Company, j dispatch.Job, tech string, bump int64, now time.Time, p *plan) (dispatch.Job, error) {
	window := co.Dispatch.OfferWindow
	if j.Urgency == urgencyEmergency {
		window = co.Dispatch.EmergencyOfferWindow
	}
	if window <= 0 {
		window = 10 * time.Minute
	}
	next, err := dispatch.OfferJob(j, tech, now, now.Add(window))
	if err != nil {
		return j, fmt.Errorf("offer %s to %s: %w", j.ID, tech, err)
	}
	next.Offers[len(next.Offers)-1].Bump = bump
	bumped := ""
	if bump != 0 {
		bumped = dispatch.JobID(bump)
	}
	if a, ok := techAddress(co, tech); ok {
		num := strconv.FormatInt(next.Number, 10)
		p.out = append(p.out, Outbound{Company: co.ID, To: a, Text: offerText(co, next, window, bumped),
			Buttons: [][]Button{{{Text: "✅ Yes " + num, Reply: "YES " + num}, {Text: "❌ No " + num, Reply: "NO " + num}}}})
	}
	p.timers = append(p.timers, Timer{Kind: TimerExpire, Job: j.Number,
		Arg: strconv.Itoa(len(next.Offers) - 1), At: now.Add(window)})
	return next, nil
}

// techStates describes every technician of co for matching j: their jobs
// on j's local day, duty, on-call rota and whether they gave j up. It also
// returns the loaded jobs by number.
func (d *Desk) techStates(ctx context.Context, co *config.Company, j dispatch.Job, now time.Time) ([]dispatch.TechState, map[int64]StoredJob, error) {
	loc := location(co)
	at := JobTime(j)
	if j.SlotStart.IsZero() {
		at = now
	}
	l := at.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	ids := make([]string, len(co.Technicians))
	for i, t := range co.Technicians {
		ids[i] = t.ID
	}
	off, err := d.o.Jobs.OffDuty(ctx, co.ID)
	if err != nil {
		return nil, nil, err
	}
	byTech, err := d.o.Jobs.TechJobs(ctx, co.ID, ids, from, from.AddDate(0, 0, 1))
	if err != nil {
		return nil, nil, err
	}
	gaveUp := gaveUp(j)
	stored := map[int64]StoredJob{}
	states := make([]dispatch.TechState, len(co.Technicians))
	for i, t := range co.Technicians {
		st := dispatch.TechState{
			Tech:     dispatch.Tech{ID: t.ID, Trades: t.Trades, Areas: t.Areas, Hours: t.Hours},
			Home:     dispatch.LatLon{Lat: t.Home.Lat, Lon: t.Home.Lon},
			OnDuty:   !off[t.ID],
			OnCall:   t.OnCall.Open(now.In(loc)),
			Declined: gaveUp[t.ID],
		}
		for _, sj := range byTech[t.ID] {
			if sj.Job.Number == j.Number || sj.Job.Status == dispatch.StatusCancelled {
				continue
			}
			stored[sj.Job.Number] = sj
			st.JobsToday++
			if sj.Job.Open() && sj.Job.Status != dispatch.StatusOffered {
				st.Jobs = append(st.Jobs, sj.Job)
			}
		}
		states[i] = st
	}
	return states, stored, nil
}

// gaveUp returns the technicians who took j and then handed it back.
func gaveUp(j dispatch.Job) map[string]bool {
	out := map[string]bool{}
	for _, a := range j.Audit {
		if a.By.Kind == dispatch.ActorTechnician && a.To == dispatch.StatusNew && a.From != dispatch.StatusOffered {
			out[a.By.ID] = true
		}
	}
	return out
}

// reminderTimers are the customer's reminders for an assigned job with a
// slot: the evening before and shortly before, each if still ahead.
func reminderTimers(co *config.Company, j dispatch.Job, now time.Time) []Timer {
	if j.SlotStart.IsZero() {
		return nil
	}
	var out []Timer
	slot := strconv.FormatInt(j.SlotStart.Unix(), 10)
	s := co.Dispatch
	if s.EveningReminderOn {
		l := j.SlotStart.In(location(co))
		eve := time.Date(l.Year(), l.Month(), l.Day()-1, 0, 0, 0, 0, l.Location()).Add(s.EveningReminder)
		if eve.After(now) {
			out = append(out, Timer{Kind: TimerRemind, Job: j.Number, Arg: slot + "e", At: eve})
		}
	}
	if s.HourReminder > 0 {
		if at := j.SlotStart.Add(-s.HourReminder); at.After(now) {
			out = append(out, Timer{Kind: TimerRemind, Job: j.Number, Arg: slot + "h", At: at})
		}
	}
	return out
}

func location(co *config.Company) *time.Location {
	if co.Location != nil {
		return co.Location
	}
	return time.UTC
}

// urgencyEmergency is the triage grade that pre-empts and is never slotted.
const urgencyEmergency = "emergency"
