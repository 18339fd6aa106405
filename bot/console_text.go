package bot

import (
	"fmt"
	"slices"
	"strings"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// maxListed bounds the jobs one /jobs reply lists.
const maxListed = 25

// jobsText lists open jobs for /jobs, emergencies first.
func jobsText(co *config.Company, jobs []BoardJob, filter string) string {
	if len(jobs) == 0 {
		if filter != "" {
			return "No open jobs match " + filter + "."
		}
		return "No open jobs."
	}
	rank := map[string]int{"emergency": 0, "urgent": 1}
	slices.SortStableFunc(jobs, func(a, b BoardJob) int {
		ra, oka := rank[a.Urgency]
		rb, okb := rank[b.Urgency]
		if !oka {
			ra = 2
		}
		if !okb {
			rb = 2
		}
		return ra - rb
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%d open job%s", len(jobs), plural(len(jobs)))
	if filter != "" {
		b.WriteString(" (" + filter + ")")
	}
	b.WriteString(":")
	for i, j := range jobs {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more; narrow with /jobs emergency or /jobs alice.", len(jobs)-maxListed)
			break
		}
		who := j.TechName
		if who == "" {
			who = "nobody"
		} else {
			who = firstName(who)
		}
		fmt.Fprintf(&b, "\n%s %s %s, %s: %s — %s, %s", j.ID, strings.ToUpper(orNone(j.Urgency)[:1]), tradeWord(j.Trade),
			area(j.Job), clip(j.Problem, 40), statusWords(j.Status), who)
		if j.HeldBy != "" {
			b.WriteString(" [" + j.HeldBy + " answering]")
		}
	}
	return b.String()
}

// jobText shows one job for /job: details, audit trail, notes and the
// last messages of its conversation.
func jobText(co *config.Company, d BoardJobDetail) string {
	j := d.Job
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s — %s. %s", j.ID, orNone(j.Urgency), tradeWord(j.Trade), statusWords(j.Status), when(co, j))
	if d.TechName != "" {
		b.WriteString(", " + d.TechName)
	}
	fmt.Fprintf(&b, ".\n%s, %s %s", customerName(j), j.Address, j.Postcode)
	if j.Customer != "" {
		if a, ok := ParseAddress(j.Customer); ok {
			b.WriteString(" (" + string(a.Channel) + " " + a.ID + ")")
		}
	}
	b.WriteString("\nProblem: " + clip(j.Problem, 200))
	if parts := partsLine(j); parts != "" {
		b.WriteString("\n" + parts)
	}
	if d.HeldBy != "" {
		b.WriteString("\n" + d.HeldBy + " is answering the customer.")
	}
	loc := location(co)
	for _, a := range lastN(j.Audit, 5) {
		fmt.Fprintf(&b, "\n%s %s by %s", a.At.In(loc).Format("15:04"), statusWords(a.To), actorWords(a.By))
		if a.Why != "" {
			b.WriteString(": " + clip(a.Why, 80))
		}
	}
	for _, n := range lastN(j.Notes, 3) {
		fmt.Fprintf(&b, "\n%s note by %s: %s", n.At.In(loc).Format("15:04"), actorWords(n.By), clip(n.Text, 120))
	}
	if len(d.Transcript) > 0 {
		b.WriteString("\nConversation:")
		for _, l := range lastN(d.Transcript, 6) {
			dir := "bot"
			if l.In {
				dir = "customer"
			}
			fmt.Fprintf(&b, "\n%s %s: %s", l.At.In(loc).Format("15:04"), dir, clip(l.Text, 100))
		}
	}
	return b.String()
}

// jobButtons offers one-tap assignment of an unassigned job to each
// technician of its trade.
func jobButtons(co *config.Company, j dispatch.Job) [][]Button {
	if !j.Open() || j.Tech != "" {
		return nil
	}
	var row []Button
	var rows [][]Button
	for _, t := range co.Technicians {
		if j.Trade != "" && j.Trade != dispatch.General && !slices.Contains(t.Trades, j.Trade) {
			continue
		}
		row = append(row, Button{Text: "→ " + firstName(t.Name), Reply: "/assign " + j.ID + " " + t.ID})
		if len(row) == 3 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// techsText lists technicians for /techs.
func techsText(techs []BoardTech) string {
	if len(techs) == 0 {
		return "No technicians configured."
	}
	var b strings.Builder
	b.WriteString("Technicians:")
	for _, t := range techs {
		state := "off duty"
		switch {
		case t.OnDuty && t.Working:
			state = "working"
		case t.OnDuty && t.OnCall:
			state = "on call"
		case t.OnDuty:
			state = "off shift"
		}
		open := 0
		for _, j := range t.Today {
			if j.Open() {
				open++
			}
		}
		fmt.Fprintf(&b, "\n%s (%s) — %s, %d job%s today, %d open", t.Name, t.ID, state, len(t.Today), plural(len(t.Today)), open)
	}
	return b.String()
}

// statsText renders /stats.
func statsText(period string, r StatsReport) string {
	if period == "" {
		period = "today"
	}
	a := r.All
	var b strings.Builder
	fmt.Fprintf(&b, "Stats %s: %d job%s, %d done", period, a.Jobs, plural(a.Jobs), a.Completed)
	if a.CompletionRate > 0 {
		fmt.Fprintf(&b, " (%.0f%% of finished)", a.CompletionRate*100)
	}
	fmt.Fprintf(&b, ". Cancelled %.0f%%, no-show %.0f%%.", a.CancelledPct, a.NoShowPct)
	for _, u := range []string{"emergency", "urgent", "routine"} {
		if m, ok := a.MinutesToAccept[u]; ok {
			fmt.Fprintf(&b, "\nTime to accept, %s: mean %.0f min, p90 %.0f (%d).", u, m.Mean, m.P90, m.N)
		}
	}
	if a.FeedbackCount > 0 {
		fmt.Fprintf(&b, "\nFeedback %.1f/5 from %d.", a.Feedback, a.FeedbackCount)
	}
	if a.JobsPerTechDay > 0 {
		fmt.Fprintf(&b, "\n%.1f jobs per technician-day, %.0f km driven (est.).", a.JobsPerTechDay, a.DriveKm)
	}
	return b.String()
}

func actorWords(a dispatch.Actor) string {
	if a.ID != "" {
		return a.ID
	}
	return a.Kind
}

func lastN[T any](xs []T, n int) []T {
	return xs[max(len(xs)-n, 0):]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
