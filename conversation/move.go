package conversation

import (
	"strings"
	"unicode/utf8"
)

// askMove answers the customer's "R": a move of the booked job, or a person
// when the job has no slot to move (an emergency visit).
func (st *stepper) askMove() {
	job := st.s.LastJob
	if st.s.Request.Slot == nil {
		st.handover("", "customer asked to reschedule job "+job)
		return
	}
	st.startMove("Let's find a new time for job "+job+".", false)
}

// mustMove handles the company's need to move job: in a settled booking of
// that job the customer picks a new time; otherwise the customer hears that
// we'll be in touch and a dispatcher is asked to arrange it.
func (st *stepper) mustMove(job, why string) {
	if job == "" {
		return
	}
	why = moveReason(why)
	notice := "Sorry, we need to move your visit for job " + job + why + "."
	s := &st.s
	if s.State == Booked && s.LastJob == job && s.Request.Slot != nil {
		st.startMove(notice+" Let's find a new time.", true)
		return
	}
	st.reply(notice + " We'll be in touch to arrange a new time.")
	st.routineAlert("Job " + job + " must be moved" + why + "; arrange a new time with the customer.")
}

// moveReason formats the company's reason for a move as " (why)", or "".
func moveReason(why string) string {
	why = strings.Join(strings.Fields(why), " ")
	why = strings.TrimRight(why, ".!; ")
	if why == "" {
		return ""
	}
	if utf8.RuneCountInString(why) > 120 {
		why = string([]rune(why)[:119]) + "…"
	}
	return " (" + why + ")"
}

// startMove keeps the booked slot aside and looks up new times for LastJob.
func (st *stepper) startMove(prefix string, forced bool) {
	s := &st.s
	old := *s.Request.Slot
	s.Moving, s.Forced, s.OldSlot = true, forced, &old
	s.Request.Slot, s.Offered = nil, nil
	st.next(prefix)
}

// reschedule asks the caller to move LastJob to the chosen slot. A move
// keeps the fee agreed when the job was booked.
func (st *stepper) reschedule(prefix string) {
	if prefix != "" {
		st.reply(prefix)
	}
	st.settle(AwaitMoving)
	st.out = append(st.out, Effect{Kind: Reschedule, Job: st.s.LastJob})
}

// moved confirms the job's new time.
func (st *stepper) moved() {
	s := &st.s
	s.Moving, s.Forced, s.OldSlot, s.Offered = false, false, nil, nil
	st.settle(Booked)
	st.reply("Done: job " + s.LastJob + " is now " + st.bookedWhen() + ". " + manageHint)
}

// moveFailed puts the job back on its old slot and hands over.
func (st *stepper) moveFailed() {
	job := st.s.LastJob
	st.dropMove()
	st.settle(Booked)
	st.handover("I couldn't move that just now.", "moving job "+job+" failed")
}

// noMoveSlots ends a move that has no other time to offer: the job keeps
// its slot and a person takes over.
func (st *stepper) noMoveSlots(prefix string) {
	job := st.s.LastJob
	st.dropMove()
	st.settle(Booked)
	st.handover(join(prefix, "We have no other free times in the next few days."), "no free times to move job "+job+" to")
}

// keepBooking abandons a move at the customer's word or, when expired, after
// their silence: the job keeps its old slot. A move the company asked for
// still needs a new time, so a dispatcher hears of it.
func (st *stepper) keepBooking(expired bool) {
	forced := st.s.Forced
	st.endMove()
	st.settle(Booked)
	job := st.s.LastJob
	switch {
	case forced && expired:
		st.reply("We haven't heard back, so we'll be in touch to arrange a new time for job " + job + ".")
	case forced:
		st.reply("OK. We'll be in touch to arrange a new time for job " + job + ".")
	case expired:
		st.reply("We haven't heard back, so job " + job + " stays booked for " + st.bookedWhen() + ".")
	default:
		st.reply("OK, job " + job + " stays booked for " + st.bookedWhen() + ". " + manageHint)
	}
}

// endMove abandons a move, if one is under way, and tells a dispatcher when
// the company had asked for it.
func (st *stepper) endMove() {
	if !st.s.Moving {
		return
	}
	if st.s.Forced {
		st.routineAlert("Job " + st.s.LastJob + " must be moved, but the customer did not choose a new time; arrange one with them.")
	}
	st.dropMove()
}

// dropMove puts the job's old slot back and clears the move.
func (st *stepper) dropMove() {
	s := &st.s
	if s.Moving && s.OldSlot != nil {
		s.Request.Slot = s.OldSlot
	}
	s.Moving, s.Forced, s.OldSlot, s.Offered = false, false, nil, nil
}

// keepOption is the offer's way back during a customer's own move:
// ", or KEEP to stay with Tue 24 Nov, 8-10am".
func (st *stepper) keepOption() string {
	if !st.s.Moving || st.s.Forced || st.s.OldSlot == nil {
		return ""
	}
	return ", or KEEP to stay with " + formatSlot(*st.s.OldSlot, st.c.loc())
}

// bookedWhen is the booked request's time, or "now" for an emergency visit.
func (st *stepper) bookedWhen() string {
	if r := st.s.Request; r.Slot != nil {
		return formatSlot(*r.Slot, st.c.loc())
	}
	return "now"
}

// withoutSlot returns slots less the one equal to old.
func withoutSlot(slots []Slot, old *Slot) []Slot {
	if old == nil {
		return slots
	}
	var out []Slot
	for _, sl := range slots {
		if !sl.Start.Equal(old.Start) || !sl.End.Equal(old.End) {
			out = append(out, sl)
		}
	}
	return out
}

// isMoveLetter reports whether a text is the "R" the booking confirmation
// offers.
func isMoveLetter(text string) bool {
	return strings.ToLower(strings.Trim(text, " .!\t\r\n")) == "r"
}

var keepAnswerRe = wholeIntentRe(`keep(?: (?:it|that|this|mine|(?:the|my) (?:old|original|same|current|existing|first) (?:one|time|slot|day|date|booking|appointment|visit)` +
	`|(?:the|my) (?:booking|appointment|time|slot|visit|date|day)))?(?: (?:as it (?:is|was)|as is|the same|then|instead))?` +
	`|leave it(?: (?:as it (?:is|was)|as is|the same|then))?|(?:dont|do not) (?:move|change) (?:it|anything|my booking|the (?:booking|appointment|time))` +
	`|no change|(?:its|it is|thats|that is) fine as it is|(?:the )?(?:old|original|current|existing|first) (?:one|time|slot) is (?:fine|ok|okay|good)` +
	`|stay(?: with)? (?:the )?(?:old|original|same|current) (?:one|time|slot)|(?:the )?same time`)

// isKeepAnswer reports whether a reply to a move's offer means "keep the
// time I have": "keep", "keep it", "leave it as it is", "don't move it".
func isKeepAnswer(text string) bool {
	clauses := msgClauses(text)
	var all []string
	for _, c := range clauses {
		all = append(all, c...)
	}
	return len(all) > 0 && len(all) <= maxIntentWords && keepAnswerRe.MatchString(strings.Join(all, " "))
}
