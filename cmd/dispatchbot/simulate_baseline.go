package main

import (
	"slices"
	"time"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// roundRobin replays the jobs booked in the replay with a naive
// dispatcher: each job, in booking order, is offered to the next
// technician in turn who does its trade, with no look at areas, distance
// or who is free, and the same answer delays and refusals as the replay
// drew. Each technician then works their jobs: an emergency as soon as
// they are free, a slotted job from its slot start, in slot order; a job
// they would reach after its slot ends, or whose slot overlaps one they
// already did, is not done. It returns the jobs as they end up, with the
// audit trail the KPIs read.
func roundRobin(w *simWorld, out simOutcome) []dispatch.Job {
	jobs := make([]dispatch.Job, len(out.jobs))
	turn := 0
	mine := make([][]int, len(w.co.Technicians))
	for i, stored := range out.jobs {
		j := dispatch.Job{ID: stored.ID, Number: stored.Number, Company: stored.Company, Status: dispatch.StatusNew,
			Urgency: stored.Urgency, Trade: stored.Trade, Postcode: stored.Postcode, Customer: stored.Customer,
			SlotStart: stored.SlotStart, SlotEnd: stored.SlotEnd, Created: stored.Created,
			FirstMessage: stored.FirstMessage, Lat: stored.Lat, Lon: stored.Lon}
		req := out.jobReq[j.Number]
		at := j.Created
		var refused []int
		for k := 0; ; k++ {
			t := w.nextInTurn(j.Trade, &turn, refused)
			if t < 0 {
				break
			}
			delay, no := w.answer(req, k)
			at = at.Add(delay)
			if no {
				refused = append(refused, t)
				continue
			}
			j.Tech, j.Status = w.co.Technicians[t].ID, dispatch.StatusAssigned
			j.Audit = append(j.Audit, dispatch.AuditEntry{At: at, By: techActor(j.Tech), From: dispatch.StatusNew,
				To: dispatch.StatusAssigned, Why: "accepted"})
			mine[t] = append(mine[t], i)
			break
		}
		jobs[i] = j
	}
	for t, list := range mine {
		w.workDay(jobs, t, list, out)
	}
	return jobs
}

// nextInTurn returns the next technician from *turn on who does trade and
// is not in skip, and moves *turn past them; -1 when there is none. General
// work goes to those who list General, or to anyone when nobody does.
func (w *simWorld) nextInTurn(trade dispatch.Trade, turn *int, skip []int) int {
	techs := w.co.Technicians
	anyone := trade == dispatch.General && !slices.ContainsFunc(techs, func(t config.Technician) bool {
		return slices.Contains(t.Trades, dispatch.General)
	})
	for k := range len(techs) {
		t := (*turn + k) % len(techs)
		if (anyone || slices.Contains(techs[t].Trades, trade)) && !slices.Contains(skip, t) {
			*turn = t + 1
			return t
		}
	}
	return -1
}

// workDay moves technician t through the jobs (indexes into jobs) given
// to them, marking each done or leaving it assigned.
func (w *simWorld) workDay(jobs []dispatch.Job, t int, list []int, out simOutcome) {
	ready := func(i int) time.Time {
		if jobs[i].SlotStart.IsZero() {
			return jobs[i].Audit[0].At // an emergency: when they took it
		}
		return jobs[i].SlotStart
	}
	pos, free := w.home[t], time.Time{}
	var did []dispatch.Window
	left := slices.Clone(list)
	for len(left) > 0 {
		k := -1
		for n, i := range left {
			switch {
			case ready(i).After(free):
			case k < 0:
				k = n
			case jobs[i].SlotStart.IsZero() != jobs[left[k]].SlotStart.IsZero():
				if jobs[i].SlotStart.IsZero() {
					k = n // emergencies first
				}
			case ready(i).Before(ready(left[k])):
				k = n
			}
		}
		if k < 0 {
			free = ready(left[0])
			for _, i := range left {
				if ready(i).Before(free) {
					free = ready(i)
				}
			}
			continue
		}
		i := left[k]
		left = slices.Delete(left, k, k+1)
		j := &jobs[i]
		to := w.reqs[out.jobReq[j.Number]].at
		arrive := free.Add(simDrive(pos, to))
		if slot := (dispatch.Window{Start: j.SlotStart, End: j.SlotEnd}); !slot.Start.IsZero() {
			if arrive.After(slot.End) || slices.ContainsFunc(did, func(d dispatch.Window) bool {
				return d.Start.Before(slot.End) && slot.Start.Before(d.End)
			}) {
				continue
			}
			did = append(did, slot)
		}
		finish := arrive.Add(w.reqs[out.jobReq[j.Number]].service)
		me := techActor(j.Tech)
		j.Audit = append(j.Audit,
			dispatch.AuditEntry{At: free, By: me, From: dispatch.StatusAssigned, To: dispatch.StatusEnRoute},
			dispatch.AuditEntry{At: arrive, By: me, From: dispatch.StatusEnRoute, To: dispatch.StatusOnSite},
			dispatch.AuditEntry{At: finish, By: me, From: dispatch.StatusOnSite, To: dispatch.StatusDone})
		j.Status = dispatch.StatusDone
		pos, free = to, finish
	}
}

func techActor(id string) dispatch.Actor {
	return dispatch.Actor{Kind: dispatch.ActorTechnician, ID: id}
}
