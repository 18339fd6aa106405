package main

import (
	"strconv"
	"strings"
)

// Outcomes of one simulated customer.
const (
	outcomeBooked     = "booked"
	outcomeNoSlot     = "no free slot, handed to a person"
	outcomeHandover   = "handed to a person"
	outcomeOutOfArea  = "told the address is out of area"
	outcomeIncomplete = "stopped by -duration"
	outcomeFailed     = "failed (see errors)"
)

// maxTurns bounds one conversation, so a bot that keeps asking cannot
// hold a customer forever.
const maxTurns = 20

// script is what a simulated customer says: the first message and the
// answers to each question the intake asks.
type script struct {
	Problem string
	Address string
	Name    string
	Access  string
	Details string // make, model and error code, for appliances and boilers
	Slot    int    // which offered slot to take, 1 to 3; fewer offered, the last
}

// Built-in scripts: a routine job, and an emergency (no slot; a fee to
// agree to) for runs that need many jobs.
var (
	routineScript = script{
		Problem: "the bathroom tap has been dripping for a week, could someone come and replace the washer",
		Address: "12 Oak Road, M1 5AB",
		Name:    "Sam Jones",
		Access:  "none",
		Details: "Bosch Serie 6, no error code",
	}
	emergencyScript = script{
		Problem: "water is pouring through my kitchen ceiling from the flat upstairs",
		Address: "3 Mill Lane, M1 2AA",
		Name:    "Tom Reed",
		Access:  "none",
		Details: "Bosch Serie 6, no error code",
	}
)

// move is what a customer does on reading one reply: say something, stop
// with an outcome, or (both empty) keep waiting for the next reply.
type move struct {
	say  string
	done string
	odd  bool // the reply was not understood; done is outcomeFailed
}

// next decides the customer's move on reading reply. The order matters:
// the booking confirmation repeats the address, and several questions
// mention a fee or an address in passing.
func (sc script) next(reply string) move {
	has := func(s string) bool { return strings.Contains(reply, s) }
	switch {
	case has("Booked:"), has("a technician is being sent"):
		return move{done: outcomeBooked}
	case has("no free times"):
		return move{done: outcomeNoSlot}
	case has("will reply here shortly"):
		return move{done: outcomeHandover}
	case has("is outside the area"):
		return move{done: outcomeOutOfArea}
	case has("Safety first"):
		return move{} // advice; the question follows in its own reply
	case has("Same address as last time"):
		return move{say: "yes"}
	case has("out of control, or is anyone at risk"):
		return move{say: "no"}
	case has("make and model"):
		return move{say: sc.Details}
	case has("call-out fee"):
		return move{say: "yes"}
	case has("We can come:"):
		return move{say: strconv.Itoa(pick(reply, sc.Slot))}
	case has("your name"):
		return move{say: sc.Name}
	case has("to get in"):
		return move{say: sc.Access}
	case has("address"):
		return move{say: sc.Address}
	case has("What's the problem"):
		return move{say: sc.Problem}
	}
	return move{done: outcomeFailed, odd: true}
}

// pick returns choice, or the last option the offer lists when it lists
// fewer ("1) Tue 24 Nov, 8-10am").
func pick(offer string, choice int) int {
	n := 0
	for _, line := range strings.Split(offer, "\n") {
		if len(line) > 2 && line[0] == byte('1'+n) && line[1] == ')' {
			n++
		}
	}
	return max(min(choice, n), 1)
}

// customer is one simulated customer: an address on one channel and what
// it says.
type customer struct {
	addr     string // as the provider sees it: "sms:+44…" or "telegram:<chat id>"
	phone    string // E.164, for SMS
	chatID   int64  // for Telegram
	telegram bool
	script   script
}

// Number ranges: every run draws its customers from its own block, so a
// run never meets the conversations of an earlier one (which would be
// returning customers, asked "Same address as last time?").
const (
	maxCustomers = 10_000_000 // per run: preloaded and measured together
	runBlocks    = 1000
)

// smsCustomer returns customer i of run on SMS: +4479 RRR IIIIIII.
// Customers take the first, second and third slot offered in turn.
func smsCustomer(run uint32, i int, sc script) customer {
	sc.Slot = 1 + i%3
	p := "+4479" + pad(int(run%runBlocks), 3) + pad(i, 7)
	return customer{addr: "sms:" + p, phone: p, script: sc}
}

// tgCustomer returns customer i of run on Telegram, whose chat ids start
// at 5,000,000,000.
func tgCustomer(run uint32, i int, sc script) customer {
	sc.Slot = 1 + i%3
	id := 5_000_000_000 + int64(run%runBlocks)*maxCustomers + int64(i)
	return customer{addr: "telegram:" + strconv.FormatInt(id, 10), chatID: id, telegram: true, script: sc}
}

// pad formats v with at least width digits.
func pad(v, width int) string {
	s := strconv.Itoa(v)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
