package dispatch

import (
	"errors"
	"fmt"
	"time"
)

// The statuses of a job after StatusNew. A job goes new → offered →
// assigned → en_route → on_site → done; it may also end cancelled or
// no_show, or wait in needs_reschedule for a new slot.
const (
	StatusOffered         = "offered"          // offered to one technician, waiting for the answer
	StatusAssigned        = "assigned"         // a technician took it
	StatusEnRoute         = "en_route"         // the technician is on the way
	StatusOnSite          = "on_site"          // the technician arrived
	StatusDone            = "done"             // the work is finished
	StatusCancelled       = "cancelled"        // called off
	StatusNoShow          = "no_show"          // nobody was there to let the technician in
	StatusNeedsReschedule = "needs_reschedule" // its slot must move, e.g. after an emergency took its technician
)

// Statuses lists every job status in lifecycle order.
var Statuses = []string{
	StatusNew, StatusOffered, StatusAssigned, StatusEnRoute, StatusOnSite, StatusDone,
	StatusCancelled, StatusNoShow, StatusNeedsReschedule,
}

// The kinds of Actor.
const (
	ActorCustomer   = "customer"
	ActorTechnician = "technician"
	ActorDispatcher = "dispatcher"
	ActorSystem     = "system" // timers and automatic matching
)

// The answers an Offer can hold; an offer still waiting has none ("").
const (
	AnswerYes     = "yes"
	AnswerNo      = "no"
	AnswerExpired = "expired" // no answer in time, or withdrawn
)

// ErrBadTransition reports a status change the lifecycle does not allow, or
// one the actor may not make.
var ErrBadTransition = errors.New("dispatch: bad transition")

// ErrOfferClosed reports an answer to an offer that is not open to the one
// answering: it expired, was answered already, or went to someone else.
var ErrOfferClosed = errors.New("dispatch: offer closed")

// ErrOfferPending reports a new offer of a job whose previous offer is still
// waiting for its answer.
var ErrOfferPending = errors.New("dispatch: offer pending")

// MaxOffers is how many times one job may be offered to one technician who
// lets the offers run out; a second offer catches one who was driving.
const MaxOffers = 2

// ErrOffered reports a new offer to a technician who already declined the
// job or let an offer of it expire.
var ErrOffered = errors.New("dispatch: already offered")

// Actor is who made a change to a job.
type Actor struct {
	Kind string `json:"kind"`         // ActorCustomer, ActorTechnician, ActorDispatcher or ActorSystem
	ID   string `json:"id,omitempty"` // the technician's id, the dispatcher's or customer's address
}

// Offer is one offer of a job to a technician.
type Offer struct {
	Tech    string    `json:"tech"`
	At      time.Time `json:"at"`
	Expires time.Time `json:"exp"`
	Answer  string    `json:"ans,omitempty"`  // "", AnswerYes, AnswerNo or AnswerExpired
	Bump    int64     `json:"bump,omitempty"` // the technician's routine job that moves if they accept (pre-emption)
}

// AuditEntry records one status change of a job: who, when and why.
type AuditEntry struct {
	At   time.Time `json:"at"`
	By   Actor     `json:"by"`
	From string    `json:"from"`
	To   string    `json:"to"`
	Why  string    `json:"why,omitempty"`
}

// transitions maps from → to → the kinds of actor who may make the move
// through Transition. Offers move jobs to offered through OfferJob, and
// Assign gives a job to a technician the dispatcher chose; done, cancelled
// and no_show are final.
var transitions = map[string]map[string][]string{
	StatusNew: {
		StatusCancelled:       {ActorCustomer, ActorDispatcher},
		StatusNeedsReschedule: {ActorCustomer, ActorDispatcher},
	},
	StatusOffered: {
		StatusAssigned:        {ActorTechnician, ActorDispatcher, ActorSystem},
		StatusNew:             {ActorTechnician, ActorDispatcher, ActorSystem},
		StatusCancelled:       {ActorCustomer, ActorDispatcher},
		StatusNeedsReschedule: {ActorCustomer, ActorDispatcher},
	},
	StatusAssigned: {
		StatusEnRoute:         {ActorTechnician, ActorDispatcher},
		StatusNew:             {ActorTechnician, ActorDispatcher},
		StatusCancelled:       {ActorCustomer, ActorDispatcher},
		StatusNeedsReschedule: {ActorCustomer, ActorDispatcher, ActorSystem},
	},
	StatusEnRoute: {
		StatusOnSite:          {ActorTechnician, ActorDispatcher},
		StatusNew:             {ActorTechnician, ActorDispatcher},
		StatusCancelled:       {ActorCustomer, ActorDispatcher},
		StatusNoShow:          {ActorTechnician, ActorDispatcher},
		StatusNeedsReschedule: {ActorCustomer, ActorDispatcher, ActorSystem},
	},
	StatusOnSite: {
		StatusDone:            {ActorTechnician, ActorDispatcher},
		StatusCancelled:       {ActorDispatcher},
		StatusNoShow:          {ActorTechnician, ActorDispatcher},
		StatusNeedsReschedule: {ActorTechnician, ActorDispatcher},
	},
	StatusNeedsReschedule: {
		StatusNew:       {ActorCustomer, ActorDispatcher, ActorSystem},
		StatusCancelled: {ActorCustomer, ActorDispatcher, ActorSystem},
	},
}

// Allowed reports whether an actor of kind may move a job from status from
// to status to through Transition.
func Allowed(from, to, kind string) bool {
	for _, k := range transitions[from][to] {
		if k == kind {
			return true
		}
	}
	return false
}

// Open reports whether j still has work ahead: it is not done, cancelled
// or a no-show.
func (j Job) Open() bool {
	switch j.Status {
	case StatusDone, StatusCancelled, StatusNoShow:
		return false
	}
	return true
}

// PendingOffer returns the offer of j that waits for an answer at now: the
// latest one, unanswered and not yet expired.
func (j Job) PendingOffer(now time.Time) (Offer, bool) {
	if i := j.pending(now); i >= 0 {
		return j.Offers[i], true
	}
	return Offer{}, false
}

// pending returns the index of the pending offer at now, or -1.
func (j Job) pending(now time.Time) int {
	if j.Status != StatusOffered || len(j.Offers) == 0 {
		return -1
	}
	i := len(j.Offers) - 1
	if o := j.Offers[i]; o.Answer != "" || !now.Before(o.Expires) {
		return -1
	}
	return i
}

// unanswered returns the index of the latest offer without an answer,
// expired or not, or -1.
func (j Job) unanswered() int {
	if i := len(j.Offers) - 1; i >= 0 && j.Offers[i].Answer == "" {
		return i
	}
	return -1
}

// Transition moves j to status to on behalf of by, for reason why, at time
// at, and appends the change to j.Audit. It returns a wrapped
// ErrBadTransition when the table of transitions does not allow the move
// for by.Kind, or when a technician moves a job that is not theirs.
//
// Going to assigned accepts the pending offer: a technician's own (a
// wrapped ErrOfferClosed when they hold none), or, by the dispatcher or the
// system, whoever holds it. Leaving offered for any other status closes the
// pending offer: a technician's as declined, anyone else's as expired.
// Going back to new or to needs_reschedule clears the technician. On error
// j is returned unchanged.
func Transition(j Job, to string, by Actor, why string, at time.Time) (Job, error) {
	if !Allowed(j.Status, to, by.Kind) {
		return j, badTransition(j, to, by)
	}
	if j.Status == StatusOffered {
		if by.Kind == ActorTechnician {
			answer := AnswerNo // the table lets a technician go only to assigned or new
			if to == StatusAssigned {
				answer = AnswerYes
			}
			return answerOffer(j, by.ID, answer, why, at)
		}
		i := j.unanswered()
		if to == StatusAssigned {
			if i < 0 || !at.Before(j.Offers[i].Expires) {
				return j, fmt.Errorf("%w: job %s has no open offer to accept", ErrOfferClosed, j.ID)
			}
			j = closeOffer(j, i, AnswerYes)
			j.Tech = j.Offers[i].Tech
		} else if i >= 0 {
			j = closeOffer(j, i, AnswerExpired)
		}
	} else if by.Kind == ActorTechnician && (j.Tech == "" || j.Tech != by.ID) {
		return j, fmt.Errorf("%w: job %s is not assigned to %s", ErrBadTransition, j.ID, by.ID)
	}
	return move(j, to, by, why, at), nil
}

// Assign gives j to technician tech, on behalf of by, a dispatcher or the
// system, and appends the change to j.Audit. It works from new, offered
// (closing the pending offer; an offer to tech counts as accepted),
// needs_reschedule and assigned (a reassignment). Other statuses, other
// actors, an empty tech or the technician j already has give a wrapped
// ErrBadTransition. On error j is returned unchanged.
func Assign(j Job, tech string, by Actor, why string, at time.Time) (Job, error) {
	switch {
	case by.Kind != ActorDispatcher && by.Kind != ActorSystem:
		return j, badTransition(j, StatusAssigned, by)
	case tech == "":
		return j, fmt.Errorf("%w: job %s: no technician to assign", ErrBadTransition, j.ID)
	case j.Status == StatusAssigned && j.Tech == tech:
		return j, fmt.Errorf("%w: job %s is already assigned to %s", ErrBadTransition, j.ID, tech)
	}
	switch j.Status {
	case StatusNew, StatusNeedsReschedule, StatusAssigned:
	case StatusOffered:
		if i := j.unanswered(); i >= 0 {
			answer := AnswerExpired
			if j.Offers[i].Tech == tech {
				answer = AnswerYes
			}
			j = closeOffer(j, i, answer)
		}
	default:
		return j, badTransition(j, StatusAssigned, by)
	}
	if j.Status == StatusAssigned {
		j.Late = 0
	}
	j.Tech = tech
	return move(j, StatusAssigned, by, why, at), nil
}

// OfferJob offers j to technician tech at time at until expires. The job
// must be new, offered or needs_reschedule, with no offer still pending at
// at (a wrapped ErrOfferPending); an unanswered offer past its expiry is
// first marked expired. A technician who declined j is never offered it
// again, nor one who already let MaxOffers offers of it run out (a wrapped
// ErrOffered). On error j is returned unchanged.
func OfferJob(j Job, tech string, at, expires time.Time) (Job, error) {
	switch {
	case tech == "":
		return j, fmt.Errorf("%w: job %s: no technician to offer it to", ErrBadTransition, j.ID)
	case !expires.After(at):
		return j, fmt.Errorf("%w: job %s: offer to %s expires at %s, not after %s",
			ErrBadTransition, j.ID, tech, expires.Format(time.RFC3339), at.Format(time.RFC3339))
	case j.Status != StatusNew && j.Status != StatusOffered && j.Status != StatusNeedsReschedule:
		return j, badTransition(j, StatusOffered, Actor{Kind: ActorSystem})
	}
	if o, ok := j.PendingOffer(at); ok {
		return j, fmt.Errorf("%w: job %s waits for %s until %s", ErrOfferPending, j.ID, o.Tech, o.Expires.Format(time.RFC3339))
	}
	lapsed := 0
	for _, o := range j.Offers {
		if o.Tech != tech {
			continue
		}
		if o.Answer == AnswerNo {
			return j, fmt.Errorf("%w: job %s to %s, who declined it", ErrOffered, j.ID, tech)
		}
		if o.Answer == AnswerExpired || !at.Before(o.Expires) {
			lapsed++
		}
	}
	if lapsed >= MaxOffers {
		return j, fmt.Errorf("%w: job %s to %s %d times", ErrOffered, j.ID, tech, lapsed)
	}
	j, _ = ExpireOffer(j, at)
	j.Offers = append(j.Offers[:len(j.Offers):len(j.Offers)], Offer{Tech: tech, At: at, Expires: expires})
	j.Tech = ""
	return move(j, StatusOffered, Actor{Kind: ActorSystem}, "offered to "+tech, at), nil
}

// Answer records technician tech's answer, AnswerYes or AnswerNo, to the
// offer of j at time at. Only the technician holding the pending offer may
// answer it, and only before it expires: any other answer gives a wrapped
// ErrOfferClosed, so of two technicians saying yes the first wins. A yes
// assigns j to tech; a no puts j back to new. On error j is returned
// unchanged.
func Answer(j Job, tech, answer string, at time.Time) (Job, error) {
	why := "accepted"
	if answer == AnswerNo {
		why = "declined"
	}
	return answerOffer(j, tech, answer, why, at)
}

func answerOffer(j Job, tech, answer, why string, at time.Time) (Job, error) {
	if answer != AnswerYes && answer != AnswerNo {
		return j, fmt.Errorf("dispatch: answer %q to job %s: want %q or %q", answer, j.ID, AnswerYes, AnswerNo)
	}
	i := j.pending(at)
	if i < 0 || j.Offers[i].Tech != tech {
		return j, fmt.Errorf("%w: job %s is not on offer to %s", ErrOfferClosed, j.ID, tech)
	}
	j = closeOffer(j, i, answer)
	by := Actor{Kind: ActorTechnician, ID: tech}
	if answer == AnswerNo {
		return move(j, StatusNew, by, why, at), nil
	}
	j.Tech = tech
	return move(j, StatusAssigned, by, why, at), nil
}

// ExpireOffer marks the unanswered offer of j expired when its time has
// passed at at, and puts j back to new; ok reports whether it did. The
// timer that fires at an offer's expiry calls it.
func ExpireOffer(j Job, at time.Time) (Job, bool) {
	i := j.unanswered()
	if j.Status != StatusOffered || i < 0 || at.Before(j.Offers[i].Expires) {
		return j, false
	}
	j = closeOffer(j, i, AnswerExpired)
	return move(j, StatusNew, Actor{Kind: ActorSystem}, "offer to "+j.Offers[i].Tech+" expired", at), true
}

// closeOffer returns j with offer i answered, without touching the caller's
// slice.
func closeOffer(j Job, i int, answer string) Job {
	j.Offers = append([]Offer(nil), j.Offers...)
	j.Offers[i].Answer = answer
	return j
}

// move sets j's status and appends the audit entry, without touching the
// caller's slice. Going back to matching clears the technician.
func move(j Job, to string, by Actor, why string, at time.Time) Job {
	entry := AuditEntry{At: at, By: by, From: j.Status, To: to, Why: why}
	j.Audit = append(j.Audit[:len(j.Audit):len(j.Audit)], entry)
	j.Status = to
	switch to {
	case StatusNew, StatusOffered, StatusNeedsReschedule:
		j.Tech = ""
		j.Late = 0
	}
	return j
}

func badTransition(j Job, to string, by Actor) error {
	if by.Kind == "" {
		by.Kind = "nobody"
	}
	return fmt.Errorf("%w: job %s cannot go from %s to %s by %s", ErrBadTransition, j.ID, j.Status, to, by.Kind)
}
