package conversation

import (
	"strings"
	"testing"
	"time"

	"dispatchbot/dispatch"
)

// testCompany is a Manchester plumbing and heating firm.
func testCompany(t testing.TB) *Company {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGrader(DefaultTriageRules())
	if err != nil {
		t.Fatal(err)
	}
	var hours dispatch.Week
	for d := time.Monday; d <= time.Friday; d++ {
		hours[d] = []dispatch.Span{{From: 8 * time.Hour, To: 18 * time.Hour}}
	}
	return &Company{
		Name: "Brightwater", Region: "GB", Location: loc,
		Areas:            []string{"M1", "M14", "M20"},
		EmergencyNumbers: map[string]string{"emergency": "999", "gas": "0800 111 999"},
		Hours:            hours,
		Fees:             Fees{Currency: "GBP", Standard: 80, AfterHours: 120, Emergency: 150},
		PriceNotes:       "Labour £60/hour after the first hour.",
		Grader:           g,
	}
}

// start is Monday 23 November 2026, 09:00 in London.
var start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// testSlots are the three slots the fake scheduler offers.
func testSlots() []Slot {
	day := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	return []Slot{
		{Start: day, End: day.Add(2 * time.Hour)},
		{Start: day.Add(2 * time.Hour), End: day.Add(4 * time.Hour)},
		{Start: day.Add(24 * time.Hour), End: day.Add(26 * time.Hour)},
	}
}

// driver plays a conversation the way bot.Intake does, with a fake
// scheduler: slots are testSlots, and the first booking is J-1001.
type driver struct {
	t         *testing.T
	c         *Company
	s         Session
	now       time.Time
	jobs      int
	taken     bool // the next booking or move finds its slot taken
	moveFails bool // the next move fails
	replies   []string
	alerts    []string
	moves     []string // the jobs Reschedule effects named
	saved     []Effect // SaveFeedback effects
	wake      time.Time
}

func newDriver(t *testing.T) *driver {
	return &driver{t: t, c: testCompany(t), now: start}
}

// feed applies one input and every effect it causes.
func (d *driver) feed(in Input) {
	d.t.Helper()
	d.replies, d.alerts, d.moves, d.saved = nil, nil, nil, nil
	s, effects := Step(d.s, in, d.c, d.now)
	for round := 0; round < 5; round++ {
		var next *Input
		for _, e := range effects {
			switch e.Kind {
			case Reply:
				d.replies = append(d.replies, e.Text)
			case Alert:
				d.alerts = append(d.alerts, e.Text)
			case Wake:
				d.wake = e.At
			case FindSlots:
				next = &Input{Kind: SlotsFound, Slots: testSlots()}
			case CancelJob:
				next = &Input{Kind: JobCancelled}
			case SaveFeedback:
				d.saved = append(d.saved, e)
			case Reschedule:
				d.moves = append(d.moves, e.Job)
				switch {
				case d.taken:
					d.taken = false
					next = &Input{Kind: SlotTaken, Slots: testSlots()[1:]}
				case d.moveFails:
					d.moveFails = false
					next = &Input{Kind: MoveFailed}
				default:
					next = &Input{Kind: JobMoved}
				}
			case Book:
				if d.taken {
					d.taken = false
					next = &Input{Kind: SlotTaken, Slots: testSlots()[1:]}
					break
				}
				d.jobs++
				next = &Input{Kind: JobBooked, Job: "J-100" + string(rune('0'+d.jobs))}
			}
		}
		if next == nil {
			break
		}
		s, effects = Step(s, *next, d.c, d.now)
	}
	d.s = s
}

func (d *driver) say(text string) { d.t.Helper(); d.feed(Input{Kind: Text, Text: text}) }

// line is one step of a transcript: what happens, and what must follow.
type line struct {
	say      string        // a customer message
	tick     time.Duration // or: time passes by this much, then a wake-up fires
	handBack bool          // or: the dispatcher hands the conversation back
	in       *Input        // or: this input arrives
	taken    bool          // the booking or move this step makes finds its slot taken
	fails    bool          // the move this step makes fails

	state   State    // the state after it
	replies []string // each reply must contain these, in order; "-" means no reply at all
	alert   string   // an alert to dispatchers must contain this
	move    string   // a Reschedule effect must name this job; "" means none may be made
	saved   *Effect  // the one SaveFeedback effect this step must make; nil means none
}

func play(t *testing.T, d *driver, script []line) {
	t.Helper()
	for i, l := range script {
		d.taken, d.moveFails = l.taken, l.fails
		switch {
		case l.in != nil:
			d.feed(*l.in)
		case l.tick > 0:
			d.now = d.now.Add(l.tick)
			d.feed(Input{Kind: Tick})
		case l.handBack:
			d.feed(Input{Kind: HandBack})
		default:
			d.now = d.now.Add(time.Minute)
			d.say(l.say)
		}
		what := l.say
		if what == "" {
			what = "(event)"
		}
		if d.s.State != l.state {
			t.Fatalf("line %d %q: state = %q, want %q; replies %q", i, what, d.s.State, l.state, d.replies)
		}
		if len(l.replies) == 1 && l.replies[0] == "-" {
			if len(d.replies) != 0 {
				t.Fatalf("line %d %q: replies %q, want none", i, what, d.replies)
			}
		} else if len(d.replies) != len(l.replies) {
			t.Fatalf("line %d %q: %d replies %q, want %d", i, what, len(d.replies), d.replies, len(l.replies))
		}
		for j, want := range l.replies {
			if want != "-" && !strings.Contains(d.replies[j], want) {
				t.Fatalf("line %d %q: reply %d = %q, want it to contain %q", i, what, j, d.replies[j], want)
			}
		}
		for _, r := range d.replies {
			if n := len([]rune(r)); n > 306 && !strings.Contains(r, "We can come") {
				t.Errorf("line %d: reply of %d characters is longer than two SMS segments: %q", i, n, r)
			}
		}
		if l.alert != "" && !containsAny(d.alerts, l.alert) {
			t.Fatalf("line %d %q: alerts %q, want one containing %q", i, what, d.alerts, l.alert)
		}
		if l.alert == "" && len(d.alerts) > 0 {
			t.Fatalf("line %d %q: unexpected alerts %q", i, what, d.alerts)
		}
		if l.move == "" && len(d.moves) > 0 || l.move != "" && !containsAny(d.moves, l.move) {
			t.Fatalf("line %d %q: moves %q, want %q", i, what, d.moves, l.move)
		}
		switch {
		case l.saved == nil && len(d.saved) > 0:
			t.Fatalf("line %d %q: unexpected feedback saved %+v", i, what, d.saved)
		case l.saved != nil && (len(d.saved) != 1 || d.saved[0] != *l.saved):
			t.Fatalf("line %d %q: feedback saved %+v, want %+v", i, what, d.saved, *l.saved)
		}
	}
}

func containsAny(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestStepTranscripts(t *testing.T) {
	tests := []struct {
		name   string
		script []line
	}{
		{"routine happy path", []line{
			{say: "Hi, could someone service my boiler sometime next week?", state: AwaitDetails,
				replies: []string{"Thanks for contacting Brightwater. What make and model"}},
			{say: "its a Worcester Bosch Greenstar 30i", state: AwaitAddress, replies: []string{"address, with postcode"}},
			{say: "12 Oak Road, M14 5AB", state: AwaitName, replies: []string{"your name"}},
			{say: "Sam Jones", state: AwaitAccess, replies: []string{"get in"}},
			{say: "none", state: AwaitSlot, replies: []string{"1) Tue 24 Nov, 8-10am\n2) Tue 24 Nov, 10am-12pm\n3) Wed 25 Nov, 8-10am\nReply 1, 2 or 3."}},
			{say: "2", state: Booked, replies: []string{"Booked: Tue 24 Nov, 10am-12pm at 12 Oak Road (job J-1001)"}},
		}},
		{"urgent happy path", []line{
			{say: "kitchen tap is leaking quite badly, ive put a bowl under it. today or tomorrow please", state: AwaitAddress,
				replies: []string{"Thanks for contacting Brightwater. What's the address"}},
			{say: "Flat 2, 40 Wilmslow Rd M14 5TQ", state: AwaitName, replies: []string{"name"}},
			{say: "its Priya", state: AwaitAccess, replies: []string{"get in"}},
			{say: "buzz flat 2, dog is friendly", state: AwaitSlot, replies: []string{"We can come"}},
			{say: "the first one", state: Booked, replies: []string{"Booked: Tue 24 Nov, 8-10am"}},
		}},
		{"emergency: safety first, then straight to dispatch", []line{
			{say: "I can smell gas in the kitchen", state: AwaitAddress, alert: "EMERGENCY",
				replies: []string{"leave the building now", "address"}},
			{say: "3 Mill Lane, M20 2AA", state: AwaitName, replies: []string{"name"}},
			{say: "Tom", state: AwaitFee, replies: []string{"emergency call-out fee is £150"}},
			{say: "yes", state: Booked, alert: "EMERGENCY job J-1001 booked. emergency hvac (gas) — \"I can smell gas in the kitchen\" — Tom — 3 Mill Lane M20 2AA",
				replies: []string{"technician is being sent to 3 Mill Lane"}},
		}},
		{"full first message skips what it answers", []line{
			{say: "Water pouring through my ceiling from a burst pipe at 12 Oak Rd M14 5AB, I'm Sam", state: AwaitFee,
				alert: "EMERGENCY", replies: []string{"stopcock", "£150"}},
			{say: "ok go ahead", state: Booked, alert: "EMERGENCY job J-1001 booked", replies: []string{"J-1001"}},
		}},
		{"corrections", []line{
			{say: "my washing machine won't drain", state: AwaitDetails, replies: []string{"make and model"}},
			{say: "Bosch, error E18", state: AwaitAddress, replies: []string{"address"}},
			{say: "12 Oak Rd M14 5AB", state: AwaitName, replies: []string{"name"}},
			{say: "actually it's 14 Oak Rd", state: AwaitName, replies: []string{"14 Oak Rd"}},
			{say: "Sam", state: AwaitAccess, replies: []string{"get in"}},
		}},
		{"cancel", []line{
			{say: "dishwasher is leaking a bit", state: AwaitDetails, replies: []string{"make and model"}},
			{say: "cancel", state: Closed, replies: []string{"cancelled"}},
			{say: "hello", state: AwaitProblem, replies: []string{"What's the problem"}},
		}},
		{"start over", []line{
			{say: "need a quote for a new radiator", state: AwaitDetails, replies: []string{"make and model"}},
			{say: "start over", state: AwaitProblem, replies: []string{"start again"}},
			{say: "the toilet is blocked and it's our only one", state: AwaitAddress, replies: []string{"address"}},
		}},
		{"out of area", []line{
			{say: "blocked drain outside", state: AwaitAddress, replies: []string{"address"}},
			{say: "5 Queen St, SW1A 1AA", state: Closed, replies: []string{"outside the area"}},
		}},
		{"hand-over and hand-back", []line{
			{say: "fridge stopped cooling", state: AwaitDetails, replies: []string{"make and model"}},
			{say: "can I talk to a real person please", state: HandedOver, alert: "Needs a person",
				replies: []string{"A person from Brightwater will reply"}},
			{say: "it's a Samsung by the way", state: HandedOver, alert: "Samsung", replies: []string{"-"}},
			{handBack: true, state: AwaitDetails, replies: []string{"Thanks for waiting. What make and model"}},
		}},
		{"two answers not understood hand over", []line{
			{say: "the kitchen light flickers", state: AwaitAddress, replies: []string{"address"}},
			{say: "why do you need that", state: AwaitAddress, replies: []string{"full address"}},
			{say: "no", state: HandedOver, alert: "did not understand", replies: []string{"A person"}},
		}},
		{"nudge, then expiry", []line{
			{say: "shower is dripping", state: AwaitAddress, replies: []string{"address"}},
			{tick: 10 * time.Minute, state: AwaitAddress, replies: []string{"-"}},
			{tick: 25 * time.Minute, state: AwaitAddress, replies: []string{"Are you still there? What's the address"}},
			{tick: 2 * time.Hour, state: AwaitAddress, replies: []string{"-"}},
			{tick: 24 * time.Hour, state: Closed, replies: []string{"closed this request"}},
		}},
		{"unclear urgency: one triage question, answered no", []line{
			{say: "theres a funny smell near the boiler", state: AwaitTriage,
				replies: []string{"Thanks for contacting Brightwater. Is water, gas or electricity out of control, or is anyone at risk right now? Reply YES or NO."}},
			{say: "no, nothing like that", state: AwaitDetails, replies: []string{"make and model"}},
		}},
		{"unclear urgency: one triage question, answered yes", []line{
			{say: "water near the fuse box?", state: AwaitTriage, replies: []string{"Reply YES or NO"}},
			{say: "yes", state: AwaitAddress, alert: "EMERGENCY", replies: []string{"keep away from electrics", "address"}},
		}},
		{"price question mid-intake", []line{
			{say: "outside tap is leaking", state: AwaitAddress, replies: []string{"address"}},
			{say: "how much do you charge?", state: AwaitAddress, replies: []string{"£80 in normal hours", "address"}},
		}},
		{"slot taken while choosing", []line{
			{say: "no hot water, combi boiler", state: AwaitDetails, replies: []string{"make and model"}},
			{say: "dont know", state: AwaitAddress, replies: []string{"address"}},
			{say: "12 Oak Rd M14 5AB", state: AwaitName, replies: []string{"name"}},
			{say: "Sam", state: AwaitAccess, replies: []string{"get in"}},
			{say: "no", state: AwaitSlot, replies: []string{"We can come"}},
			{say: "1", taken: true, state: AwaitSlot, replies: []string{"just been taken. We can come:\n1) Tue 24 Nov, 10am-12pm"}},
			{say: "1", state: Booked, replies: []string{"Booked: Tue 24 Nov, 10am-12pm"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			play(t, newDriver(t), tt.script)
		})
	}
}

func TestStepReturningCustomer(t *testing.T) {
	d := newDriver(t)
	play(t, d, []line{
		{say: "my boiler is due its annual service", state: AwaitDetails, replies: []string{"make and model"}},
		{say: "Vaillant ecotec", state: AwaitAddress, replies: []string{"address"}},
		{say: "12 Oak Rd M14 5AB", state: AwaitName, replies: []string{"name"}},
		{say: "Sam", state: AwaitAccess, replies: []string{"get in"}},
		{say: "none", state: AwaitSlot, replies: []string{"We can come"}},
		{say: "3", state: Booked, replies: []string{"J-1001"}},
		{say: "thanks!", state: Booked, replies: []string{"job J-1001 is booked"}},
		// Weeks later, a new problem.
		{say: "the kitchen sink is blocked", state: ConfirmAddress,
			replies: []string{"Hi Sam, thanks for contacting Brightwater again. Same address as last time, 12 Oak Rd?"}},
		{say: "yes", state: AwaitAccess, replies: []string{"get in"}},
	})
	if d.s.Request.Name != "Sam" || d.s.Request.Postcode != "M14 5AB" {
		t.Errorf("request = %+v, want Sam at M14 5AB from the profile", d.s.Request)
	}
}

func TestStepCancelAfterBooking(t *testing.T) {
	booked := []line{
		{say: "the bathroom tap is dripping", state: AwaitAddress, replies: []string{"address"}},
		{say: "12 Oak Rd M14 5AB", state: AwaitName, replies: []string{"name"}},
		{say: "Sam", state: AwaitAccess, replies: []string{"get in"}},
		{say: "none", state: AwaitSlot, replies: []string{"We can come"}},
		{say: "1", state: Booked, replies: []string{"(job J-1001). Reply C to cancel, R to reschedule."}},
	}
	tests := []struct {
		name   string
		script []line
	}{
		{"confirmed", []line{
			{say: "C", state: ConfirmCancel, replies: []string{"Cancel job J-1001 (Tue 24 Nov, 8-10am)? Reply YES to cancel it, or NO to keep it."}},
			{say: "yes", state: Closed, replies: []string{"Job J-1001 is cancelled."}},
			{say: "my boiler needs a service", state: AwaitDetails, replies: []string{"Hi Sam"}},
		}},
		{"kept", []line{
			{say: "c", state: ConfirmCancel, replies: []string{"Reply YES to cancel it"}},
			{say: "no", state: Booked, replies: []string{"stays booked"}},
		}},
		{"cancel word while asked", []line{
			{say: "c", state: ConfirmCancel, replies: []string{"Reply YES to cancel it"}},
			{say: "cancel", state: Closed, replies: []string{"is cancelled"}},
		}},
		{"left unanswered keeps the booking", []line{
			{say: "c", state: ConfirmCancel, replies: []string{"Reply YES to cancel it"}},
			{tick: 2 * time.Hour, state: Booked, replies: []string{"-"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			play(t, newDriver(t), append(append([]line(nil), booked...), tt.script...))
		})
	}
}

func TestStepIgnoresStaleEvents(t *testing.T) {
	d := newDriver(t)
	d.say("shower is dripping")
	before := d.s
	for _, in := range []Input{{Kind: HandBack}, {Kind: JobBooked, Job: "J-9"}, {Kind: SlotsFound, Slots: testSlots()}} {
		s, effects := Step(before, in, d.c, d.now)
		if len(effects) != 0 || s.State != before.State {
			t.Errorf("Step(%v) in state %q = %q with %d effects, want no change", in.Kind, before.State, s.State, len(effects))
		}
	}
}
