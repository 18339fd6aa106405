package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// Intake is the customer Handler: it runs the conversation state machine
// and carries out its effects, finding slots and booking jobs through a
// Scheduler and alerting the company's dispatchers.
type Intake struct {
	companies map[string]*conversation.Company
	sched     Scheduler
	jobs      Jobs
}

var _ Handler = (*Intake)(nil)

// IntakeOptions tunes the intake of every company.
type IntakeOptions struct {
	NudgeAfter  time.Duration // silence before one reminder; default 30 minutes
	ExpireAfter time.Duration // silence before a request is closed; default 24 hours
	Jobs        Jobs          // where customers' feedback is stored; required for feedback
}

// NewIntake prepares intake for the companies, compiling each company's
// triage rules once.
func NewIntake(cos []*config.Company, sched Scheduler, o IntakeOptions) (*Intake, error) {
	it := &Intake{companies: make(map[string]*conversation.Company, len(cos)), sched: sched, jobs: o.Jobs}
	for _, co := range cos {
		rules := conversation.DefaultTriageRules()
		if co.Triage != nil {
			rules = rules.Merge(*co.Triage)
		}
		g, err := conversation.NewGrader(rules)
		if err != nil {
			return nil, fmt.Errorf("intake %s: triage rules: %w", co.ID, err)
		}
		it.companies[co.ID] = &conversation.Company{
			Name:             co.Name,
			Region:           co.Region,
			Location:         co.Location,
			Areas:            co.ServiceAreas,
			EmergencyNumbers: co.EmergencyNumbers,
			Hours:            co.Hours,
			Fees: conversation.Fees{Currency: co.Fees.Currency, Standard: co.Fees.Standard,
				AfterHours: co.Fees.AfterHours, Emergency: co.Fees.Emergency},
			PriceNotes:  co.PriceNotes,
			Grader:      g,
			NudgeAfter:  o.NudgeAfter,
			ExpireAfter: o.ExpireAfter,
		}
	}
	return it, nil
}

// maxRounds bounds the lookups one event may trigger (slots, then booking,
// then fresh slots when the chosen one was taken).
const maxRounds = 4

// Handle steps the customer's conversation and carries out its effects.
func (it *Intake) Handle(ctx context.Context, t Turn) (Step, error) {
	cc, ok := it.companies[t.Company.ID]
	if !ok {
		return Step{}, fmt.Errorf("intake: %w", ErrUnknownCompany)
	}
	s, effects := conversation.Step(t.Session, inputOf(t), cc, t.Now)
	var out Step
	for round := 0; ; round++ {
		var next *conversation.Input
		for _, e := range effects {
			switch e.Kind {
			case conversation.Reply:
				out.Replies = append(out.Replies, Reply(t.In, e.Text))
			case conversation.Alert:
				alerts := Alerts(t.Company, e.Text, t.In.From)
				for i := range alerts {
					alerts[i].Routine = e.Routine
				}
				out.Replies = append(out.Replies, alerts...)
			case conversation.Wake:
				out.Wake = e.At
			case conversation.FindSlots:
				in, err := it.findSlots(ctx, t, s, conversation.SlotsFound)
				if err != nil {
					return Step{}, err
				}
				next = &in
			case conversation.Book:
				in, err := it.book(ctx, t, s)
				if err != nil {
					return Step{}, err
				}
				next = &in
			case conversation.CancelJob:
				in := conversation.Input{Kind: conversation.JobCancelled}
				j, err := it.sched.Cancel(ctx, t.Company, s.LastJob, t.In.From, t.Now)
				switch {
				case errors.Is(err, ErrNotCancellable):
					in.Kind = conversation.CancelFailed // a person sorts it out
				case err != nil:
					return Step{}, fmt.Errorf("intake: cancel: %w", err)
				default:
					out.Replies = append(out.Replies, tellHolder(t.Company, j, j.ID+" has been cancelled by the customer; it is off your list.")...)
				}
				next = &in
			case conversation.Reschedule:
				in, err := it.reschedule(ctx, t, s, e.Job, &out)
				if err != nil {
					return Step{}, err
				}
				next = &in
			case conversation.SaveFeedback:
				if err := it.saveFeedback(ctx, t, e, &out); err != nil {
					return Step{}, err
				}
			}
		}
		if next == nil || round == maxRounds {
			break
		}
		s, effects = conversation.Step(s, *next, cc, t.Now)
	}
	out.Session = s
	if s.State == conversation.AwaitSlot && len(s.Offered) > 0 {
		slotButtons(&out, t.In.From, len(s.Offered))
	}
	return out, nil
}

func inputOf(t Turn) conversation.Input {
	switch t.Event {
	case Tick:
		return conversation.Input{Kind: conversation.Tick}
	case HandBack:
		return conversation.Input{Kind: conversation.HandBack}
	case News:
		return t.News
	}
	return conversation.Input{Kind: conversation.Text, Text: t.In.Text, Media: t.In.Media}
}

// slotsOffered is how many slots a customer is offered at once.
const slotsOffered = 3

func (it *Intake) findSlots(ctx context.Context, t Turn, s conversation.Session, kind conversation.InputKind) (conversation.Input, error) {
	slots, err := it.sched.Slots(ctx, t.Company, s.Request, t.Now, slotsOffered)
	if err != nil {
		return conversation.Input{}, fmt.Errorf("intake: find slots: %w", err)
	}
	return conversation.Input{Kind: kind, Slots: slots}, nil
}

func (it *Intake) book(ctx context.Context, t Turn, s conversation.Session) (conversation.Input, error) {
	key := t.In.ProviderID
	if key == "" {
		// Not caused by a message: the session version makes the key unique
		// and stable across retries of this same step.
		key = t.In.From.String() + "@" + strconv.FormatInt(t.Session.Version, 10)
	}
	job, err := it.sched.Book(ctx, t.Company, Booking{Key: key, Customer: t.In.From, Request: s.Request, At: t.Now,
		FirstMessage: s.Started})
	switch {
	case errors.Is(err, ErrSlotTaken):
		return it.findSlots(ctx, t, s, conversation.SlotTaken)
	case err != nil:
		return conversation.Input{}, fmt.Errorf("intake: book: %w", err)
	}
	return conversation.Input{Kind: conversation.JobBooked, Job: job}, nil
}

// Alerts addresses text to every dispatcher of co, on Telegram when they
// and the company have it, else by SMS from the company's number, naming
// the customer so the dispatcher can reach them.
func Alerts(co *config.Company, text string, customer Address) []Outbound {
	text = "[" + co.Name + "] " + text
	if customer.ID != "" {
		text += " Customer: " + customer.String() + "."
	}
	var out []Outbound
	for i, d := range co.Dispatchers {
		if to, ok := personAddress(co, SimDispatcherID(i), d.TelegramID, d.Phone); ok {
			m := Outbound{Company: co.ID, To: to, Text: text}
			if to.Channel == SMS {
				m.Via = co.SMSNumber()
			}
			out = append(out, m)
		}
	}
	return out
}

func (it *Intake) reschedule(ctx context.Context, t Turn, s conversation.Session, job string, out *Step) (conversation.Input, error) {
	if s.Request.Slot == nil {
		return conversation.Input{Kind: conversation.MoveFailed}, nil
	}
	before, err := it.sched.Reschedule(ctx, t.Company, job, t.In.From, *s.Request.Slot, t.Now)
	switch {
	case errors.Is(err, ErrSlotTaken):
		return it.findSlots(ctx, t, s, conversation.SlotTaken)
	case errors.Is(err, ErrNotMovable):
		return conversation.Input{Kind: conversation.MoveFailed}, nil
	case err != nil:
		return conversation.Input{}, fmt.Errorf("intake: reschedule: %w", err)
	}
	out.Replies = append(out.Replies, tellHolder(t.Company, before, before.ID+" has moved to another time at the customer's request; it is off your list.")...)
	return conversation.Input{Kind: conversation.JobMoved, Job: job}, nil
}

// saveFeedback stores a customer's score on their job with the step.
func (it *Intake) saveFeedback(ctx context.Context, t Turn, e conversation.Effect, out *Step) error {
	n, ok := dispatch.ParseJobID(e.Job)
	if !ok || it.jobs == nil {
		return nil
	}
	sj, err := it.jobs.Job(ctx, t.Company.ID, n)
	if errors.Is(err, ErrNoJob) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("intake: feedback: %w", err)
	}
	if sj.Job.Customer != t.In.From.String() {
		return nil
	}
	j := sj.Job
	j.Feedback, j.Comment = e.Score, e.Text
	out.Jobs = append(out.Jobs, JobWrite{Before: sj, After: j})
	return nil
}

// tellHolder texts the technician who had job j, if anyone did.
func tellHolder(co *config.Company, j dispatch.Job, text string) []Outbound {
	tech := Holder(j)
	if tech == "" {
		return nil
	}
	if a, ok := techAddress(co, tech); ok {
		return []Outbound{{Company: co.ID, To: a, Text: text}}
	}
	return nil
}

// routine marks alerts as ones that can wait (see Outbound.Routine).
func routine(alerts []Outbound) []Outbound {
	for i := range alerts {
		alerts[i].Routine = true
	}
	return alerts
}

// slotButtons puts one button per offered slot under the last reply to the
// customer, for channels that show them.
func slotButtons(out *Step, to Address, n int) {
	for i := len(out.Replies) - 1; i >= 0; i-- {
		if out.Replies[i].To != to {
			continue
		}
		row := make([]Button, n)
		for k := range row {
			row[k] = Button{Text: strconv.Itoa(k + 1), Reply: strconv.Itoa(k + 1)}
		}
		out.Replies[i].Buttons = [][]Button{row}
		return
	}
}
