package conversation

import (
	"strings"
	"time"
)

// InputKind says what happened to a conversation.
type InputKind int

// The kinds of input Step takes.
const (
	Text          InputKind = iota // the customer sent a message
	Tick                           // a wake-up the session asked for is due
	HandBack                       // the dispatcher handed the conversation back to the bot
	SlotsFound                     // the answer to FindSlots; Input.Slots holds them
	JobBooked                      // the answer to Book; Input.Job names the job
	SlotTaken                      // the chosen slot went meanwhile; Input.Slots are fresh ones
	BookingFailed                  // the job could not be created
	JobCancelled                   // the answer to CancelJob: the job is cancelled
	CancelFailed                   // the job could not be cancelled
	FeedbackDue                    // Input.Job is done: ask the customer for feedback
	MustMove                       // the company must move Input.Job, the customer's booked job; Input.Text says why
	JobMoved                       // the answer to Reschedule: the job now has Session.Request.Slot
	MoveFailed                     // the job could not be moved
	TakenOver                      // a dispatcher answers the customer in person from now on; Input.Text names them
)

// Input is one thing that happened to a conversation.
type Input struct {
	Kind  InputKind
	Text  string
	Media []string // links to photos sent with the message
	Slots []Slot
	Job   string
}

// EffectKind says what the caller of Step must do.
type EffectKind int

// The kinds of effect Step returns.
const (
	Reply        EffectKind = iota // send Text to the customer
	Alert                          // send Text to the company's dispatchers now
	FindSlots                      // look up slots for the request; answer with SlotsFound
	Book                           // create the job for the request; answer with JobBooked, SlotTaken or BookingFailed
	Wake                           // call Step with a Tick at At (replaces any earlier wake-up)
	CancelJob                      // cancel the booked job, Session.LastJob; answer with JobCancelled or CancelFailed
	Reschedule                     // move job Effect.Job to Session.Request.Slot; answer with JobMoved, SlotTaken or MoveFailed
	SaveFeedback                   // store Effect.Score (1..5) and the comment Effect.Text on job Effect.Job; no answer
)

// Effect is one thing Step asks its caller to do, in order.
type Effect struct {
	Kind  EffectKind
	Text  string    // a Reply's or Alert's text; a SaveFeedback's comment
	At    time.Time // when a Wake is due
	Job   string    // the job a Reschedule or SaveFeedback is about
	Score int       // a SaveFeedback's score, 1 (worst) to 5 (best)
	// Routine marks an Alert that can wait for the board: dispatchers who
	// muted routine alerts are not texted it.
	Routine bool
}

// maxPhotos caps the photo links kept on one request.
const maxPhotos = 10

// Step applies one input to a session and returns the next session and the
// effects to carry out. It is pure: the same arguments give the same result.
func Step(s Session, in Input, c *Company, now time.Time) (Session, []Effect) {
	st := &stepper{s: Upgrade(s), c: c, now: now}
	switch in.Kind {
	case Text:
		st.text(in)
	case Tick:
		st.tick()
	case HandBack:
		st.handBack()
	case TakenOver:
		st.takenOver()
	case SlotsFound:
		if st.s.State == AwaitSlots {
			st.offer(in.Slots, "")
		}
	case SlotTaken:
		if st.s.State == AwaitBooking || st.s.State == AwaitMoving {
			st.s.Request.Slot = nil
			st.offer(in.Slots, "Sorry, that time has just been taken.")
		}
	case JobBooked:
		if st.s.State == AwaitBooking {
			st.booked(in.Job)
		}
	case BookingFailed:
		if st.s.State == AwaitBooking {
			st.handover("I couldn't complete the booking just now.", "booking failed")
		}
	case JobCancelled:
		if st.s.State == AwaitCancelling {
			job := st.s.LastJob
			st.s.Request, st.s.Offered, st.s.LastJob = Request{}, nil, ""
			st.settle(Closed)
			st.reply("Job " + job + " is cancelled. Text us any time if you need us again.")
		}
	case CancelFailed:
		if st.s.State == AwaitCancelling {
			st.s.State = Booked
			st.handover("I couldn't cancel that just now.", "cancellation of "+st.s.LastJob+" failed")
		}
	case JobMoved:
		if st.s.State == AwaitMoving {
			st.moved()
		}
	case MoveFailed:
		if st.s.State == AwaitMoving {
			st.moveFailed()
		}
	case MustMove:
		st.mustMove(in.Job, in.Text)
	case FeedbackDue:
		st.feedbackDue(in.Job)
	}
	return st.s, st.out
}

// stepper carries one Step's session and collected effects.
type stepper struct {
	s   Session
	c   *Company
	now time.Time
	out []Effect
}

func (st *stepper) reply(text string) { st.out = append(st.out, Effect{Kind: Reply, Text: text}) }
func (st *stepper) alert(text string) { st.out = append(st.out, Effect{Kind: Alert, Text: text}) }

// routineAlert tells the dispatchers something that can wait.
func (st *stepper) routineAlert(text string) {
	st.out = append(st.out, Effect{Kind: Alert, Text: text, Routine: true})
}

// ask moves to a waiting state, sends the question and sets the timers.
func (st *stepper) ask(state State, prefix, question string) {
	st.s.State, st.s.Asked, st.s.Strikes, st.s.Nudged = state, question, 0, false
	st.s.NudgeAt = st.now.Add(st.c.nudgeAfter())
	st.s.ExpireAt = st.now.Add(st.c.expireAfter())
	st.out = append(st.out, Effect{Kind: Wake, At: st.s.NudgeAt})
	st.reply(join(prefix, question))
}

// settle leaves the waiting states: no question is pending and no timer runs.
func (st *stepper) settle(state State) {
	st.s.State, st.s.Asked, st.s.Strikes = state, "", 0
	st.s.NudgeAt, st.s.ExpireAt, st.s.Nudged = time.Time{}, time.Time{}, false
}

// text handles a message from the customer.
func (st *stepper) text(in Input) {
	s := &st.s
	if s.Started.IsZero() {
		s.Started = st.now
	}
	s.Updated = st.now
	s.Messages++
	if n := maxPhotos - len(s.Request.Photos); n > 0 {
		s.Request.Photos = append(s.Request.Photos, in.Media[:min(n, len(in.Media))]...)
	}
	text := strings.TrimSpace(in.Text)
	if s.State == HandedOver {
		st.alert("Customer wrote: " + quote(text, 300))
		return
	}
	intent := DetectIntent(text)
	if s.State == AwaitFeedback && (intent == IntentHuman || intent == IntentStartOver || intent == IntentPrice) {
		st.endFeedback() // the customer moved on; the feedback question lapses
	}
	switch intent {
	case IntentHuman:
		st.handover("", "customer asked for a person")
		return
	case IntentCancel:
		if s.Moving && (s.State == AwaitSlot || s.State == AwaitSlots) {
			st.keepBooking(false)
			return
		}
		if s.State == ConfirmCancel {
			st.answerCancel("yes")
			return
		}
		if s.State.Waiting() || s.State == AwaitSlots || s.State == AwaitBooking {
			st.s.Request = Request{}
			st.s.Offered = nil
			st.settle(Closed)
			st.reply("OK, I've cancelled this request. Text us any time if you need us.")
			return
		}
	case IntentStartOver:
		st.endMove()
		st.s.Request, st.s.Offered = Request{}, nil
		st.ask(AwaitProblem, "OK, let's start again.", "What's the problem?")
		return
	case IntentPrice:
		st.reply(st.priceText())
		switch {
		case s.State.Waiting():
			st.reask("")
		case s.Moving && s.State == AwaitSlots:
			st.out = append(st.out, Effect{Kind: FindSlots})
		case s.Moving:
			// The move is under way; its answer comes next.
		default:
			st.ask(AwaitProblem, "", "What's the problem, and where?")
		}
		return
	}
	if s.State.Waiting() && s.State != AwaitProblem && !s.Moving {
		if rest, ok := ParseCorrection(text); ok && st.correct(rest) {
			return
		}
	}
	switch s.State {
	case AwaitTriage:
		st.answerTriage(text)
	case AwaitDetails:
		st.answerDetails(text, len(in.Media) > 0)
	case ConfirmAddress:
		st.answerConfirmAddress(text)
	case AwaitAddress:
		st.answerAddress(text)
	case AwaitName:
		st.answerName(text)
	case AwaitAccess:
		st.answerAccess(text)
	case AwaitSlot:
		st.answerSlot(text)
	case AwaitFee:
		st.answerFee(text)
	case AwaitSlots:
		st.out = append(st.out, Effect{Kind: FindSlots})
	case AwaitBooking, AwaitCancelling, AwaitMoving:
		st.reply("One moment, I'm still on it.")
	case ConfirmCancel:
		st.answerCancel(text)
	case AwaitProblem:
		st.describe(text, false)
	case Booked:
		st.afterBooking(text, intent)
	case AwaitFeedback:
		st.answerFeedback(text, intent)
	default: // New, Open, Closed
		st.describe(text, true)
	}
}

// reask repeats the pending question after an answer that did not settle it.
func (st *stepper) reask(prefix string) {
	st.ask(st.s.State, prefix, st.s.Asked)
}

// strike counts an answer that was not understood: a hint the first time,
// a person the second.
func (st *stepper) strike(hint string) {
	st.s.Strikes++
	if st.s.Strikes >= 2 {
		st.handover("Sorry, I'm not getting this right.", "two answers the bot did not understand")
		return
	}
	strikes := st.s.Strikes
	st.ask(st.s.State, "", hint)
	st.s.Strikes = strikes
}

// handover gives the conversation to a person and tells the dispatcher.
func (st *stepper) handover(prefix, why string) {
	if st.s.State != HandedOver {
		st.s.Resume = st.s.State
	}
	asked := st.s.Asked // asked again when the conversation is handed back
	st.settle(HandedOver)
	st.s.Asked = asked
	st.reply(join(prefix, "A person from "+st.c.Name+" will reply here shortly."))
	st.alert("Needs a person (" + why + "). " + st.summary())
}

// handBack resumes where the conversation was before the hand-over.
func (st *stepper) handBack() {
	if st.s.State != HandedOver {
		return
	}
	resume := st.s.Resume
	st.s.Resume = ""
	switch {
	case resume.Waiting():
		q := st.s.Asked
		if q == "" {
			q = "What's the problem?"
		}
		st.ask(resume, "Thanks for waiting.", q)
	case resume == AwaitSlots || resume == AwaitBooking || resume == AwaitMoving:
		st.s.State = resume
		st.next("Thanks for waiting.")
	default:
		st.settle(resume)
	}
}

// tick sends the one nudge, or closes a request left unanswered; a move
// left unanswered keeps the old time, and a feedback question lapses quietly.
func (st *stepper) tick() {
	s := &st.s
	if s.State == AwaitFeedback {
		st.feedbackTick()
		return
	}
	if !s.State.Waiting() {
		return
	}
	if s.State == ConfirmCancel {
		st.settle(Booked) // an unanswered "cancel?" keeps the booking, quietly
		return
	}
	switch {
	case !s.ExpireAt.IsZero() && !st.now.Before(s.ExpireAt) && s.Moving:
		st.keepBooking(true)
	case !s.ExpireAt.IsZero() && !st.now.Before(s.ExpireAt):
		s.Request, s.Offered = Request{}, nil
		st.settle(Closed)
		st.reply("We haven't heard back, so we've closed this request. Text us any time to start again.")
	case !s.Nudged && !s.NudgeAt.IsZero() && !st.now.Before(s.NudgeAt):
		s.Nudged = true
		st.out = append(st.out, Effect{Kind: Wake, At: s.ExpireAt})
		st.reply(join("Are you still there?", s.Asked))
	case !s.Nudged && !s.NudgeAt.IsZero():
		st.out = append(st.out, Effect{Kind: Wake, At: s.NudgeAt}) // early tick: keep the timer
	}
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// takenOver hands the conversation to a dispatcher who asked for it: the
// bot stays quiet, passing the customer's messages on, until HandBack.
func (st *stepper) takenOver() {
	if st.s.State == HandedOver {
		return
	}
	st.s.Resume = st.s.State
	asked := st.s.Asked
	st.settle(HandedOver)
	st.s.Asked = asked
}
