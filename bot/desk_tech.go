package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// techLookBack and techLookAhead bound the jobs a technician's text can
// refer to without naming one.
const (
	techLookBack  = 2 * 24 * time.Hour
	techLookAhead = 90 * 24 * time.Hour
)

// Handle answers a technician's text: an answer to an offer, a status
// update, a request for their day, or going on or off duty.
func (d *Desk) Handle(ctx context.Context, t Turn) (Step, error) {
	s := t.Session
	if t.Event != Message {
		return Step{Session: s}, nil
	}
	s = counted(s, t.Now)
	tech, ok := techByID(t.Company, t.TechID)
	if !ok {
		return Step{}, fmt.Errorf("desk: %s is not a technician of %s", t.In.From.Masked(), t.Company.ID)
	}
	tc := &techTurn{d: d, co: t.Company, tech: tech, in: t.In, now: t.Now, step: Step{Session: s}}
	if err := tc.run(ctx, ParseTechReply(t.In.Text)); err != nil {
		return Step{}, err
	}
	return tc.step, nil
}

// techTurn is one technician text being answered.
type techTurn struct {
	d    *Desk
	co   *config.Company
	tech config.Technician
	in   Inbound
	now  time.Time
	step Step
	p    plan
}

func (tc *techTurn) reply(text string) {
	tc.step.Replies = append(tc.step.Replies, Reply(tc.in, text))
}

func (tc *techTurn) toCustomer(j dispatch.Job, text string) {
	if who, ok := ParseAddress(j.Customer); ok {
		tc.p.out = append(tc.p.out, Outbound{Company: tc.co.ID, To: who, Text: text})
	}
}

func (tc *techTurn) run(ctx context.Context, cmd TechCommand) error {
	var err error
	switch cmd.Kind {
	case TechAccept, TechDecline:
		err = tc.answer(ctx, cmd)
	case TechOnMyWay, TechArrived, TechDone, TechRunningLate, TechCantMake:
		err = tc.status(ctx, cmd)
	case TechToday:
		err = tc.today(ctx)
	case TechOffDuty, TechOnDuty:
		on := cmd.Kind == TechOnDuty
		tc.step.Duty = map[string]bool{tc.tech.ID: on}
		if on {
			tc.reply("You're on duty: new offers will come here.")
		} else {
			tc.reply("You're off duty: no new offers until you text ON. Jobs you already have stay with you.")
		}
	default:
		tc.reply(techHelp)
	}
	if err != nil {
		return err
	}
	tc.step.Replies = append(tc.step.Replies, tc.p.out...)
	tc.step.Jobs, tc.step.Timers = tc.p.jobs, tc.p.timers
	return nil
}

// mine returns the technician's jobs around now, earliest first.
func (tc *techTurn) mine(ctx context.Context) ([]StoredJob, error) {
	by, err := tc.d.o.Jobs.TechJobs(ctx, tc.co.ID, []string{tc.tech.ID}, tc.now.Add(-techLookBack), tc.now.Add(techLookAhead))
	if err != nil {
		return nil, fmt.Errorf("desk: jobs of %s: %w", tc.tech.ID, err)
	}
	return by[tc.tech.ID], nil
}

// named loads job n when it is the technician's, or says it is not.
func (tc *techTurn) named(ctx context.Context, n int64) (StoredJob, bool, error) {
	sj, err := tc.d.o.Jobs.Job(ctx, tc.co.ID, n)
	if errors.Is(err, ErrNoJob) {
		tc.reply("There is no job " + dispatch.JobID(n) + ".")
		return StoredJob{}, false, nil
	}
	if err != nil {
		return StoredJob{}, false, fmt.Errorf("desk: %w", err)
	}
	return sj, true, nil
}

// answer handles YES and NO to an offer.
func (tc *techTurn) answer(ctx context.Context, cmd TechCommand) error {
	var sj StoredJob
	if cmd.Job != 0 {
		var ok bool
		var err error
		if sj, ok, err = tc.named(ctx, cmd.Job); err != nil || !ok {
			return err
		}
	} else {
		jobs, err := tc.mine(ctx)
		if err != nil {
			return err
		}
		var pending []StoredJob
		for _, j := range jobs {
			if o, ok := j.Job.PendingOffer(tc.now); ok && o.Tech == tc.tech.ID {
				pending = append(pending, j)
			}
		}
		switch len(pending) {
		case 0:
			tc.reply("You have no job offer waiting for an answer.")
			return nil
		case 1:
			sj = pending[0]
		default:
			ids := make([]string, len(pending))
			for i, j := range pending {
				ids[i] = j.Job.ID
			}
			tc.reply("You have offers of " + joinAnd(ids) + ". Reply YES or NO with the job number, e.g. YES " +
				fmt.Sprint(pending[0].Job.Number) + ".")
			return nil
		}
	}
	answer := dispatch.AnswerYes
	if cmd.Kind == TechDecline {
		answer = dispatch.AnswerNo
	}
	j, err := dispatch.Answer(sj.Job, tc.tech.ID, answer, tc.now)
	if errors.Is(err, dispatch.ErrOfferClosed) {
		switch {
		case sj.Job.Tech == tc.tech.ID && answer == dispatch.AnswerYes:
			tc.reply(sj.Job.ID + " is already yours.")
		case answer == dispatch.AnswerYes && lateYes(sj.Job, tc.tech.ID):
			return tc.takeLate(ctx, sj)
		default:
			tc.reply(sj.Job.ID + " is no longer on offer to you: it ran out or went to someone else.")
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("desk: answer %s: %w", sj.Job.ID, err)
	}
	if answer == dispatch.AnswerNo {
		tc.reply("OK, " + j.ID + " will go to someone else.")
		if j, err = tc.d.match(ctx, tc.co, j, tc.now, &tc.p); err != nil {
			return fmt.Errorf("desk: rematch %s: %w", j.ID, err)
		}
		tc.p.write(sj, j)
		return nil
	}
	return tc.accepted(ctx, sj, j, j.Offers[len(j.Offers)-1].Bump)
}

// lateYes reports whether tech may still take j after their offer ran out:
// nobody has it yet, and tech let an offer of it lapse and never said no.
func lateYes(j dispatch.Job, tech string) bool {
	if j.Status != dispatch.StatusNew && j.Status != dispatch.StatusOffered {
		return false
	}
	lapsed := false
	for _, o := range j.Offers {
		if o.Tech == tech {
			if o.Answer == dispatch.AnswerNo {
				return false
			}
			lapsed = lapsed || o.Answer == dispatch.AnswerExpired || o.Answer == ""
		}
	}
	return lapsed
}

// takeLate gives the job to a technician whose YES came after their offer
// ran out, while nobody else had taken it: the first accept still wins, and
// whoever holds the open offer is told it is gone.
func (tc *techTurn) takeLate(ctx context.Context, sj StoredJob) error {
	var bump int64
	for _, o := range sj.Job.Offers {
		if o.Tech == tc.tech.ID {
			bump = o.Bump
		}
	}
	other := Holder(sj.Job)
	j, err := dispatch.Assign(sj.Job, tc.tech.ID, dispatch.Actor{Kind: dispatch.ActorSystem},
		tc.tech.ID+" accepted after the offer ran out", tc.now)
	if err != nil {
		return fmt.Errorf("desk: late accept %s: %w", sj.Job.ID, err)
	}
	if other != "" && other != tc.tech.ID {
		if a, ok := techAddress(tc.co, other); ok {
			tc.p.out = append(tc.p.out, Outbound{Company: tc.co.ID, To: a, Text: j.ID + " has been taken by someone else; no need to answer."})
		}
	}
	return tc.accepted(ctx, sj, j, bump)
}

// accepted records j, now the technician's, and tells them and the
// customer; bump is their routine job that must move for it, or 0.
func (tc *techTurn) accepted(ctx context.Context, sj StoredJob, j dispatch.Job, bump int64) error {
	tc.p.write(sj, j)
	tc.reply(acceptedText(tc.co, j))
	tc.toCustomer(j, confirmText(tc.co, j, tc.tech))
	tc.p.timers = append(tc.p.timers, reminderTimers(tc.co, j, tc.now)...)
	if bump == 0 {
		return nil
	}
	b, err := tc.d.o.Jobs.Job(ctx, tc.co.ID, bump)
	if errors.Is(err, ErrNoJob) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("desk: bumped job: %w", err)
	}
	if b.Job.Tech != tc.tech.ID || b.Job.Status != dispatch.StatusAssigned {
		return nil // it started, moved or finished meanwhile
	}
	moved, err := dispatch.Transition(b.Job, dispatch.StatusNeedsReschedule,
		dispatch.Actor{Kind: dispatch.ActorSystem}, "technician sent to emergency "+j.ID, tc.now)
	if err != nil {
		return fmt.Errorf("desk: bump %s: %w", b.Job.ID, err)
	}
	tc.p.write(b, moved)
	tc.p.timers = append(tc.p.timers, Timer{Kind: TimerMove, Job: moved.Number, Arg: "your technician was called to an emergency", At: tc.now})
	tc.p.out = append(tc.p.out, routine(Alerts(tc.co, bumpedAlert(tc.co, j, b.Job, tc.tech.ID), Address{}))...)
	tc.reply(b.Job.ID + " (" + when(tc.co, b.Job) + ") is off your list; its customer is being offered a new time.")
	return nil
}

// status handles on my way, arrived, done, running late and can't make it.
func (tc *techTurn) status(ctx context.Context, cmd TechCommand) error {
	sj, ok, err := tc.current(ctx, cmd)
	if err != nil || !ok {
		return err
	}
	j := sj.Job
	me := dispatch.Actor{Kind: dispatch.ActorTechnician, ID: tc.tech.ID}
	first := firstName(tc.tech.Name)
	// along walks j forward through the statuses up to to, so "done" after
	// no "on my way" still leaves a complete audit trail.
	along := func(to string, why string) error {
		path := []string{dispatch.StatusEnRoute, dispatch.StatusOnSite, dispatch.StatusDone}
		from, end := slices.Index(path, j.Status), slices.Index(path, to)
		if from >= end {
			return fmt.Errorf("%w: %s is already %s", dispatch.ErrBadTransition, j.ID, j.Status)
		}
		for _, st := range path[from+1 : end+1] {
			if j, err = dispatch.Transition(j, st, me, why, tc.now); err != nil {
				return err
			}
		}
		return nil
	}
	switch cmd.Kind {
	case TechOnMyWay:
		if j.Status == dispatch.StatusAssigned {
			if err := along(dispatch.StatusEnRoute, "on my way"); err != nil {
				return tc.refuse(sj.Job, err)
			}
		}
		eta := etaMinutes(cmd.Minutes, tc.tech, j)
		tc.toCustomer(j, fmt.Sprintf("%s is on the way for job %s and should be with you in about %d minutes.", first, j.ID, eta))
		tc.reply(fmt.Sprintf("Thanks. %s has been told you'll be there in about %d minutes.", customerName(j), eta) + addressLine(j))
	case TechArrived:
		if err := along(dispatch.StatusOnSite, "arrived"); err != nil {
			return tc.refuse(sj.Job, err)
		}
		tc.toCustomer(j, first+" has arrived for job "+j.ID+".")
		tc.reply("Marked on site at " + j.ID + ". Text DONE when finished.")
	case TechDone:
		if err := along(dispatch.StatusDone, "done"); err != nil {
			return tc.refuse(sj.Job, err)
		}
		j.Note = cmd.Note
		tc.toCustomer(j, "Job "+j.ID+" is complete. Thank you for choosing "+tc.co.Name+".")
		tc.p.timers = append(tc.p.timers, Timer{Kind: TimerFeedback, Job: j.Number, At: tc.now.Add(tc.co.Dispatch.FeedbackAfter)})
		tc.reply("Marked " + j.ID + " done. Thanks!")
	case TechRunningLate:
		if j.Status != dispatch.StatusAssigned && j.Status != dispatch.StatusEnRoute {
			tc.reply(j.ID + " is " + statusWords(j.Status) + ", so there is nobody to tell.")
			return nil
		}
		mins := cmd.Minutes
		if mins <= 0 {
			mins = 15
		}
		j.Late = time.Duration(mins) * time.Minute
		j.Audit = append(j.Audit[:len(j.Audit):len(j.Audit)], dispatch.AuditEntry{At: tc.now, By: me,
			From: j.Status, To: j.Status, Why: fmt.Sprintf("running %d minutes late", mins)})
		tc.toCustomer(j, fmt.Sprintf("%s is running about %d minutes late for job %s. Sorry for the wait.", first, mins, j.ID))
		tc.reply(fmt.Sprintf("Thanks, %s has been told you're about %d minutes late.", customerName(j), mins))
	case TechCantMake:
		why := "can't make it"
		if cmd.Note != "" {
			why += ": " + cmd.Note
		}
		if j, err = dispatch.Transition(j, dispatch.StatusNew, me, why, tc.now); err != nil {
			return tc.refuse(sj.Job, err)
		}
		if j, err = tc.d.match(ctx, tc.co, j, tc.now, &tc.p); err != nil {
			return fmt.Errorf("desk: rematch %s: %w", j.ID, err)
		}
		next := "nobody else is free, so it needs assigning by hand"
		if h := Holder(j); h != "" {
			next = "it has been offered to " + h
		}
		tc.p.out = append(tc.p.out, Alerts(tc.co, fmt.Sprintf("%s can't make %s (%s); %s.", tc.tech.Name, j.ID, cmdNote(cmd.Note), next), Address{})...)
		tc.reply("OK, " + j.ID + " is off your list and the dispatcher has been told.")
	}
	tc.p.write(sj, j)
	return nil
}

// refuse answers a status the job's state does not allow.
func (tc *techTurn) refuse(j dispatch.Job, err error) error {
	if errors.Is(err, dispatch.ErrBadTransition) {
		tc.reply(j.ID + " is " + statusWords(j.Status) + ", so that can't be done now.")
		return nil
	}
	return fmt.Errorf("desk: %s: %w", j.ID, err)
}

// current finds the job a status text is about: the one named, else the one
// under way, else the technician's next assigned job.
func (tc *techTurn) current(ctx context.Context, cmd TechCommand) (StoredJob, bool, error) {
	if cmd.Job != 0 {
		sj, ok, err := tc.named(ctx, cmd.Job)
		if ok && sj.Job.Tech != tc.tech.ID {
			tc.reply(sj.Job.ID + " is not one of your jobs.")
			return StoredJob{}, false, nil
		}
		return sj, ok, err
	}
	jobs, err := tc.mine(ctx)
	if err != nil {
		return StoredJob{}, false, err
	}
	for _, want := range []string{dispatch.StatusOnSite, dispatch.StatusEnRoute, dispatch.StatusAssigned} {
		for _, sj := range jobs {
			if sj.Job.Status == want && sj.Job.Tech == tc.tech.ID {
				return sj, true, nil
			}
		}
	}
	tc.reply("You have no job to update. Text TODAY to see your jobs.")
	return StoredJob{}, false, nil
}

// today lists the technician's open jobs today in the order that cuts driving.
func (tc *techTurn) today(ctx context.Context) error {
	loc := location(tc.co)
	l := tc.now.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	by, err := tc.d.o.Jobs.TechJobs(ctx, tc.co.ID, []string{tc.tech.ID}, from, from.AddDate(0, 0, 1))
	if err != nil {
		return fmt.Errorf("desk: today of %s: %w", tc.tech.ID, err)
	}
	var jobs []dispatch.Job
	for _, sj := range by[tc.tech.ID] {
		if sj.Job.Open() && sj.Job.Tech == tc.tech.ID {
			jobs = append(jobs, sj.Job)
		}
	}
	tc.reply(todayText(tc.co, tc.tech, jobs, tc.now))
	return nil
}
