package conversation

import (
	"strings"

	"dispatchbot/dispatch"
)

// describe takes a description of the problem: the first message of a
// request (fresh) or an answer to "what's the problem?". Whatever else the
// message already says (address, name, make and model) is kept, so those
// questions are skipped.
func (st *stepper) describe(text string, fresh bool) {
	r := &st.s.Request
	if fresh {
		st.endMove()
		st.s.Request, st.s.Offered, st.s.Resume = Request{}, nil, ""
		r = &st.s.Request
	}
	r.Problem = strings.TrimSpace(join(r.Problem, text))
	greet := ""
	if fresh {
		greet = "Thanks for contacting " + st.c.Name + "."
		if st.s.Profile.Name != "" {
			greet = "Hi " + firstWord(st.s.Profile.Name) + ", thanks for contacting " + st.c.Name + " again."
		}
	}
	if vague(text) && r.Problem == strings.TrimSpace(text) {
		st.ask(AwaitProblem, greet, "What's the problem, and where?")
		return
	}
	st.grade(text)
	if a, ok := FindAddress(text, st.c.Region); ok {
		if !st.setAddress(a) {
			return
		}
	}
	if n, ok := FindName(text); ok {
		r.Name = n
	}
	st.takeDetails(text)
	st.next(greet)
}

// grade grades the whole problem so far and raises the alarm once when it
// becomes an emergency.
func (st *stepper) grade(latest string) {
	r := &st.s.Request
	if st.c.Grader == nil {
		r.Urgency, r.Trade, r.Triaged = Urgent, dispatch.General, false
		return
	}
	g := st.c.Grader.Grade(r.Problem)
	wasEmergency := r.Urgency == Emergency && r.Triaged
	r.Urgency, r.Trade, r.Hazard, r.Reasons = g.Urgency, g.Trade, g.Hazard, g.Reasons
	r.Triaged = r.Triaged || g.Confident
	if wasEmergency {
		r.Urgency = Emergency // a later message never talks an emergency down
	}
	if r.Urgency == Emergency && r.Triaged && !wasEmergency {
		st.emergency()
	}
}

// emergency sends the safety advice before anything else and alerts the
// dispatchers at once.
func (st *stepper) emergency() {
	st.reply(safetyAdvice(st.s.Request.Hazard, st.c))
	st.alert("EMERGENCY. " + st.summary())
}

// next asks for the first thing still missing, or moves on to slots and
// booking once the request is complete.
func (st *stepper) next(prefix string) {
	r := &st.s.Request
	c := st.c
	switch {
	case st.s.Moving && r.Slot == nil:
		if prefix != "" {
			st.reply(prefix)
		}
		st.settle(AwaitSlots)
		st.out = append(st.out, Effect{Kind: FindSlots})
	case st.s.Moving:
		st.reschedule(prefix)
	case !r.Triaged:
		st.ask(AwaitTriage, prefix, "Is water, gas or electricity out of control, or is anyone at risk right now? Reply YES or NO.")
	case r.Urgency != Emergency && !r.DetailsOK && r.MakeModel == "" && detailsQuestion(r.Trade, c.Region) != "":
		st.ask(AwaitDetails, prefix, detailsQuestion(r.Trade, c.Region))
	case r.Postcode == "" && st.s.Profile.Postcode != "" && st.s.State != ConfirmAddress && !r.NewAddress:
		st.ask(ConfirmAddress, prefix, "Same address as last time, "+st.s.Profile.Address+"? Reply YES, or send the address.")
	case r.Postcode == "":
		st.ask(AwaitAddress, prefix, "What's the address, with "+postcodeWord(c.Region)+"?")
	case r.Name == "" && st.s.Profile.Name != "":
		r.Name = st.s.Profile.Name
		st.next(prefix)
	case r.Name == "":
		st.ask(AwaitName, prefix, "And your name, please?")
	case !r.AccessSet && r.Urgency != Emergency:
		st.ask(AwaitAccess, prefix, "Anything the technician should know to get in (parking, gate code, pets)? Reply NONE if not.")
	case r.Urgency == Emergency && c.Fees.Emergency > 0 && !r.FeeAgreed:
		r.Fee = c.Fees.Emergency
		st.ask(AwaitFee, prefix, "Our emergency call-out fee is "+money(c.Fees.Currency, r.Fee)+". Reply YES to send a technician now.")
	case r.Urgency == Emergency:
		st.book(prefix)
	case r.Slot == nil:
		if prefix != "" {
			st.reply(prefix)
		}
		st.settle(AwaitSlots)
		st.out = append(st.out, Effect{Kind: FindSlots})
	case !c.Hours.Open(r.Slot.Start.In(c.loc())) && c.Fees.AfterHours > 0 && !r.FeeAgreed:
		r.Fee = c.Fees.AfterHours
		st.ask(AwaitFee, prefix, "That time is outside our normal hours, so the call-out fee is "+
			money(c.Fees.Currency, r.Fee)+". Reply YES to book it, or NO to cancel.")
	default:
		st.book(prefix)
	}
}

// book asks the caller to create the job.
func (st *stepper) book(prefix string) {
	if prefix != "" {
		st.reply(prefix)
	}
	if st.s.Request.Fee == 0 && st.s.Request.Urgency != Emergency {
		st.s.Request.Fee = st.c.Fees.Standard
	}
	st.settle(AwaitBooking)
	st.out = append(st.out, Effect{Kind: Book})
}

// offer shows up to three slots, or hands over when there are none.
// During a move the job's current slot is left out.
func (st *stepper) offer(slots []Slot, prefix string) {
	if st.s.Moving {
		slots = withoutSlot(slots, st.s.OldSlot)
		if len(slots) == 0 {
			st.noMoveSlots(prefix)
			return
		}
	}
	if len(slots) == 0 {
		st.handover(join(prefix, "We have no free times in the next few days."), "no slots to offer")
		return
	}
	st.s.Offered = append([]Slot(nil), slots[:min(3, len(slots))]...)
	var b strings.Builder
	b.WriteString("We can come:")
	for i, sl := range st.s.Offered {
		b.WriteString("\n" + string(rune('1'+i)) + ") " + formatSlot(sl, st.c.loc()))
	}
	b.WriteString("\nReply " + choices(len(st.s.Offered)) + st.keepOption() + ".")
	st.ask(AwaitSlot, prefix, b.String())
}

// booked confirms the job and remembers the customer for next time.
func (st *stepper) booked(job string) {
	r := st.s.Request
	st.s.LastJob = job
	st.s.Profile = Profile{Name: r.Name, Address: r.Address, Postcode: r.Postcode}
	st.s.Offered = nil
	st.settle(Booked)
	where := r.Address
	if where == "" {
		where = r.Postcode
	}
	if r.Urgency == Emergency {
		st.reply("Job " + job + ": a technician is being sent to " + where + " now. We'll text you when they're on the way.")
		// The first alert went out before the address was known.
		st.alert("EMERGENCY job " + job + " booked. " + st.summary())
		return
	}
	st.reply("Booked: " + formatSlot(*r.Slot, st.c.loc()) + " at " + where + " (job " + job +
		"). " + manageHint)
}

// newProblem reports whether a message after a booking or during feedback
// confidently describes a new problem.
func (st *stepper) newProblem(text string) bool {
	if st.c.Grader == nil || vague(text) {
		return false
	}
	g := st.c.Grader.Grade(text)
	return g.Confident && (g.Urgency == Emergency || g.Trade != dispatch.General)
}

// afterBooking answers a message once the job is booked: a new problem
// starts a new request; anything else gets the booking's details.
func (st *stepper) afterBooking(text string, intent Intent) {
	if isCancelLetter(text) || intent == IntentCancel {
		when := "now"
		if r := st.s.Request; r.Slot != nil {
			when = formatSlot(*r.Slot, st.c.loc())
		}
		st.ask(ConfirmCancel, "", "Cancel job "+st.s.LastJob+" ("+when+")? Reply YES to cancel it, or NO to keep it.")
		return
	}
	if (isMoveLetter(text) || intent == IntentReschedule) && st.s.LastJob != "" {
		st.askMove()
		return
	}
	if st.newProblem(text) {
		st.describe(text, true)
		return
	}
	r := st.s.Request
	when := "now"
	if r.Slot != nil {
		when = formatSlot(*r.Slot, st.c.loc())
	}
	st.reply("Your job " + st.s.LastJob + " is booked for " + when + ". Tell us about any new problem and we'll help.")
}

func (st *stepper) answerTriage(text string) {
	yes, ok := ParseYesNo(text)
	if !ok {
		st.strike("Please reply YES if water, gas or electricity is out of control or anyone is at risk, or NO if not.")
		return
	}
	r := &st.s.Request
	r.Triaged = true
	if yes {
		r.Urgency = Emergency
		st.emergency()
	} else if r.Urgency == Emergency {
		r.Urgency = Urgent
	}
	st.next("")
}

func (st *stepper) answerDetails(text string, photo bool) {
	st.s.Request.DetailsOK = true
	st.s.Request.Details = text
	st.takeDetails(text)
	prefix := ""
	if photo {
		prefix = "Thanks for the photo."
	}
	st.next(prefix)
}

func (st *stepper) takeDetails(text string) {
	r := &st.s.Request
	mm, code := ParseDetails(text)
	if mm != "" {
		r.MakeModel = mm
	}
	if code != "" {
		r.ErrorCode = code
	}
}

func (st *stepper) answerConfirmAddress(text string) {
	if yes, ok := ParseYesNo(text); ok && yes {
		p := st.s.Profile
		if st.setAddress(Address{Line: p.Address, Postcode: p.Postcode}) {
			st.next("")
		}
		return
	}
	if a, ok := ParseAddressAnswer(text, st.c.Region); ok {
		if st.setAddress(a) {
			st.next("")
		}
		return
	}
	st.s.Request.NewAddress = true
	st.ask(AwaitAddress, "", "What's the address, with "+postcodeWord(st.c.Region)+"?")
}

func (st *stepper) answerAddress(text string) {
	a, ok := ParseAddressAnswer(text, st.c.Region)
	if !ok {
		st.strike("I need the full address with " + postcodeWord(st.c.Region) + ", e.g. " + exampleAddress(st.c.Region) + ".")
		return
	}
	if st.setAddress(a) {
		st.next("")
	}
}

// setAddress keeps an address inside the service area, or declines politely
// and closes the request; it reports whether the request goes on.
func (st *stepper) setAddress(a Address) bool {
	if a.Postcode != "" && len(st.c.Areas) > 0 && !InArea(a.Postcode, st.c.Areas) {
		st.s.Request, st.s.Offered = Request{}, nil
		st.settle(Closed)
		st.reply("Sorry, " + a.Postcode + " is outside the area " + st.c.Name +
			" covers, so we can't book this one. We hope you find someone quickly.")
		return false
	}
	r := &st.s.Request
	if a.Line != "" {
		r.Address = a.Line
	}
	if a.Postcode != "" {
		r.Postcode = a.Postcode
		if r.Address == "" {
			r.Address = a.Postcode
		}
	}
	return true
}

func (st *stepper) answerName(text string) {
	n, ok := ParseNameAnswer(text)
	if !ok {
		n, ok = FindName(text)
	}
	if !ok {
		st.strike("Just your name, please, e.g. Sam Jones.")
		return
	}
	st.s.Request.Name = n
	st.next("")
}

func (st *stepper) answerAccess(text string) {
	r := &st.s.Request
	r.AccessSet = true
	if no, ok := ParseYesNo(text); !(ok && !no) && !isNone(text) {
		r.Access = text
	}
	st.next("")
}

func (st *stepper) answerSlot(text string) {
	if st.s.Moving && (isKeepAnswer(text) || isCancelLetter(text)) {
		st.keepBooking(false)
		return
	}
	i, ok := ParseSlotChoice(text, st.s.Offered, st.now, st.c.loc())
	if !ok {
		st.strike("Please reply " + choices(len(st.s.Offered)) + " to pick a time" + st.keepOption() + ".")
		return
	}
	sl := st.s.Offered[i]
	st.s.Request.Slot = &sl
	st.next("")
}

func (st *stepper) answerFee(text string) {
	yes, ok := ParseYesNo(text)
	switch {
	case !ok:
		st.strike("Please reply YES to go ahead with the " + money(st.c.Fees.Currency, st.s.Request.Fee) + " call-out fee, or NO to cancel.")
	case yes:
		st.s.Request.FeeAgreed = true
		st.next("")
	default:
		st.s.Request, st.s.Offered = Request{}, nil
		st.settle(Closed)
		st.reply("OK, no booking made. Text us if you change your mind.")
	}
}

// correct applies a correction ("actually it's 14 Oak Rd") to the address or
// name and repeats the pending question; it reports whether it understood.
func (st *stepper) correct(rest string) bool {
	if a, ok := FindAddress(rest, st.c.Region); ok && a.Postcode != "" || ok && a.Line != "" {
		if a.Postcode == "" {
			a.Postcode = st.s.Request.Postcode
		}
		if !st.setAddress(a) {
			return true
		}
		st.reask("Thanks, the address is now " + join(st.s.Request.Address, postcodeIfNew(st.s.Request)) + ".")
		return true
	}
	if n, ok := FindName(rest); ok {
		st.s.Request.Name = n
		st.reask("Thanks, " + firstWord(n) + ".")
		return true
	}
	if strings.HasPrefix(strings.ToLower(rest), "name is ") {
		if n, ok := ParseNameAnswer(rest[len("name is "):]); ok {
			st.s.Request.Name = n
			st.reask("Thanks, " + firstWord(n) + ".")
			return true
		}
	}
	return false
}

func postcodeIfNew(r Request) string {
	if strings.Contains(r.Address, r.Postcode) {
		return ""
	}
	return r.Postcode
}

// summary describes the request for a dispatcher in one line.
func (st *stepper) summary() string {
	r := st.s.Request
	parts := []string{}
	if r.Urgency != "" {
		head := string(r.Urgency) + " " + string(r.Trade)
		if r.Hazard != "" && r.Hazard != HazardNone {
			head += " (" + string(r.Hazard) + ")"
		}
		parts = append(parts, head)
	}
	if r.Problem != "" {
		parts = append(parts, quote(r.Problem, 160))
	}
	if r.Name != "" {
		parts = append(parts, r.Name)
	}
	if r.Address != "" {
		parts = append(parts, join(r.Address, postcodeIfNew(r)))
	}
	if len(parts) == 0 {
		return "No details yet."
	}
	return strings.Join(parts, " — ")
}

// isCancelLetter reports whether a text is the "C" the booking confirmation
// offers (the word CANCEL itself is a carrier opt-out keyword on SMS).
func isCancelLetter(text string) bool {
	t := strings.ToLower(strings.Trim(text, " .!\t\r\n"))
	return t == "c"
}

// answerCancel settles "cancel this job?": yes cancels it, no keeps it.
func (st *stepper) answerCancel(text string) {
	yes, ok := ParseYesNo(text)
	switch {
	case !ok:
		st.strike("Please reply YES to cancel job " + st.s.LastJob + ", or NO to keep it.")
	case yes:
		st.settle(AwaitCancelling)
		st.out = append(st.out, Effect{Kind: CancelJob})
	default:
		st.settle(Booked)
		st.reply("OK, job " + st.s.LastJob + " stays booked.")
	}
}
