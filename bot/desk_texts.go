package bot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// techHelp answers a technician's text the desk did not understand.
const techHelp = "Reply YES or NO to an offer (add the job number if you have several, e.g. YES 1042). " +
	"Then: OMW when you set off (OMW 20 for an ETA), ARRIVED, DONE (add a note if you like), LATE 20, " +
	"CAN'T MAKE IT, TODAY for your jobs, OFF or ON for duty."

// when writes a job's time: its slot, or "now" for one without.
func when(co *config.Company, j dispatch.Job) string {
	if j.SlotStart.IsZero() {
		return "now"
	}
	return conversation.FormatSlot(conversation.Slot{Start: j.SlotStart, End: j.SlotEnd}, location(co))
}

// area is the part of a job's address a technician sees before accepting.
func area(j dispatch.Job) string {
	if f := strings.Fields(j.Postcode); len(f) > 0 {
		return strings.ToUpper(f[0])
	}
	if j.Postcode != "" {
		return strings.ToUpper(j.Postcode)
	}
	return "not given"
}

// offerText is the offer of j to a technician: a summary, the area, the
// time, what to bring and how to answer.
func offerText(co *config.Company, j dispatch.Job, window time.Duration, bumped string) string {
	var b strings.Builder
	if j.Urgency == urgencyEmergency {
		b.WriteString("EMERGENCY ")
	} else {
		b.WriteString("New job ")
	}
	fmt.Fprintf(&b, "%s (%s", j.ID, tradeWord(j.Trade))
	if j.Urgency != "" && j.Urgency != urgencyEmergency {
		b.WriteString(", " + j.Urgency)
	}
	fmt.Fprintf(&b, "): %s. Area %s, %s.", clip(j.Problem, 160), area(j), when(co, j))
	if parts := partsLine(j); parts != "" {
		b.WriteString(" " + parts)
	}
	if bumped != "" {
		fmt.Fprintf(&b, " Your job %s will be moved to make room.", bumped)
	}
	fmt.Fprintf(&b, " Reply YES %d to take it or NO %d to pass, within %s.", j.Number, j.Number, minutesWords(window))
	return b.String()
}

// partsLine says what the technician needs to bring the right parts.
func partsLine(j dispatch.Job) string {
	var parts []string
	if j.MakeModel != "" {
		parts = append(parts, "Make/model: "+j.MakeModel+".")
	}
	if j.ErrorCode != "" {
		parts = append(parts, "Error code: "+j.ErrorCode+".")
	}
	if j.Details != "" {
		parts = append(parts, "Details: "+clip(j.Details, 200)+".")
	}
	if len(j.Photos) > 0 {
		parts = append(parts, "Photos: "+strings.Join(j.Photos, " "))
	}
	return strings.Join(parts, " ")
}

// acceptedText gives the technician the whole job once it is theirs.
func acceptedText(co *config.Company, j dispatch.Job) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is yours, %s. %s, %s.", j.ID, when(co, j), customerName(j), j.Address)
	if j.Postcode != "" && !strings.Contains(strings.ToUpper(j.Address), strings.ToUpper(j.Postcode)) {
		b.WriteString(" " + j.Postcode + ".")
	}
	if j.Access != "" {
		b.WriteString(" Access: " + clip(j.Access, 200) + ".")
	}
	b.WriteString(" Problem: " + clip(j.Problem, 200) + ".")
	if parts := partsLine(j); parts != "" {
		b.WriteString(" " + parts)
	}
	b.WriteString(" Text OMW when you set off and DONE when finished.")
	return b.String()
}

// confirmText tells the customer who is coming and when.
func confirmText(co *config.Company, j dispatch.Job, t config.Technician) string {
	first := firstName(t.Name)
	if j.SlotStart.IsZero() {
		return fmt.Sprintf("%s from %s has your job %s and is heading to you as soon as possible. We'll text when they set off.", first, co.Name, j.ID)
	}
	return fmt.Sprintf("Confirmed: %s from %s will come %s (job %s). Reply C to cancel, R to reschedule.", first, co.Name, when(co, j), j.ID)
}

// reminderText reminds the customer of their visit.
func reminderText(co *config.Company, j dispatch.Job, evening bool) string {
	who := "Your technician"
	if t, ok := techByID(co, j.Tech); ok {
		who = firstName(t.Name) + " from " + co.Name
	}
	day := "today"
	if evening {
		day = "tomorrow"
	}
	return fmt.Sprintf("Reminder: %s is coming %s, %s (job %s). Reply C to cancel, R to reschedule.", who, day, when(co, j), j.ID)
}

// ranOutText tells tech their offer of a job ran out: after matching, the
// job is j; before, it had the offers of before.
func ranOutText(j, before dispatch.Job, tech string) string {
	if len(j.Offers) > len(before.Offers) {
		if j.Offers[len(j.Offers)-1].Tech == tech {
			return "The offer of " + j.ID + " ran out. Nobody else is free, so you are asked once more:"
		}
		return "The offer of " + j.ID + " ran out, so it has gone to someone else."
	}
	return "The offer of " + j.ID + " ran out. If nobody else takes it, you can still reply YES " + strconv.FormatInt(j.Number, 10) + "."
}

// nobodyAlert tells the dispatchers that no technician can take j.
func nobodyAlert(co *config.Company, j dispatch.Job) string {
	what := "Nobody is free for"
	if j.Urgency == urgencyEmergency {
		what = "EMERGENCY: nobody is free for"
	}
	return fmt.Sprintf("%s %s (%s, %s, area %s, %s): %s. Everyone free has been asked; those who did not answer are asked once more. Assign it by hand if you can.", what, j.ID, tradeWord(j.Trade),
		j.Urgency, area(j), when(co, j), clip(j.Problem, 120))
}

// bumpedAlert tells the dispatchers that an emergency took a routine job's technician.
func bumpedAlert(co *config.Company, emergency, bumped dispatch.Job, tech string) string {
	return fmt.Sprintf("Emergency %s was taken by %s, so their job %s (%s) must move; the customer is being offered a new time.",
		emergency.ID, tech, bumped.ID, when(co, bumped))
}

// todayText lists a technician's open jobs today in route order.
func todayText(co *config.Company, t config.Technician, jobs []dispatch.Job, now time.Time) string {
	if len(jobs) == 0 {
		return "You have no jobs today."
	}
	byID := make(map[string]dispatch.Job, len(jobs))
	stops := make([]dispatch.Stop, len(jobs))
	for i, j := range jobs {
		byID[j.ID] = j
		stops[i] = dispatch.Stop{ID: j.ID, At: dispatch.LatLon{Lat: j.Lat, Lon: j.Lon},
			Window: dispatch.Window{Start: j.SlotStart, End: j.SlotEnd}, Service: time.Hour}
	}
	r := dispatch.PlanRoute(dispatch.RouteQuery{Start: dispatch.LatLon{Lat: t.Home.Lat, Lon: t.Home.Lon}, Depart: now, Stops: stops})
	var b strings.Builder
	fmt.Fprintf(&b, "Your jobs today (%d, about %.0f km):", len(jobs), r.Km)
	for i, id := range r.Order {
		j := byID[id]
		fmt.Fprintf(&b, "\n%d) %s %s: %s, %s. %s", i+1, j.ID, when(co, j), j.Address, j.Postcode, clip(j.Problem, 60))
		if j.Status != dispatch.StatusAssigned {
			b.WriteString(" [" + statusWords(j.Status) + "]")
		}
	}
	return b.String()
}

// etaMinutes is the ETA a technician gave, or one estimated from the drive
// from their home base at the usual speed, rounded up to 5 minutes.
func etaMinutes(given int, t config.Technician, j dispatch.Job) int {
	if given > 0 {
		return given
	}
	if (j.Lat == 0 && j.Lon == 0) || (t.Home.Lat == 0 && t.Home.Lon == 0) {
		return 30
	}
	km := dispatch.Distance(dispatch.LatLon{Lat: t.Home.Lat, Lon: t.Home.Lon}, dispatch.LatLon{Lat: j.Lat, Lon: j.Lon})
	m := int(math.Ceil(km/dispatch.DefaultSpeed*60/5)) * 5
	return max(m, 10)
}

func customerName(j dispatch.Job) string {
	if j.Name != "" {
		return j.Name
	}
	return "The customer"
}

func addressLine(j dispatch.Job) string {
	if j.Address == "" {
		return ""
	}
	return " Address: " + j.Address + "."
}

func statusWords(s string) string {
	return strings.ReplaceAll(s, "_", " ")
}

func tradeWord(t dispatch.Trade) string {
	if t == "" {
		return "general"
	}
	return string(t)
}

func cmdNote(note string) string {
	if note == "" {
		return "no reason given"
	}
	return clip(note, 120)
}

func minutesWords(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

// clip shortens s to at most n runes, marking a cut with "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
