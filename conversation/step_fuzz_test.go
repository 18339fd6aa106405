package conversation

import (
	"strings"
	"testing"
	"time"
)

// FuzzStep feeds messages split from the fuzz input, with wake-ups and
// hand-backs between them, and checks that nothing panics and that the
// conversation always has a way forward: a waiting state has a question
// and a timer, and every other state is one a message or event moves on.
func FuzzStep(f *testing.F) {
	for _, seed := range []string{
		"hi|boiler broken|12 Oak Rd M14 5AB|Sam|none|2",
		"I can smell gas|3 Mill Lane M20 2AA|Tom|yes",
		"water everywhere!!|cancel|start over|talk to a person",
		"how much?|actually it's 14 Oak Rd|||??|1|yes|no",
		"fridge dead|Samsung|SW1A 1AA",
		"tap drips|12 Oak Rd M14 5AB|Sam|none|1|C|yes|C|no|c|",
		"\x00\xff|" + strings.Repeat("a", 2000),
	} {
		f.Add(seed)
	}
	c := testCompany(f)
	f.Fuzz(func(t *testing.T, script string) {
		var s Session
		now := start
		msgs := strings.Split(script, "|")
		if len(msgs) > 30 {
			msgs = msgs[:30]
		}
		for i, m := range msgs {
			now = now.Add(time.Duration(len(m)%90) * time.Minute)
			in := Input{Kind: Text, Text: m}
			switch {
			case m == "" && i%2 == 0:
				in = Input{Kind: Tick}
			case m == "":
				in = Input{Kind: HandBack}
			}
			var effects []Effect
			s, effects = Step(s, in, c, now)
			for round := 0; round < 4; round++ {
				var next *Input
				for _, e := range effects {
					switch e.Kind {
					case FindSlots:
						next = &Input{Kind: SlotsFound, Slots: testSlots()}
					case Book:
						next = &Input{Kind: JobBooked, Job: "J-1001"}
					case CancelJob:
						next = &Input{Kind: JobCancelled}
					}
				}
				if next == nil {
					break
				}
				s, effects = Step(s, *next, c, now)
			}
			if s.State.Waiting() && (s.Asked == "" || s.NudgeAt.IsZero() || s.ExpireAt.IsZero()) {
				t.Fatalf("after %q: state %q waits with question %q, nudge %v, expiry %v", m, s.State, s.Asked, s.NudgeAt, s.ExpireAt)
			}
			switch s.State {
			case AwaitSlots, AwaitBooking, AwaitCancelling:
				t.Fatalf("after %q: left in transient state %q", m, s.State)
			case AwaitSlot:
				if len(s.Offered) == 0 {
					t.Fatalf("after %q: choosing a slot with none offered", m)
				}
			}
			if s.Request.Urgency != "" && s.Request.Trade == "" {
				t.Fatalf("after %q: graded without a trade: %+v", m, s.Request)
			}
		}
	})
}
