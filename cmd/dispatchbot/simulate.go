package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"dispatchbot/bot"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// simulate runs `dispatchbot simulate`: one synthetic working day through
// the real dispatch path, and the same bookings through a round-robin
// dispatcher, printed side by side.
func simulate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same day")
	techs := fs.Int("techs", 20, "technicians")
	jobs := fs.Int("jobs", 150, "customer requests")
	asJSON := fs.Bool("json", false, "print JSON instead of the table")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: dispatchbot simulate [-seed N] [-techs N] [-jobs N] [-json]")
		return 2
	}
	rep, err := runSimulation(ctx, simParams{Seed: *seed, Techs: *techs, Jobs: *jobs})
	if err != nil {
		fmt.Fprintln(stderr, "dispatchbot simulate:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.write(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dispatchbot simulate:", err)
		return 1
	}
	return 0
}

// simReport is what a simulation prints.
type simReport struct {
	Seed        uint64 `json:"seed"`
	Technicians int    `json:"technicians"`
	Requests    int    `json:"requests"`
	Day         string `json:"day"`
	Emergency   int    `json:"emergency_requests"`
	Urgent      int    `json:"urgent_requests"`
	Routine     int    `json:"routine_requests"`
	Booked      int    `json:"booked"`
	NoSlot      int    `json:"no_slot"`
	// TechTexts and BotTexts count the texts the technicians sent and the
	// messages the bot queued in the dispatchbot run.
	TechTexts int   `json:"technician_texts"`
	BotTexts  int64 `json:"bot_texts"`
	// Errors counts errors the real code logged; 0 in a sound run.
	Errors  int64       `json:"errors_logged"`
	Results []simResult `json:"results"`
}

// simResult is one dispatcher's figures.
type simResult struct {
	Dispatcher        string     `json:"dispatcher"`
	EmergencyAccept   simMinutes `json:"emergency_time_to_accept"`
	EmergencyArrive   simMinutes `json:"emergency_time_to_arrive"` // first message to on site
	EmergenciesBooked int        `json:"emergencies_booked"`
	Completed         int        `json:"completed"`
	Booked            int        `json:"booked"`
	DriveKm           float64    `json:"drive_km"`
	JobsPerTechDay    float64    `json:"jobs_per_tech_day"`
	// NotDone counts the jobs not completed by their final status.
	NotDone map[string]int `json:"not_completed"`
}

// simMinutes is a dispatch.Durations in minutes, rounded to a tenth.
type simMinutes struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean_min"`
	P90  float64 `json:"p90_min"`
	Max  float64 `json:"max_min"`
}

// runSimulation builds the world of p, replays it through dispatchbot and
// round-robin, and reports both.
func runSimulation(ctx context.Context, p simParams) (simReport, error) {
	w, err := newSimWorld(p)
	if err != nil {
		return simReport{}, err
	}
	out, err := replay(ctx, w)
	if err != nil {
		return simReport{}, err
	}
	rep := simReport{Seed: p.Seed, Technicians: p.Techs, Requests: p.Jobs, Day: w.day.Format("Mon 2 Jan 2006"),
		Booked: len(out.jobs), NoSlot: out.noSlot, TechTexts: out.techSent, BotTexts: out.botSent, Errors: out.errors}
	for _, r := range w.reqs {
		switch r.urgency {
		case conversation.Emergency:
			rep.Emergency++
		case conversation.Urgent:
			rep.Urgent++
		default:
			rep.Routine++
		}
	}
	rep.Results = []simResult{
		w.result("dispatchbot", out.jobs),
		w.result("round-robin", roundRobin(w, out)),
	}
	return rep, nil
}

// result computes a dispatcher's figures from its jobs with bot.Stats.
func (w *simWorld) result(name string, jobs []dispatch.Job) simResult {
	st, _ := bot.Stats(jobs, w.co)
	e := st.TimeToAccept[string(conversation.Emergency)]
	r := simResult{Dispatcher: name, Completed: st.Completed, Booked: st.Jobs,
		DriveKm: simRound1(st.Km), JobsPerTechDay: math.Round(st.JobsPerTechDay*100) / 100,
		EmergencyAccept: simMinutes{N: e.N, Mean: simMins(e.Mean), P90: simMins(e.P90), Max: simMins(e.Max)}}
	var arrive []time.Duration
	for _, j := range jobs {
		if j.Status != dispatch.StatusDone {
			if r.NotDone == nil {
				r.NotDone = map[string]int{}
			}
			r.NotDone[j.Status]++
		}
		if j.Urgency != string(conversation.Emergency) {
			continue
		}
		r.EmergenciesBooked++
		for _, a := range j.Audit {
			if a.To == dispatch.StatusOnSite {
				arrive = append(arrive, a.At.Sub(j.FirstMessage))
				break
			}
		}
	}
	a := dispatch.Summarize(arrive)
	r.EmergencyArrive = simMinutes{N: a.N, Mean: simMins(a.Mean), P90: simMins(a.P90), Max: simMins(a.Max)}
	return r
}

func simMins(d time.Duration) float64 { return simRound1(d.Minutes()) }

func simRound1(x float64) float64 { return math.Round(x*10) / 10 }

// simAbout explains the simulated day; it heads the table.
const simAbout = `One working day replayed through the real dispatch path (Scheduler.Slots and Book, the
Desk's matching and offers, TimerRunner, technicians' texts through Bot.Handle) on an
embedded Redis, with a simulated clock stepped minute by minute from 07:00 the day before
to 02:00 the day after. Routine requests come in the day before, urgent ones from 16:00 the
day before to noon on the day; each books one of the slots Scheduler.Slots offers on the
simulated day, or counts as "no slot". Emergencies come in during the day and book with no
slot. Technicians answer each offer 1-8 minutes after it is sent (1 in 10 say no), text
"omw" at slot start (or at once for an emergency), "arrived" after the drive at 30 km/h and
"done" after 45-120 minutes; one who cannot arrive before the slot ends texts "can't make
it". Round-robin takes the same bookings, gives each to the next technician with the trade
(no area, distance or availability check) with the same answer delays, and works each
technician's jobs in slot order: a job reached after its slot ends, or overlapping one
already done, is not completed. Time to accept runs from the customer's first message to a
technician's yes, time to arrive to the technician on site. Drive km are estimated by
bot.Stats from district centres.
`

// write prints the report as a table.
func (r simReport) write(out io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "dispatchbot simulate -seed %d -techs %d -jobs %d: %s, Europe/London\n\n%s\n",
		r.Seed, r.Technicians, r.Requests, r.Day, simAbout)
	fmt.Fprintf(&b, "requests: %d (%d emergency, %d urgent, %d routine); booked %d, no slot on the day %d\n",
		r.Requests, r.Emergency, r.Urgent, r.Routine, r.Booked, r.NoSlot)
	fmt.Fprintf(&b, "texts in the dispatchbot run: %d from technicians, %d from the bot; errors logged: %d\n\n",
		r.TechTexts, r.BotTexts, r.Errors)
	row := func(label string, f func(simResult) string) {
		fmt.Fprintf(&b, "%-32s", label)
		for _, res := range r.Results {
			fmt.Fprintf(&b, "%14s", f(res))
		}
		b.WriteString("\n")
	}
	mins := func(x float64) string { return fmt.Sprintf("%.1f min", x) }
	row("", func(s simResult) string { return s.Dispatcher })
	row("emergency time to accept: mean", func(s simResult) string { return mins(s.EmergencyAccept.Mean) })
	row("                          p90", func(s simResult) string { return mins(s.EmergencyAccept.P90) })
	row("                          max", func(s simResult) string { return mins(s.EmergencyAccept.Max) })
	row("                          n", func(s simResult) string {
		return fmt.Sprintf("%d of %d", s.EmergencyAccept.N, s.EmergenciesBooked)
	})
	row("emergency time to arrive: mean", func(s simResult) string { return mins(s.EmergencyArrive.Mean) })
	row("                          max", func(s simResult) string { return mins(s.EmergencyArrive.Max) })
	row("jobs completed / booked", func(s simResult) string { return fmt.Sprintf("%d/%d", s.Completed, s.Booked) })
	row("total drive km", func(s simResult) string { return fmt.Sprintf("%.1f", s.DriveKm) })
	row("jobs per tech-day", func(s simResult) string { return fmt.Sprintf("%.2f", s.JobsPerTechDay) })
	b.WriteString("\nnot completed, by final status:")
	for _, res := range r.Results {
		statuses := slices.Sorted(maps.Keys(res.NotDone))
		parts := make([]string, len(statuses))
		for i, st := range statuses {
			parts[i] = fmt.Sprintf("%s %d", st, res.NotDone[st])
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(&b, " %s: %s;", res.Dispatcher, strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	_, err := io.WriteString(out, b.String())
	return err
}
