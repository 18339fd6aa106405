package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// Transcripts reads the messages of a conversation.
type Transcripts interface {
	// Transcript returns the last n messages to and from who, oldest first.
	Transcript(ctx context.Context, company string, who Address, n int) ([]ChatLine, error)
}

// ConsoleOptions configures a Console. Companies, Store and Jobs are required.
type ConsoleOptions struct {
	Companies   []*config.Company
	Store       Store
	Jobs        Jobs
	Transcripts Transcripts // nil shows no transcripts
	Log         *slog.Logger
	Now         func() time.Time
}

// Console is the dispatcher's view and controls: what the board, the JSON
// API and chat commands read, and the overrides they make (assign, cancel,
// take over a conversation...). Every override is one atomic commit of the
// job, the texts it sends and its timers, and goes to the job's records
// with who made it.
type Console struct {
	o    ConsoleOptions
	byID map[string]*config.Company
}

// NewConsole returns a Console with defaults filled in.
func NewConsole(o ConsoleOptions) *Console {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &Console{o: o, byID: map[string]*config.Company{}}
	for _, co := range o.Companies {
		c.byID[co.ID] = co
	}
	return c
}

// ConsoleCompany names a company the console serves.
type ConsoleCompany struct {
	ID, Name string
}

// Companies lists the companies, in config order.
func (c *Console) Companies() []ConsoleCompany {
	out := make([]ConsoleCompany, len(c.o.Companies))
	for i, co := range c.o.Companies {
		out[i] = ConsoleCompany{ID: co.ID, Name: co.Name}
	}
	return out
}

func (c *Console) company(id string) (*config.Company, error) {
	co, ok := c.byID[id]
	if !ok {
		return nil, &ActionError{Kind: RefusedNotFound, Msg: fmt.Sprintf("No company %q.", id)}
	}
	return co, nil
}

// Board returns everything the live board shows of company now: open jobs
// and today's finished ones, the technicians and today's KPIs.
func (c *Console) Board(ctx context.Context, company string) (Board, error) {
	co, err := c.company(company)
	if err != nil {
		return Board{}, err
	}
	now := c.o.Now()
	open, err := c.o.Jobs.OpenJobs(ctx, co.ID)
	if err != nil {
		return Board{}, fmt.Errorf("console: board %s: %w", co.ID, err)
	}
	from := startOfDay(now, location(co))
	today, err := c.o.Jobs.History(ctx, co.ID, from, now.Add(time.Minute))
	if err != nil {
		return Board{}, fmt.Errorf("console: board %s: %w", co.ID, err)
	}
	b := Board{Company: co.ID, Name: co.Name, At: now}
	for _, sj := range open {
		b.Jobs = append(b.Jobs, boardJob(co, sj.Job, now))
	}
	for _, j := range today {
		if !j.Open() {
			b.Jobs = append(b.Jobs, boardJob(co, j, now))
		}
	}
	if b.Techs, err = c.technicians(ctx, co, now); err != nil {
		return Board{}, err
	}
	b.Stats = StatsReportOf(co, today, from, now)
	return b, nil
}

// Jobs lists the company's open jobs, oldest first, filtered by a status,
// an urgency or a technician (id or name); "" lists all.
func (c *Console) Jobs(ctx context.Context, company, filter string) ([]BoardJob, error) {
	co, err := c.company(company)
	if err != nil {
		return nil, err
	}
	keep, err := jobFilter(co, filter)
	if err != nil {
		return nil, err
	}
	open, err := c.o.Jobs.OpenJobs(ctx, co.ID)
	if err != nil {
		return nil, fmt.Errorf("console: jobs %s: %w", co.ID, err)
	}
	now := c.o.Now()
	out := []BoardJob{}
	for _, sj := range open {
		if keep(sj.Job) {
			out = append(out, boardJob(co, sj.Job, now))
		}
	}
	return out, nil
}

// Job returns one job, written "J-1042" or "1042", with the last messages
// of its customer's conversation.
func (c *Console) Job(ctx context.Context, company, id string) (BoardJobDetail, error) {
	co, err := c.company(company)
	if err != nil {
		return BoardJobDetail{}, err
	}
	sj, err := c.findJob(ctx, co, id)
	if err != nil {
		return BoardJobDetail{}, err
	}
	d := BoardJobDetail{BoardJob: boardJob(co, sj.Job, c.o.Now()), Transcript: []ChatLine{}}
	if who, ok := ParseAddress(sj.Job.Customer); ok && c.o.Transcripts != nil {
		lines, err := c.o.Transcripts.Transcript(ctx, co.ID, who, 50)
		if err != nil {
			return BoardJobDetail{}, fmt.Errorf("console: job %s: %w", sj.Job.ID, err)
		}
		d.Transcript = append(d.Transcript, lines...)
	}
	return d, nil
}

// Technicians lists the company's technicians with their duty status and
// today's jobs.
func (c *Console) Technicians(ctx context.Context, company string) ([]BoardTech, error) {
	co, err := c.company(company)
	if err != nil {
		return nil, err
	}
	return c.technicians(ctx, co, c.o.Now())
}

func (c *Console) technicians(ctx context.Context, co *config.Company, now time.Time) ([]BoardTech, error) {
	off, err := c.o.Jobs.OffDuty(ctx, co.ID)
	if err != nil {
		return nil, fmt.Errorf("console: technicians %s: %w", co.ID, err)
	}
	ids := make([]string, len(co.Technicians))
	for i, t := range co.Technicians {
		ids[i] = t.ID
	}
	from := startOfDay(now, location(co))
	byTech, err := c.o.Jobs.TechJobs(ctx, co.ID, ids, from, from.AddDate(0, 0, 1))
	if err != nil {
		return nil, fmt.Errorf("console: technicians %s: %w", co.ID, err)
	}
	local := now.In(location(co))
	out := make([]BoardTech, len(co.Technicians))
	for i, t := range co.Technicians {
		bt := BoardTech{ID: t.ID, Name: t.Name, Trades: t.Trades, Areas: t.Areas, OnDuty: !off[t.ID],
			Working: t.Hours.Open(local), OnCall: t.OnCall.Open(local), Today: []BoardJob{}}
		for _, sj := range byTech[t.ID] {
			if Holder(sj.Job) == t.ID || sj.Job.Tech == t.ID {
				bt.Today = append(bt.Today, boardJob(co, sj.Job, now))
			}
		}
		out[i] = bt
	}
	return out, nil
}

// Stats returns the company's KPIs for "today" or the last seven days
// ("week").
func (c *Console) Stats(ctx context.Context, company, period string) (StatsReport, error) {
	co, err := c.company(company)
	if err != nil {
		return StatsReport{}, err
	}
	now := c.o.Now()
	from := startOfDay(now, location(co))
	switch period {
	case "", "today":
	case "week":
		from = startOfDay(now.AddDate(0, 0, -6), location(co))
	default:
		return StatsReport{}, &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf("Unknown period %q: use today or week.", period)}
	}
	jobs, err := c.o.Jobs.History(ctx, co.ID, from, now.Add(time.Minute))
	if err != nil {
		return StatsReport{}, fmt.Errorf("console: stats %s: %w", co.ID, err)
	}
	return StatsReportOf(co, jobs, from, now), nil
}

// Act applies one override to company as dispatcher by (a name for the
// records), committing the job, its texts and timers together; a lost race
// is retried on fresh state. A refusal is an *ActionError.
func (c *Console) Act(ctx context.Context, company, by string, a Action) (ActionResult, error) {
	co, err := c.company(company)
	if err != nil {
		return ActionResult{}, err
	}
	actor := dispatch.Actor{Kind: dispatch.ActorDispatcher, ID: by}
	for i := range maxAttempts {
		now := c.o.Now()
		p, err := c.plan(ctx, co, actor, a, now)
		if err != nil {
			return ActionResult{}, err
		}
		err = c.o.Store.Commit(ctx, Change{Company: co.ID, Jobs: p.jobs, Outbox: p.out, Timers: p.timers, Duty: p.duty, At: now})
		if errors.Is(err, conversation.ErrConflict) {
			backOff(ctx, i)
			continue
		}
		if err != nil {
			return ActionResult{}, fmt.Errorf("console: %s: %w", a.Name, err)
		}
		c.o.Log.Info("dispatcher override", "company", co.ID, "action", a.Name, "job", a.Job, "tech", a.Tech, "by", by)
		return ActionResult{Message: p.msg, Job: p.job}, nil
	}
	return ActionResult{}, fmt.Errorf("console: %s: %w", a.Name, conversation.ErrConflict)
}

// boardJob dresses j for the board.
func boardJob(co *config.Company, j dispatch.Job, now time.Time) BoardJob {
	bj := BoardJob{Job: j, AgeMinutes: max(int(now.Sub(j.Created)/time.Minute), 0), HeldBy: j.Held}
	if t, ok := techByID(co, Holder(j)); ok {
		bj.TechName = t.Name
	}
	return bj
}

// jobFilter returns the test for a /jobs filter word.
func jobFilter(co *config.Company, filter string) (func(dispatch.Job) bool, error) {
	f := strings.ToLower(strings.TrimSpace(filter))
	switch f {
	case "", "all", "open":
		return func(dispatch.Job) bool { return true }, nil
	case "emergency", "urgent", "routine":
		return func(j dispatch.Job) bool { return j.Urgency == f }, nil
	case "unassigned":
		return func(j dispatch.Job) bool { return j.Tech == "" }, nil
	}
	status := strings.ReplaceAll(strings.ReplaceAll(f, " ", "_"), "-", "_")
	if slices.Contains(openStatuses, status) {
		return func(j dispatch.Job) bool { return j.Status == status }, nil
	}
	if t, err := findTech(co, f); err == nil {
		return func(j dispatch.Job) bool { return Holder(j) == t.ID }, nil
	}
	return nil, &ActionError{Kind: RefusedBad, Msg: fmt.Sprintf(
		"Unknown filter %q: use a status (%s), an urgency (emergency, urgent, routine), unassigned, or a technician.",
		filter, strings.Join(openStatuses, ", "))}
}

// openStatuses are the statuses of jobs still open.
var openStatuses = []string{dispatch.StatusNew, dispatch.StatusOffered, dispatch.StatusAssigned,
	dispatch.StatusEnRoute, dispatch.StatusOnSite, dispatch.StatusNeedsReschedule}

// startOfDay is local midnight of t's day in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}
