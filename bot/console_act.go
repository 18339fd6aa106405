package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// actionPlan is what one override changes, committed together, and what
// to tell the dispatcher.
type actionPlan struct {
	plan
	duty map[string]bool
	msg  string
	job  *dispatch.Job
}

// maxSayLen bounds a message a dispatcher sends a customer by hand.
const maxSayLen = 1600

// plan works out override a by dispatcher by at now, reading fresh state.
func (c *Console) plan(ctx context.Context, co *config.Company, by dispatch.Actor, a Action, now time.Time) (*actionPlan, error) {
	name := strings.ToLower(strings.TrimSpace(a.Name))
	if name == "duty" {
		return dutyPlan(co, by, a)
	}
	switch name {
	case "assign", "reassign", "cancel", "urgency", "say", "takeover", "release", "note":
	default:
		return nil, &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("Unknown action %q: use assign, reassign, cancel, urgency, say, takeover, release, note or duty.", a.Name)}
	}
	sj, err := c.findJob(ctx, co, a.Job)
	if err != nil {
		return nil, err
	}
	p := &actionPlan{}
	j := sj.Job
	arg := strings.TrimSpace(a.Arg)
	switch name {
	case "assign", "reassign":
		err = p.assign(co, sj, a.Tech, by, now)
	case "cancel":
		err = p.cancel(co, sj, arg, by, now)
	case "urgency":
		err = p.urgency(co, sj, arg, by, now)
	case "say":
		err = p.say(co, sj, arg, by, now)
	case "takeover", "release":
		err = p.hold(co, sj, name == "takeover", by, now)
	case "note":
		if arg == "" {
			return nil, &ActionError{Kind: RefusedBad, Msg: "The note is empty: /note J-1042 gate code 4411."}
		}
		j.Notes = append(j.Notes, dispatch.Note{At: now, By: by, Text: clip(arg, 500)})
		p.write(sj, j)
		p.msg = "Noted on " + j.ID + "."
	}
	if err != nil {
		return nil, err
	}
	if len(p.jobs) > 0 {
		last := p.jobs[len(p.jobs)-1].After
		p.job = &last
	} else {
		p.job = &j
	}
	return p, nil
}

// assign gives the job to the technician named, from whoever had it or had
// its offer; both technicians and the customer are told.
func (p *actionPlan) assign(co *config.Company, sj StoredJob, who string, by dispatch.Actor, now time.Time) error {
	t, err := findTech(co, who)
	if err != nil {
		return err
	}
	j := sj.Job
	old := Holder(j)
	if j.Tech == t.ID && j.Status == dispatch.StatusAssigned {
		p.msg = j.ID + " is already " + firstName(t.Name) + "'s."
		return nil
	}
	next, err := dispatch.Assign(j, t.ID, by, "assigned by "+by.ID, now)
	if err != nil {
		return refusal(j, err)
	}
	p.write(sj, next)
	if a, ok := techAddress(co, t.ID); ok {
		p.out = append(p.out, Outbound{Company: co.ID, To: a, Text: by.ID + " gave you " + j.ID + ". " + acceptedText(co, next)})
	}
	if old != "" && old != t.ID {
		if a, ok := techAddress(co, old); ok {
			p.out = append(p.out, Outbound{Company: co.ID, To: a, Text: j.ID + " has been given to someone else by the dispatcher; you don't need to go."})
		}
	}
	if who, ok := ParseAddress(j.Customer); ok {
		p.out = append(p.out, Outbound{Company: co.ID, To: who, Text: confirmText(co, next, t)})
	}
	p.timers = append(p.timers, reminderTimers(co, next, now)...)
	p.msg = j.ID + " is now " + firstName(t.Name) + "'s (" + when(co, next) + ")." + techCaveat(co, t, now)
	return nil
}

// techCaveat warns when the chosen technician is not on the clock.
func techCaveat(co *config.Company, t config.Technician, now time.Time) string {
	local := now.In(location(co))
	if !t.Hours.Open(local) && !t.OnCall.Open(local) {
		return " Note: " + firstName(t.Name) + " is not working now."
	}
	return ""
}

// cancel cancels the job, tells the customer and the technician, and
// gives its slot back.
func (p *actionPlan) cancel(co *config.Company, sj StoredJob, reason string, by dispatch.Actor, now time.Time) error {
	j := sj.Job
	why := "cancelled by " + by.ID
	if reason != "" {
		why += ": " + clip(reason, 200)
	}
	next, err := dispatch.Transition(j, dispatch.StatusCancelled, by, why, now)
	if err != nil {
		return refusal(j, err)
	}
	p.write(sj, next)
	text := "Your job " + j.ID + " with " + co.Name + " has been cancelled"
	if reason != "" {
		text += " (" + clip(reason, 200) + ")"
	}
	if who, ok := ParseAddress(j.Customer); ok {
		p.out = append(p.out, Outbound{Company: co.ID, To: who, Text: text + ". Text us any time if you need us again."})
	}
	if t := Holder(j); t != "" {
		if a, ok := techAddress(co, t); ok {
			p.out = append(p.out, Outbound{Company: co.ID, To: a, Text: j.ID + " is cancelled; it's off your list."})
		}
	}
	if !j.SlotStart.IsZero() {
		p.timers = append(p.timers, Timer{Kind: TimerFree, Job: j.Number, At: now})
	}
	p.msg = j.ID + " is cancelled; the customer has been told."
	return nil
}

// urgency changes the job's urgency; a job raised to an emergency that
// nobody has yet is matched again at once.
func (p *actionPlan) urgency(co *config.Company, sj StoredJob, level string, by dispatch.Actor, now time.Time) error {
	j := sj.Job
	level = strings.ToLower(level)
	switch level {
	case "emergency", "urgent", "routine":
	default:
		return &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("Urgency %q: use emergency, urgent or routine.", level)}
	}
	if !j.Open() {
		return &ActionError{Kind: RefusedConflict, Msg: j.ID + " is " + statusWords(j.Status) + "; its urgency can't change."}
	}
	if j.Urgency == level {
		p.msg = j.ID + " is already " + level + "."
		return nil
	}
	next := j
	next.Urgency = level
	next.Notes = append(next.Notes, dispatch.Note{At: now, By: by, Text: "urgency " + orNone(j.Urgency) + " → " + level})
	p.write(sj, next)
	if next.Tech == "" && (next.Status == dispatch.StatusNew || next.Status == dispatch.StatusOffered) {
		p.timers = append(p.timers, Timer{Kind: TimerMatch, Job: j.Number, At: now})
	}
	if t := Holder(j); t != "" && level == "emergency" {
		if a, ok := techAddress(co, t); ok {
			p.out = append(p.out, Outbound{Company: co.ID, To: a, Text: j.ID + " is now an EMERGENCY. Please go as soon as you can."})
		}
	}
	p.msg = j.ID + " is now " + level + "."
	return nil
}

// say texts the customer as the company, and keeps a note of it.
func (p *actionPlan) say(co *config.Company, sj StoredJob, text string, by dispatch.Actor, now time.Time) error {
	j := sj.Job
	switch {
	case text == "":
		return &ActionError{Kind: RefusedBad, Msg: "Nothing to send: /say " + j.ID + " We'll be there by 3pm."}
	case len(text) > maxSayLen:
		return &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("That is %d characters; keep it under %d.", len(text), maxSayLen)}
	}
	who, ok := ParseAddress(j.Customer)
	if !ok {
		return &ActionError{Kind: RefusedConflict, Msg: j.ID + " has no customer address to text."}
	}
	p.out = append(p.out, Outbound{Company: co.ID, To: who, Text: text})
	next := j
	next.Notes = append(next.Notes, dispatch.Note{At: now, By: by, Text: "to the customer: " + clip(text, 300)})
	p.write(sj, next)
	p.msg = "Sent to " + customerName(j) + " (" + j.ID + ")."
	return nil
}

// hold takes the customer's conversation over from the bot, or gives it
// back; the conversation itself changes when the timer fires.
func (p *actionPlan) hold(co *config.Company, sj StoredJob, take bool, by dispatch.Actor, now time.Time) error {
	j := sj.Job
	next := j
	if take {
		if j.Held == by.ID {
			p.msg = "You are already answering " + j.ID + "'s customer."
			return nil
		}
		next.Held = by.ID
		next.Notes = append(next.Notes, dispatch.Note{At: now, By: by, Text: "took over the conversation"})
		p.timers = append(p.timers, Timer{Kind: TimerTakeover, Job: j.Number, At: now})
		p.msg = "You are answering " + j.ID + "'s customer now: their texts come to you, /say " + j.ID + " … answers, /release " + j.ID + " hands back to the bot."
	} else {
		if j.Held == "" {
			p.msg = "The bot is already answering " + j.ID + "'s customer."
			return nil
		}
		next.Held = ""
		next.Notes = append(next.Notes, dispatch.Note{At: now, By: by, Text: "handed the conversation back to the bot"})
		p.timers = append(p.timers, Timer{Kind: TimerRelease, Job: j.Number, At: now})
		p.msg = "The bot answers " + j.ID + "'s customer again."
	}
	p.write(sj, next)
	return nil
}

// dutyPlan puts a technician on or off duty and tells them.
func dutyPlan(co *config.Company, by dispatch.Actor, a Action) (*actionPlan, error) {
	t, err := findTech(co, a.Tech)
	if err != nil {
		return nil, err
	}
	var on bool
	switch strings.ToLower(strings.TrimSpace(a.Arg)) {
	case "on":
		on = true
	case "off":
	default:
		return nil, &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("Duty %q: use on or off.", a.Arg)}
	}
	p := &actionPlan{duty: map[string]bool{t.ID: on}}
	word := map[bool]string{true: "on", false: "off"}[on]
	if addr, ok := techAddress(co, t.ID); ok {
		text := by.ID + " put you " + word + " duty."
		if !on {
			text += " You won't get new jobs; text ON when you're back."
		}
		p.out = append(p.out, Outbound{Company: co.ID, To: addr, Text: text})
	}
	p.msg = firstName(t.Name) + " is " + word + " duty."
	return p, nil
}

// refusal turns a lifecycle error on j into words for the dispatcher.
func refusal(j dispatch.Job, err error) error {
	if errors.Is(err, dispatch.ErrBadTransition) || errors.Is(err, dispatch.ErrOfferClosed) {
		return &ActionError{Kind: RefusedConflict, Msg: j.ID + " is " + statusWords(j.Status) + "; that can't be done now."}
	}
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
