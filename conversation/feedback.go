package conversation

import (
	"strconv"
	"time"
)

// feedbackFor is how long a feedback question stays open.
const feedbackFor = 3 * 24 * time.Hour

// busy reports whether the conversation is in the middle of a request or
// with a person, so a message the company starts would cut across it.
func (st *stepper) busy() bool {
	switch st.s.State {
	case AwaitSlots, AwaitBooking, AwaitMoving, AwaitCancelling, HandedOver:
		return true
	}
	return st.s.State.Waiting()
}

// feedbackDue asks for a score for a finished job, unless the conversation
// is busy or already asking about that job. A booking of another job that
// is still to come is kept in PrevJob and comes back once this is answered.
func (st *stepper) feedbackDue(job string) {
	s := &st.s
	if job == "" || st.busy() || s.State == AwaitFeedback && s.LastJob == job {
		return
	}
	switch {
	case s.State == AwaitFeedback:
		// Asked about another job: this one replaces it, PrevJob stays.
	case s.State == Booked && s.LastJob != "" && s.LastJob != job:
		s.PrevJob = s.LastJob
	default:
		s.Request, s.Offered, s.PrevJob = Request{}, nil, ""
	}
	s.LastJob = job
	st.settle(AwaitFeedback)
	s.ExpireAt = st.now.Add(feedbackFor)
	st.out = append(st.out, Effect{Kind: Wake, At: s.ExpireAt})
	st.reply("Job " + job + " is done. How did we do? Reply with a score from 1 to 5 (5 is best), and add a comment if you like.")
}

// answerFeedback takes the customer's score. A low score alerts the
// dispatchers; a new problem starts a request; anything else gets one hint
// and then a polite end. Feedback never goes to a person.
func (st *stepper) answerFeedback(text string, intent Intent) {
	s := &st.s
	if score, comment, ok := ParseFeedback(text); ok {
		job := s.LastJob
		st.out = append(st.out, Effect{Kind: SaveFeedback, Job: job, Score: score, Text: comment})
		st.endFeedback()
		if score > 2 {
			st.reply("Thanks for your feedback!")
			return
		}
		st.reply("Thanks for your feedback! We're sorry it wasn't better; someone will be in touch.")
		if comment == "" {
			comment = "no comment"
		}
		st.routineAlert("Low feedback " + strconv.Itoa(score) + "/5 on job " + job + ": " + comment)
		return
	}
	if st.newProblem(text) {
		st.endFeedback()
		st.describe(text, true)
		return
	}
	yes, decided := ParseYesNo(text)
	s.Strikes++
	if intent == IntentCancel || decided && !yes || s.Strikes >= 2 {
		st.endFeedback()
		st.reply("Thanks anyway.")
		return
	}
	st.reply("Please reply with a number from 1 to 5.")
}

// feedbackTick ends an unanswered feedback question quietly at its expiry.
func (st *stepper) feedbackTick() {
	switch {
	case st.s.ExpireAt.IsZero() || !st.now.Before(st.s.ExpireAt):
		st.endFeedback()
	default:
		st.out = append(st.out, Effect{Kind: Wake, At: st.s.ExpireAt}) // early tick: keep the timer
	}
}

// endFeedback leaves the feedback question: back to the booking kept in
// PrevJob, or to New with the profile and LastJob kept.
func (st *stepper) endFeedback() {
	s := &st.s
	if s.PrevJob != "" {
		s.LastJob, s.PrevJob = s.PrevJob, ""
		st.settle(Booked)
		return
	}
	s.Request, s.Offered = Request{}, nil
	st.settle(New)
}
