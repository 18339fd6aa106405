package conversation

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSessionEncodingSurvivesRelease: a session stored by an earlier
// release (schema 0: no schema field) decodes, upgrades and goes on; a
// current session round-trips unchanged.
func TestSessionEncodingSurvivesRelease(t *testing.T) {
	old := []byte(`{"state":"open","started":"2026-11-20T10:00:00Z","updated":"2026-11-20T10:05:00Z","messages":2}`)
	var s Session
	if err := json.Unmarshal(old, &s); err != nil {
		t.Fatalf("decode schema-0 session: %v", err)
	}
	s = Upgrade(s)
	if s.Schema != SchemaVersion || s.Messages != 2 || s.State != Open {
		t.Fatalf("upgraded session = %+v", s)
	}
	c := testCompany(t)
	s, effects := Step(s, Input{Kind: Text, Text: "the bathroom tap is dripping"}, c, start)
	if s.State != AwaitAddress || len(effects) == 0 {
		t.Fatalf("after a message, upgraded session is %q with %d effects, want a new request asking for the address", s.State, len(effects))
	}

	slot := testSlots()[0]
	cur := Session{Schema: SchemaVersion, State: AwaitSlot, Started: start, Updated: start.Add(time.Minute), Messages: 5,
		Request: Request{Problem: "no hot water", Urgency: Urgent, Trade: "plumbing", Postcode: "M14 5AB", Slot: &slot, Photos: []string{"https://x/1.jpg"}},
		Offered: testSlots(), Asked: "Reply 1, 2 or 3.", NudgeAt: start.Add(30 * time.Minute), Profile: Profile{Name: "Sam"},
		LastJob: "J-1001", Moving: true, Forced: true, OldSlot: &testSlots()[2], PrevJob: "J-1000"}
	b, err := json.Marshal(cur)
	if err != nil {
		t.Fatal(err)
	}
	var back Session
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cur, back); diff != "" {
		t.Errorf("session round trip (-want +got):\n%s", diff)
	}
}
