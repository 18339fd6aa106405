package bot

import (
	"cmp"
	"slices"
	"time"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// Records turns stored jobs, with their audit trails, into the records the
// KPIs are computed from, in the order given. Km is estimated for each job
// a technician set off to: the distance to it from that technician's
// previous job set off to on the same local day, or else from their home;
// it stays 0 when either point is unknown or nobody drove there.
func Records(jobs []dispatch.Job, co *config.Company) []dispatch.JobRecord {
	loc := location(co)
	out := make([]dispatch.JobRecord, len(jobs))
	type drive struct {
		i   int
		at  time.Time
		day time.Time
	}
	byTech := map[string][]drive{}
	for i, j := range jobs {
		r := dispatch.JobRecord{
			ID:           j.ID,
			Tech:         j.Tech,
			Urgency:      j.Urgency,
			FirstMessage: j.FirstMessage,
			Accepted:     firstAudit(j, dispatch.StatusAssigned),
			Status:       j.Status,
			Completed:    firstAudit(j, dispatch.StatusDone),
			Feedback:     j.Feedback,
		}
		if r.FirstMessage.IsZero() {
			r.FirstMessage = j.Created
		}
		switch {
		case !j.SlotStart.IsZero():
			r.Day = localDay(j.SlotStart, loc)
		case !r.Completed.IsZero():
			r.Day = localDay(r.Completed, loc)
		}
		out[i] = r
		if at := setOff(j); j.Tech != "" && !at.IsZero() {
			byTech[j.Tech] = append(byTech[j.Tech], drive{i: i, at: at, day: localDay(at, loc)})
		}
	}
	for tech, ds := range byTech {
		slices.SortFunc(ds, func(a, b drive) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return cmp.Compare(jobs[a.i].ID, jobs[b.i].ID)
		})
		t, _ := techByID(co, tech)
		home := dispatch.LatLon{Lat: t.Home.Lat, Lon: t.Home.Lon}
		for k, d := range ds {
			from := home
			if k > 0 && ds[k-1].day.Equal(d.day) {
				prev := jobs[ds[k-1].i]
				from = dispatch.LatLon{Lat: prev.Lat, Lon: prev.Lon}
			}
			to := dispatch.LatLon{Lat: jobs[d.i].Lat, Lon: jobs[d.i].Lon}
			if from != (dispatch.LatLon{}) && to != (dispatch.LatLon{}) {
				out[d.i].Km = dispatch.Distance(from, to)
			}
		}
	}
	return out
}

// Stats returns the KPIs of jobs for the whole company and for each
// technician, keyed by technician id, from their Records.
func Stats(jobs []dispatch.Job, co *config.Company) (company dispatch.Stats, byTech map[string]dispatch.Stats) {
	recs := Records(jobs, co)
	return dispatch.ComputeStats(recs), dispatch.StatsByTech(recs)
}

// firstAudit returns when j first moved to status; zero if it never did.
func firstAudit(j dispatch.Job, status string) time.Time {
	for _, a := range j.Audit {
		if a.To == status {
			return a.At
		}
	}
	return time.Time{}
}

// setOff returns when j's technician first set off to it, the first move
// to en route, on site or done; zero if nobody did.
func setOff(j dispatch.Job) time.Time {
	for _, a := range j.Audit {
		switch a.To {
		case dispatch.StatusEnRoute, dispatch.StatusOnSite, dispatch.StatusDone:
			return a.At
		}
	}
	return time.Time{}
}

// localDay returns the midnight in loc that starts t's local day.
func localDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}
