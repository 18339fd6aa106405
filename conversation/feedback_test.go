package conversation

import (
	"testing"
	"time"
)

const feedbackAsk = "Job J-1001 is done. How did we do? Reply with a score from 1 to 5 (5 is best), and add a comment if you like."

func feedbackDueInput(job string) *Input { return &Input{Kind: FeedbackDue, Job: job} }

func TestStepFeedback(t *testing.T) {
	tests := []struct {
		name    string
		script  []line
		lastJob string // LastJob at the end
	}{
		{"score with a comment is saved", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "4 - tidy work but a bit late", state: New, replies: []string{"Thanks for your feedback!"},
				saved: &Effect{Kind: SaveFeedback, Job: "J-1001", Score: 4, Text: "tidy work but a bit late"}},
			{say: "the kitchen sink is blocked", state: ConfirmAddress, replies: []string{"Hi Sam, thanks for contacting Brightwater again. Same address as last time, 12 Oak Rd?"}},
		}, "J-1001"},
		{"low score alerts the dispatchers", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "2 he left a mess", state: New, alert: "Low feedback 2/5 on job J-1001: he left a mess",
				replies: []string{"Thanks for your feedback! We're sorry it wasn't better; someone will be in touch."},
				saved:   &Effect{Kind: SaveFeedback, Job: "J-1001", Score: 2, Text: "he left a mess"}},
		}, "J-1001"},
		{"low score without a comment", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "⭐", state: New, alert: "Low feedback 1/5 on job J-1001: no comment", replies: []string{"We're sorry"},
				saved: &Effect{Kind: SaveFeedback, Job: "J-1001", Score: 1}},
		}, "J-1001"},
		{"two unclear answers end it without a person", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "what do you mean", state: AwaitFeedback, replies: []string{"Please reply with a number from 1 to 5."}},
			{say: "dunno really", state: New, replies: []string{"Thanks anyway."}},
		}, "J-1001"},
		{"no thanks ends it", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "no thanks", state: New, replies: []string{"Thanks anyway."}},
		}, "J-1001"},
		{"a new problem starts a request", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "the kitchen sink is blocked", state: ConfirmAddress, replies: []string{"Hi Sam"}},
		}, "J-1001"},
		{"asked twice for the same job", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{"-"}},
			{say: "5", state: New, replies: []string{"Thanks for your feedback!"},
				saved: &Effect{Kind: SaveFeedback, Job: "J-1001", Score: 5}},
		}, "J-1001"},
		{"expires quietly", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{tick: 24 * time.Hour, state: AwaitFeedback, replies: []string{"-"}},
			{tick: 48 * time.Hour, state: New, replies: []string{"-"}},
			{say: "the kitchen sink is blocked", state: ConfirmAddress, replies: []string{"Hi Sam"}},
		}, "J-1001"},
		{"asking for a person ends the question", []line{
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "call me", state: HandedOver, alert: "customer asked for a person", replies: []string{"A person"}},
			{handBack: true, state: New, replies: []string{"-"}},
		}, "J-1001"},
		{"not asked in the middle of a request", []line{
			{say: "the shower is dripping", state: ConfirmAddress, replies: []string{"Same address"}},
			{in: feedbackDueInput("J-1001"), state: ConfirmAddress, replies: []string{"-"}},
		}, "J-1001"},
		{"a later booking comes back after the feedback", []line{
			{say: "the kitchen sink is blocked", state: ConfirmAddress, replies: []string{"Same address"}},
			{say: "yes", state: AwaitAccess, replies: []string{"get in"}},
			{say: "none", state: AwaitSlot, replies: []string{"We can come"}},
			{say: "3", state: Booked, replies: []string{"(job J-1002)"}},
			{in: feedbackDueInput("J-1001"), state: AwaitFeedback, replies: []string{feedbackAsk}},
			{say: "5 stars", state: Booked, replies: []string{"Thanks for your feedback!"},
				saved: &Effect{Kind: SaveFeedback, Job: "J-1001", Score: 5}},
			{say: "C", state: ConfirmCancel, replies: []string{"Cancel job J-1002 (Wed 25 Nov, 8-10am)?"}},
		}, "J-1002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t)
			play(t, d, bookedScript)
			play(t, d, tt.script)
			if d.s.LastJob != tt.lastJob || d.s.PrevJob != "" {
				t.Errorf("LastJob, PrevJob = %q, %q, want %q, \"\"", d.s.LastJob, d.s.PrevJob, tt.lastJob)
			}
			if d.s.Profile.Name != "Sam" || d.s.Profile.Postcode != "M14 5AB" {
				t.Errorf("profile = %+v, want Sam at M14 5AB kept", d.s.Profile)
			}
		})
	}
}

// TestStepFeedbackDue checks the question's timer and that a repeat or
// a busy conversation gets no effects at all.
func TestStepFeedbackDue(t *testing.T) {
	d := newDriver(t)
	play(t, d, bookedScript)
	s, effects := Step(d.s, Input{Kind: FeedbackDue, Job: "J-1001"}, d.c, d.now)
	want := d.now.Add(72 * time.Hour)
	if s.State != AwaitFeedback || !s.ExpireAt.Equal(want) || !s.NudgeAt.IsZero() {
		t.Fatalf("after FeedbackDue: state %q, expiry %v, nudge %v; want %q, %v, none", s.State, s.ExpireAt, s.NudgeAt, AwaitFeedback, want)
	}
	if len(effects) != 2 || effects[0].Kind != Wake || !effects[0].At.Equal(want) || effects[1].Kind != Reply {
		t.Fatalf("effects = %+v, want a wake-up at %v and the question", effects, want)
	}
	if again, effects := Step(s, Input{Kind: FeedbackDue, Job: "J-1001"}, d.c, d.now.Add(time.Hour)); len(effects) != 0 || again.ExpireAt != s.ExpireAt {
		t.Errorf("second FeedbackDue: %d effects, expiry %v; want none and %v", len(effects), again.ExpireAt, s.ExpireAt)
	}
	d.say("the shower is dripping")
	busy := d.s
	for _, in := range []Input{{Kind: FeedbackDue, Job: "J-1001"}, {Kind: FeedbackDue}} {
		if s, effects := Step(busy, in, d.c, d.now); len(effects) != 0 || s.State != busy.State {
			t.Errorf("FeedbackDue(%q) while %q = %q with %d effects, want no change", in.Job, busy.State, s.State, len(effects))
		}
	}
}
