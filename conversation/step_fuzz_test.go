package conversation

import (
	"strings"
	"testing"
	"time"
)

// FuzzStep feeds messages split from the fuzz input, with wake-ups,
// hand-backs, feedback requests ("#f…") and forced moves ("#m…") between
// them, and checks that nothing panics and that the conversation always has
// a way forward: a waiting state has a question and a timer, a move or a
// feedback question is well formed, and every other state is one a message
// or event moves on.
func FuzzStep(f *testing.F) {
	for _, seed := range []string{
		"hi|boiler broken|12 Oak Rd M14 5AB|Sam|none|2",
		"I can smell gas|3 Mill Lane M20 2AA|Tom|yes",
		"water everywhere!!|cancel|start over|talk to a person",
		"how much?|actually it's 14 Oak Rd|||??|1|yes|no",
		"fridge dead|Samsung|SW1A 1AA",
		"tap drips|12 Oak Rd M14 5AB|Sam|none|1|C|yes|C|no|c|",
		"\x00\xff|" + strings.Repeat("a", 2000),
		"tap drips|12 Oak Rd M14 5AB|Sam|none|1|R|2|#f|4 great|#m tech ill|r|1|R|never mind",
		"tap drips|12 Oak Rd M14 5AB|Sam|none|1|#m sick|||#f|what|huh|#ff|2 mess",
		"I can smell gas|3 Mill Lane M20 2AA|Tom|yes|R||#m x|#f|call me|",
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
			job := "J-1001"
			if len(m)%2 == 1 {
				job = "J-1002"
			}
			switch {
			case m == "" && i%2 == 0:
				in = Input{Kind: Tick}
			case m == "":
				in = Input{Kind: HandBack}
			case strings.HasPrefix(m, "#f"):
				in = Input{Kind: FeedbackDue, Job: job}
			case strings.HasPrefix(m, "#m"):
				in = Input{Kind: MustMove, Job: job, Text: m[2:]}
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
					case Reschedule:
						next = &Input{Kind: []InputKind{JobMoved, SlotTaken, MoveFailed}[(len(m)+round)%3], Slots: testSlots()}
						if e.Job == "" || e.Job != s.LastJob {
							t.Fatalf("after %q: Reschedule of %q, LastJob %q", m, e.Job, s.LastJob)
						}
					case SaveFeedback:
						if e.Score < 1 || e.Score > 5 || e.Job == "" {
							t.Fatalf("after %q: SaveFeedback %+v", m, e)
						}
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
			case AwaitSlots, AwaitBooking, AwaitCancelling, AwaitMoving:
				t.Fatalf("after %q: left in transient state %q", m, s.State)
			case AwaitFeedback:
				if s.ExpireAt.IsZero() || s.LastJob == "" {
					t.Fatalf("after %q: feedback question without expiry %v or job %q", m, s.ExpireAt, s.LastJob)
				}
			case Booked:
				if s.LastJob == "" {
					t.Fatalf("after %q: booked without a job", m)
				}
			case AwaitSlot:
				if len(s.Offered) == 0 {
					t.Fatalf("after %q: choosing a slot with none offered", m)
				}
			}
			switch moving := s.State == AwaitSlot || s.State == HandedOver; {
			case s.Moving && (!moving || s.OldSlot == nil || s.LastJob == ""):
				t.Fatalf("after %q: moving in state %q, old slot %v, job %q", m, s.State, s.OldSlot, s.LastJob)
			case !s.Moving && (s.OldSlot != nil || s.Forced):
				t.Fatalf("after %q: move left over: old slot %v, forced %v", m, s.OldSlot, s.Forced)
			case s.PrevJob != "" && s.State != AwaitFeedback:
				t.Fatalf("after %q: PrevJob %q left in state %q", m, s.PrevJob, s.State)
			}
			if s.Request.Urgency != "" && s.Request.Trade == "" {
				t.Fatalf("after %q: graded without a trade: %+v", m, s.Request)
			}
		}
	})
}
