package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"dispatchbot/dispatch"
)

// Dispatchers is the dispatchers' Handler: it answers their chat commands
// (/jobs, /assign J-1042 alice, ...) through the Console, committing each
// override with the dispatcher's reply in the same step.
type Dispatchers struct {
	c *Console
}

var _ Handler = (*Dispatchers)(nil)

// NewDispatchers returns the dispatchers' handler working through c.
func NewDispatchers(c *Console) *Dispatchers {
	return &Dispatchers{c: c}
}

// Handle answers one dispatcher's message.
func (h *Dispatchers) Handle(ctx context.Context, t Turn) (Step, error) {
	s := t.Session
	if t.Event != Message {
		return Step{Session: s}, nil
	}
	s = counted(s, t.Now)
	step := Step{Session: s}
	reply := func(text string, buttons ...[]Button) {
		m := Reply(t.In, text)
		m.Buttons = buttons
		step.Replies = append(step.Replies, m)
	}
	cmd, ok, err := ParseCommand(t.In.Text)
	var ce *CommandError
	switch {
	case !ok:
		reply("Hi " + firstName(t.Name) + ". Send /help for the commands, or /jobs for open jobs.")
		return step, nil
	case errors.As(err, &ce):
		reply(ce.Msg)
		return step, nil
	case err != nil:
		return Step{}, err
	}
	co := t.Company
	text, buttons, err := "", [][]Button(nil), error(nil)
	switch cmd.Name {
	case "help":
		text = CommandHelp()
	case "jobs":
		var jobs []BoardJob
		if jobs, err = h.c.Jobs(ctx, co.ID, cmd.Arg); err == nil {
			text = jobsText(co, jobs, cmd.Arg)
		}
	case "job":
		var d BoardJobDetail
		if d, err = h.c.Job(ctx, co.ID, dispatch.JobID(cmd.Job)); err == nil {
			text, buttons = jobText(co, d), jobButtons(co, d.Job)
		}
	case "techs":
		var techs []BoardTech
		if techs, err = h.c.Technicians(ctx, co.ID); err == nil {
			text = techsText(techs)
		}
	case "stats":
		var r StatsReport
		if r, err = h.c.Stats(ctx, co.ID, cmd.Arg); err == nil {
			text = statsText(cmd.Arg, r)
		}
	case "quiet":
		on := cmd.Arg == "on"
		step.Quiet = map[string]bool{t.In.From.String(): on}
		text = "Routine alerts are on again."
		if on {
			text = "Routine alerts are muted. You will still be texted for emergencies, offers nobody took, customers asking for a person, failed deliveries and technicians who can't make it. /quiet off to undo."
		}
	default:
		a := Action{Name: cmd.Name, Job: dispatch.JobID(cmd.Job), Tech: cmd.Tech, Arg: cmd.Arg}
		if cmd.Name == "tech" {
			a = Action{Name: "duty", Tech: cmd.Tech, Arg: cmd.Arg}
		}
		by := dispatch.Actor{Kind: dispatch.ActorDispatcher, ID: firstName(t.Name)}
		var p *actionPlan
		if p, err = h.c.plan(ctx, co, by, a, t.Now); err == nil {
			step.Jobs, step.Timers, step.Duty = p.jobs, p.timers, p.duty
			step.Replies = append(step.Replies, p.out...)
			text = p.msg
		}
	}
	var ae *ActionError
	switch {
	case errors.As(err, &ae):
		text, buttons = ae.Msg, nil
	case err != nil:
		return Step{}, fmt.Errorf("dispatcher /%s: %w", cmd.Name, err)
	}
	reply(strings.TrimSpace(text), buttons...)
	// The dispatcher's answer comes first, then what the override sends.
	if n := len(step.Replies); n > 1 {
		step.Replies = append(step.Replies[n-1:], step.Replies[:n-1]...)
	}
	return step, nil
}
