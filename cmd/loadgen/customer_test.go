package main

import (
	"testing"
)

func TestScriptNext(t *testing.T) {
	sc := routineScript
	sc.Slot = 3
	tests := []struct {
		name, reply string
		want        move
	}{
		{"first question", "Thanks for contacting Brightwater Plumbing & Heating. What's the address, with postcode?",
			move{say: sc.Address}},
		{"name", "And your name, please?", move{say: sc.Name}},
		{"access", "Anything the technician should know to get in (parking, gate code, pets)? Reply NONE if not.",
			move{say: "none"}},
		{"three slots", "We can come:\n1) Tue 24 Nov, 8-10am\n2) Tue 24 Nov, 10am-12pm\n3) Tue 24 Nov, 12-2pm\nReply 1, 2 or 3.",
			move{say: "3"}},
		{"two slots left", "Sorry, that time has just been taken. We can come:\n1) Tue 24 Nov, 8-10am\n2) Tue 24 Nov, 10am-12pm\nReply 1 or 2.",
			move{say: "2"}},
		{"out-of-hours fee", "That time is outside our normal hours, so the call-out fee is £120. Reply YES to book it, or NO to cancel.",
			move{say: "yes"}},
		{"emergency fee", "Our emergency call-out fee is £150. Reply YES to send a technician now.", move{say: "yes"}},
		{"triage question", "Is water, gas or electricity out of control, or is anyone at risk right now? Reply YES or NO.",
			move{say: "no"}},
		{"appliance details", "What make and model is it, and is an error code showing? A photo of the label or display helps too.",
			move{say: sc.Details}},
		{"returning customer", "Same address as last time, 12 Oak Road? Reply YES, or send the address.", move{say: "yes"}},
		{"asked again for the problem", "OK, let's start again. What's the problem?", move{say: sc.Problem}},
		{"safety advice: wait for the question", "Safety first: leave the building now.", move{}},
		{"booked, though it names the address", "Booked: Tue 24 Nov, 8-10am at 12 Oak Road (job J-1001). Reply C to cancel.",
			move{done: outcomeBooked}},
		{"emergency booked", "Job J-1002: a technician is being sent to 3 Mill Lane now. We'll text you when they're on the way.",
			move{done: outcomeBooked}},
		{"week full", "We have no free times in the next few days. A person from Brightwater will reply here shortly.",
			move{done: outcomeNoSlot}},
		{"handed over", "A person from Brightwater will reply here shortly.", move{done: outcomeHandover}},
		{"out of area", "Sorry, SW1A 1AA is outside the area Brightwater covers.", move{done: outcomeOutOfArea}},
		{"nonsense", "lorem ipsum", move{done: outcomeFailed, odd: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sc.next(tt.reply); got != tt.want {
				t.Errorf("next(%q) = %+v, want %+v", tt.reply, got, tt.want)
			}
		})
	}
}

func TestCustomerNumbers(t *testing.T) {
	a, b := smsCustomer(123, 0, routineScript), smsCustomer(123, maxCustomers-1, routineScript)
	if a.phone != "+44791230000000" || b.phone != "+44791239999999" {
		t.Errorf("first and last numbers of run 123 = %s, %s", a.phone, b.phone)
	}
	if other := smsCustomer(124, 0, routineScript); other.phone == a.phone {
		t.Errorf("runs 123 and 124 share %s", a.phone)
	}
	tg := tgCustomer(123, 5, routineScript)
	if tg.addr != "telegram:6230000005" || !tg.telegram {
		t.Errorf("tgCustomer(123, 5) = %+v", tg)
	}
	if s := []int{smsCustomer(1, 0, routineScript).script.Slot, smsCustomer(1, 1, routineScript).script.Slot,
		smsCustomer(1, 2, routineScript).script.Slot}; s[0] != 1 || s[1] != 2 || s[2] != 3 {
		t.Errorf("slots taken by customers 0, 1, 2 = %v, want 1, 2, 3", s)
	}
}
