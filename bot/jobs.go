package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"dispatchbot/dispatch"
)

// ErrNoJob reports a job number the company does not have.
var ErrNoJob = errors.New("bot: no such job")

// StoredJob is a job as loaded, with the version that guards its next write.
type StoredJob struct {
	Job     dispatch.Job
	Version int64
}

// Jobs reads the stored jobs of a company and its technicians' duty status.
type Jobs interface {
	// Job returns job n of company; ErrNoJob when there is none.
	Job(ctx context.Context, company string, n int64) (StoredJob, error)
	// OpenJobs returns every job of company that is not finished, oldest first.
	OpenJobs(ctx context.Context, company string) ([]StoredJob, error)
	// TechJobs returns, for each technician named, the jobs offered or given
	// to them whose time (slot start, or when it was given for a job with no
	// slot) falls in [from, to), finished ones included, earliest first.
	TechJobs(ctx context.Context, company string, techs []string, from, to time.Time) (map[string][]StoredJob, error)
	// OffDuty returns the technicians of company who went off duty.
	OffDuty(ctx context.Context, company string) (map[string]bool, error)
	// History returns the jobs of company created in [from, to), oldest first.
	History(ctx context.Context, company string, from, to time.Time) ([]dispatch.Job, error)
}

// JobWrite replaces a stored job as part of a Change. It fails the whole
// Change with conversation.ErrConflict when the job moved on since Before
// was loaded.
type JobWrite struct {
	Before StoredJob
	After  dispatch.Job
}

// Holder returns the technician a job is with: the one assigned, or the
// one holding its unanswered offer; "" for nobody.
func Holder(j dispatch.Job) string {
	if j.Tech != "" {
		return j.Tech
	}
	if j.Status == dispatch.StatusOffered && len(j.Offers) > 0 {
		if o := j.Offers[len(j.Offers)-1]; o.Answer == "" {
			return o.Tech
		}
	}
	return ""
}

// JobTime is when a job happens for a technician's day: its slot start, or
// for a job with no slot (an emergency) when it was last offered or given.
func JobTime(j dispatch.Job) time.Time {
	if !j.SlotStart.IsZero() {
		return j.SlotStart
	}
	for i := len(j.Audit) - 1; i >= 0; i-- {
		if to := j.Audit[i].To; to == dispatch.StatusOffered || to == dispatch.StatusAssigned {
			return j.Audit[i].At
		}
	}
	return j.Created
}

// The kinds of Timer.
const (
	TimerMatch    = "match"    // find a technician for the job
	TimerExpire   = "expire"   // the offer numbered Arg runs out
	TimerRemind   = "remind"   // remind the customer; Arg is the slot start unix time and "e" (evening) or "h" (hour)
	TimerFeedback = "feedback" // ask the customer for feedback
	TimerMove     = "move"     // tell the customer the job must move; Arg says why
	TimerFree     = "free"     // give back the slot of a job the dispatcher cancelled
	TimerTakeover = "takeover" // a dispatcher now answers the customer; Arg names them
	TimerRelease  = "release"  // the bot answers the customer again
)

// Timer is a job's wake-up: it fires once at At across all instances.
type Timer struct {
	Kind string
	Job  int64
	Arg  string
	At   time.Time
}

// Member encodes the timer without its time: "kind:job:arg". Two timers
// with the same member are one timer.
func (t Timer) Member() string {
	return t.Kind + ":" + strconv.FormatInt(t.Job, 10) + ":" + t.Arg
}

// ParseTimer decodes a member made by Member.
func ParseTimer(member string) (Timer, bool) {
	kind, rest, ok := strings.Cut(member, ":")
	if !ok || kind == "" {
		return Timer{}, false
	}
	num, arg, ok := strings.Cut(rest, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || n <= 0 {
		return Timer{}, false
	}
	return Timer{Kind: kind, Job: n, Arg: arg}, true
}

// Timers hands out due job timers.
type Timers interface {
	// DueTimers leases up to limit timers of company due at now; a leased
	// timer is handed to no one else until lease passes.
	DueTimers(ctx context.Context, company string, now time.Time, lease time.Duration, limit int) ([]LeasedTimer, error)
	// FinishTimer removes a leased timer unless it was set again meanwhile.
	FinishTimer(ctx context.Context, company string, t LeasedTimer) error
}

// LeasedTimer is a due timer handed to one caller.
type LeasedTimer struct {
	Timer
	Lease int64 // identifies the lease; FinishTimer needs it
}

// ParseAddress reads an address written by Address.String.
func ParseAddress(s string) (Address, bool) {
	ch, id, ok := strings.Cut(s, ":")
	if !ok || id == "" {
		return Address{}, false
	}
	switch c := Channel(ch); c {
	case SMS, WhatsApp, Telegram, Sim:
		return Address{Channel: c, ID: id}, true
	}
	return Address{}, false
}
