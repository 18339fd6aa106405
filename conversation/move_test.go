package conversation

import (
	"testing"
	"time"
)

// bookedScript books job J-1001 for Tue 24 Nov, 8-10am (testSlots()[0]).
var bookedScript = []line{
	{say: "the bathroom tap is dripping", state: AwaitAddress, replies: []string{"address"}},
	{say: "12 Oak Rd M14 5AB", state: AwaitName, replies: []string{"name"}},
	{say: "Sam", state: AwaitAccess, replies: []string{"get in"}},
	{say: "none", state: AwaitSlot, replies: []string{"We can come"}},
	{say: "1", state: Booked, replies: []string{"Booked: Tue 24 Nov, 8-10am at 12 Oak Rd (job J-1001). Reply C to cancel, R to reschedule."}},
}

// emergencyScript books emergency job J-1001, which has no slot.
var emergencyScript = []line{
	{say: "I can smell gas in the kitchen", state: AwaitAddress, alert: "EMERGENCY", replies: []string{"leave the building now", "address"}},
	{say: "3 Mill Lane, M20 2AA", state: AwaitName, replies: []string{"name"}},
	{say: "Tom", state: AwaitFee, replies: []string{"£150"}},
	{say: "yes", state: Booked, alert: "EMERGENCY job J-1001 booked", replies: []string{"technician is being sent"}},
}

const (
	moveOffer   = "We can come:\n1) Tue 24 Nov, 10am-12pm\n2) Wed 25 Nov, 8-10am\nReply 1 or 2, or KEEP to stay with Tue 24 Nov, 8-10am."
	forcedOffer = "We can come:\n1) Tue 24 Nov, 10am-12pm\n2) Wed 25 Nov, 8-10am\nReply 1 or 2."
	emergencyIn = "your technician was called to an emergency"
)

func mustMoveInput(job string) *Input {
	return &Input{Kind: MustMove, Job: job, Text: emergencyIn}
}

func TestStepMove(t *testing.T) {
	tests := []struct {
		name   string
		before []line
		script []line
		slot   *Slot // the request's slot at the end, if the script ends booked
	}{
		{"R: offer leaves out the booked time, then moves", bookedScript, []line{
			{say: "R", state: AwaitSlot, replies: []string{"Let's find a new time for job J-1001.", moveOffer}},
			{say: "2", state: Booked, move: "J-1001",
				replies: []string{"Done: job J-1001 is now Wed 25 Nov, 8-10am. Reply C to cancel, R to reschedule."}},
			{say: "C", state: ConfirmCancel, replies: []string{"Cancel job J-1001 (Wed 25 Nov, 8-10am)?"}},
		}, &testSlots()[2]},
		{"reschedule in words", bookedScript, []line{
			{say: "can you come another day?", state: AwaitSlot, replies: []string{"Let's find a new time for job J-1001.", moveOffer}},
			{say: "the first one", state: Booked, move: "J-1001", replies: []string{"is now Tue 24 Nov, 10am-12pm"}},
		}, &testSlots()[1]},
		{"R, then the new time is taken", bookedScript, []line{
			{say: "r", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "1", taken: true, state: AwaitSlot, move: "J-1001",
				replies: []string{"Sorry, that time has just been taken. We can come:\n1) Tue 24 Nov, 10am-12pm\n2) Wed 25 Nov, 8-10am"}},
			{say: "2", state: Booked, move: "J-1001", replies: []string{"Done: job J-1001 is now Wed 25 Nov, 8-10am."}},
		}, &testSlots()[2]},
		{"R, then never mind keeps the booking", bookedScript, []line{
			{say: "R", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "never mind", state: Booked,
				replies: []string{"OK, job J-1001 stays booked for Tue 24 Nov, 8-10am. Reply C to cancel, R to reschedule."}},
		}, &testSlots()[0]},
		{"R, then cancel keeps the booking", bookedScript, []line{
			{say: "reschedule", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "cancel", state: Booked, replies: []string{"stays booked for Tue 24 Nov, 8-10am"}},
		}, &testSlots()[0]},
		{"R, then keep it", bookedScript, []line{
			{say: "move it", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "actually keep it", state: Booked, replies: []string{"stays booked for Tue 24 Nov, 8-10am"}},
			{say: "R", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "C", state: Booked, replies: []string{"stays booked for Tue 24 Nov, 8-10am"}},
		}, &testSlots()[0]},
		{"R, then silence keeps the booking", bookedScript, []line{
			{say: "R", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{tick: 35 * time.Minute, state: AwaitSlot, replies: []string{"Are you still there? We can come"}},
			{tick: 24 * time.Hour, state: Booked, replies: []string{"We haven't heard back, so job J-1001 stays booked for Tue 24 Nov, 8-10am."}},
		}, &testSlots()[0]},
		{"R, then the move fails", bookedScript, []line{
			{say: "R", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "2", fails: true, state: HandedOver, move: "J-1001", alert: "moving job J-1001 failed",
				replies: []string{"I couldn't move that just now. A person from Brightwater will reply here shortly."}},
			{handBack: true, state: Booked, replies: []string{"-"}},
		}, &testSlots()[0]},
		{"R, then a muddled answer gets a hint with the way back", bookedScript, []line{
			{say: "R", state: AwaitSlot, replies: []string{"Let's find", moveOffer}},
			{say: "hmm", state: AwaitSlot, replies: []string{"Please reply 1 or 2 to pick a time, or KEEP to stay with Tue 24 Nov, 8-10am."}},
			{say: "keep", state: Booked, replies: []string{"stays booked"}},
		}, &testSlots()[0]},
		{"R on an emergency job goes to a person", emergencyScript, []line{
			{say: "R", state: HandedOver, alert: "customer asked to reschedule job J-1001",
				replies: []string{"A person from Brightwater will reply here shortly."}},
			{handBack: true, state: Booked, replies: []string{"-"}},
		}, nil},
		{"must move, conversation free", bookedScript, []line{
			{in: mustMoveInput("J-1001"), state: AwaitSlot, replies: []string{
				"Sorry, we need to move your visit for job J-1001 (your technician was called to an emergency). Let's find a new time.", forcedOffer}},
			{say: "1", state: Booked, move: "J-1001", replies: []string{"Done: job J-1001 is now Tue 24 Nov, 10am-12pm."}},
		}, &testSlots()[1]},
		{"must move, customer declines", bookedScript, []line{
			{in: mustMoveInput("J-1001"), state: AwaitSlot, replies: []string{"Sorry, we need to move", forcedOffer}},
			{say: "never mind", state: Booked, alert: "Job J-1001 must be moved, but the customer did not choose a new time",
				replies: []string{"OK. We'll be in touch to arrange a new time for job J-1001."}},
		}, &testSlots()[0]},
		{"must move, customer silent", bookedScript, []line{
			{in: mustMoveInput("J-1001"), state: AwaitSlot, replies: []string{"Sorry, we need to move", forcedOffer}},
			{tick: 25 * time.Hour, state: Booked, alert: "Job J-1001 must be moved",
				replies: []string{"We haven't heard back, so we'll be in touch to arrange a new time for job J-1001."}},
		}, &testSlots()[0]},
		{"must move, conversation busy with a new request", bookedScript, []line{
			{say: "the kitchen sink is blocked", state: ConfirmAddress, replies: []string{"Same address as last time"}},
			{in: mustMoveInput("J-1001"), state: ConfirmAddress,
				alert:   "Job J-1001 must be moved (your technician was called to an emergency); arrange a new time with the customer.",
				replies: []string{"Sorry, we need to move your visit for job J-1001 (your technician was called to an emergency). We'll be in touch to arrange a new time."}},
			{say: "yes", state: AwaitAccess, replies: []string{"get in"}},
		}, nil},
		{"must move, another job", bookedScript, []line{
			{in: mustMoveInput("J-0999"), state: Booked, alert: "Job J-0999 must be moved",
				replies: []string{"job J-0999 (your technician was called to an emergency). We'll be in touch"}},
		}, &testSlots()[0]},
		{"must move, handed over", bookedScript, []line{
			{say: "can I talk to a real person", state: HandedOver, alert: "Needs a person", replies: []string{"A person"}},
			{in: &Input{Kind: MustMove, Job: "J-1001"}, state: HandedOver, alert: "Job J-1001 must be moved; arrange",
				replies: []string{"Sorry, we need to move your visit for job J-1001. We'll be in touch to arrange a new time."}},
		}, &testSlots()[0]},
		{"must move, emergency job has no slot", emergencyScript, []line{
			{in: mustMoveInput("J-1001"), state: Booked, alert: "Job J-1001 must be moved", replies: []string{"We'll be in touch"}},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t)
			play(t, d, append(append([]line(nil), tt.before...), tt.script...))
			if d.s.Moving || d.s.Forced || d.s.OldSlot != nil {
				t.Errorf("move left open: moving %v, forced %v, old slot %v", d.s.Moving, d.s.Forced, d.s.OldSlot)
			}
			if tt.slot != nil && (d.s.Request.Slot == nil || *d.s.Request.Slot != *tt.slot) {
				t.Errorf("request slot = %v, want %v", d.s.Request.Slot, *tt.slot)
			}
			if d.s.LastJob != "J-1001" {
				t.Errorf("LastJob = %q, want J-1001 kept", d.s.LastJob)
			}
		})
	}
}

// TestStepMoveAnswersOnlyWhileMoving: the answers to Reschedule change
// nothing unless a move is under way.
func TestStepMoveAnswersOnlyWhileMoving(t *testing.T) {
	d := newDriver(t)
	play(t, d, bookedScript)
	for _, in := range []Input{{Kind: JobMoved}, {Kind: MoveFailed}, {Kind: SlotTaken, Slots: testSlots()}, {Kind: MustMove}} {
		s, effects := Step(d.s, in, d.c, d.now)
		if len(effects) != 0 || s.State != Booked || *s.Request.Slot != testSlots()[0] {
			t.Errorf("Step(%v) when booked = %q with %d effects, slot %v; want no change", in.Kind, s.State, len(effects), s.Request.Slot)
		}
	}
}
