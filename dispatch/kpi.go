package dispatch

import (
	"math"
	"slices"
	"time"
)

// JobRecord is what the KPIs need to know about one job of the history.
// Status is the job's final status: "done", "cancelled", "no_show", or an
// open one such as "assigned".
type JobRecord struct {
	ID           string
	Tech         string // who did it; "" if nobody
	Urgency      string // "emergency", "urgent" or "routine"
	FirstMessage time.Time
	Accepted     time.Time // when a technician accepted; zero if never
	Status       string
	Completed    time.Time
	Feedback     int       // the customer's score, 1 to 5; 0 for none
	Km           float64   // estimated drive to the job; leave 0 if nobody drove there
	Day          time.Time // the local day the job was worked or booked; zero means the day of Completed
}

// Durations summarises a set of durations. P90 is the 90th percentile by
// nearest rank: the ⌈0.9·N⌉-th smallest value, so always one of the
// values. Mean is truncated to the nanosecond.
type Durations struct {
	N    int
	Mean time.Duration
	P90  time.Duration
	Max  time.Duration
}

// AllUrgencies is the key of Stats.TimeToAccept that covers every job.
const AllUrgencies = "all"

// Stats are the KPIs of a job history, for a company or one technician.
// A job is finished when it is done, cancelled or a no-show.
type Stats struct {
	Jobs           int     // jobs in the history
	Completed      int     // jobs done
	CompletionRate float64 // done / finished as a fraction from 0 to 1; 0 if none finished
	CancelledPct   float64 // cancelled as a percent of finished jobs
	NoShowPct      float64 // no-shows as a percent of finished jobs
	Feedback       float64 // mean of the scores given; 0 if none
	FeedbackCount  int
	// TimeToAccept runs from the customer's first message to a technician's
	// accept, by urgency and under AllUrgencies for every job; jobs with no
	// urgency count only under AllUrgencies. Jobs never accepted, or
	// accepted before their first message (bad data), are left out; an
	// urgency with no such job has no entry, and the map is nil if none has.
	TimeToAccept map[string]Durations
	// JobsPerTechDay is the jobs done by a technician divided by the
	// distinct (technician, day) pairs on which one was done; jobs done
	// with no technician are left out. 0 if none.
	JobsPerTechDay float64
	Km             float64 // total estimated drive; negative or non-finite values are left out
}

// ComputeStats returns the KPIs of recs.
func ComputeStats(recs []JobRecord) Stats {
	st := Stats{Jobs: len(recs)}
	var cancelled, noShow, scores, techJobs int
	accept := map[string][]time.Duration{}
	type techDay struct {
		tech    string
		y, m, d int
	}
	days := map[techDay]bool{}
	for _, r := range recs {
		switch r.Status {
		case "done":
			st.Completed++
			if r.Tech != "" {
				day := r.Day
				if day.IsZero() {
					day = r.Completed
				}
				y, m, d := day.Date()
				days[techDay{r.Tech, y, int(m), d}] = true
				techJobs++
			}
		case "cancelled":
			cancelled++
		case "no_show":
			noShow++
		}
		if r.Feedback >= 1 && r.Feedback <= 5 {
			scores += r.Feedback
			st.FeedbackCount++
		}
		if !r.Accepted.IsZero() && !r.FirstMessage.IsZero() && !r.Accepted.Before(r.FirstMessage) {
			d := r.Accepted.Sub(r.FirstMessage)
			accept[AllUrgencies] = append(accept[AllUrgencies], d)
			if r.Urgency != "" && r.Urgency != AllUrgencies {
				accept[r.Urgency] = append(accept[r.Urgency], d)
			}
		}
		if r.Km >= 0 && !math.IsInf(r.Km, 1) {
			st.Km += r.Km
		}
	}
	if finished := st.Completed + cancelled + noShow; finished > 0 {
		f := float64(finished)
		st.CompletionRate = float64(st.Completed) / f
		st.CancelledPct = 100 * float64(cancelled) / f
		st.NoShowPct = 100 * float64(noShow) / f
	}
	if st.FeedbackCount > 0 {
		st.Feedback = float64(scores) / float64(st.FeedbackCount)
	}
	if len(days) > 0 {
		st.JobsPerTechDay = float64(techJobs) / float64(len(days))
	}
	if len(accept) > 0 {
		st.TimeToAccept = make(map[string]Durations, len(accept))
		for k, ds := range accept {
			st.TimeToAccept[k] = Summarize(ds)
		}
	}
	return st
}

// StatsByTech returns the KPIs of each technician's jobs, keyed by
// JobRecord.Tech; jobs nobody did are left out. The map is never nil.
func StatsByTech(recs []JobRecord) map[string]Stats {
	by := map[string][]JobRecord{}
	for _, r := range recs {
		if r.Tech != "" {
			by[r.Tech] = append(by[r.Tech], r)
		}
	}
	out := make(map[string]Stats, len(by))
	for tech, rs := range by {
		out[tech] = ComputeStats(rs)
	}
	return out
}

// Summarize returns the count, mean, 90th percentile (nearest rank) and
// maximum of ds, which it does not modify. It is zero for no durations.
func Summarize(ds []time.Duration) Durations {
	n := len(ds)
	if n == 0 {
		return Durations{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	// Sum quotients and remainders apart so long histories cannot overflow.
	var q, r time.Duration
	for _, d := range s {
		q += d / time.Duration(n)
		r += d % time.Duration(n)
	}
	rank := (9*n + 9) / 10 // ⌈0.9·n⌉, at least 1
	return Durations{N: n, Mean: q + r/time.Duration(n), P90: s[rank-1], Max: s[n-1]}
}
