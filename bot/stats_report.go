package bot

import (
	"math"
	"time"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// StatsReportOf returns the KPIs of co's jobs created in [from, to), for
// the company and per technician, rounded for people.
func StatsReportOf(co *config.Company, jobs []dispatch.Job, from, to time.Time) StatsReport {
	all, byTech := Stats(jobs, co)
	r := StatsReport{Company: co.ID, From: from.UTC(), To: to.UTC(), All: figuresOf(all), Technicians: map[string]StatsFigures{}}
	for id, s := range byTech {
		r.Technicians[id] = figuresOf(s)
	}
	return r
}

func figuresOf(s dispatch.Stats) StatsFigures {
	f := StatsFigures{Jobs: s.Jobs, Completed: s.Completed, CompletionRate: round2(s.CompletionRate),
		CancelledPct: round2(s.CancelledPct), NoShowPct: round2(s.NoShowPct), Feedback: round2(s.Feedback),
		FeedbackCount: s.FeedbackCount, JobsPerTechDay: round2(s.JobsPerTechDay), DriveKm: round2(s.Km)}
	for u, d := range s.TimeToAccept {
		if f.MinutesToAccept == nil {
			f.MinutesToAccept = map[string]MinuteFigure{}
		}
		f.MinutesToAccept[u] = MinuteFigure{N: d.N, Mean: round2(d.Mean.Minutes()), P90: round2(d.P90.Minutes()), Max: round2(d.Max.Minutes())}
	}
	return f
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
