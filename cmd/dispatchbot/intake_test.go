package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeBooksOverTwilio takes a customer from a first text to a
// confirmed slot, and then cancels it, over the signed Twilio webhook, the
// outbox and the fake Messages API.
func TestServeBooksOverTwilio(t *testing.T) {
	s := startServer(t, nil)
	const customer = "+447700900555"
	steps := []struct{ say, want string }{
		{"Hi, my kitchen sink is blocked and the water won't go down", "address"},
		{"12 Oak Road, M14 5AB", "name"},
		{"Sam Jones", "get in"},
		{"none", "Reply 1, 2 or 3"},
		{"2", "Booked:"},
		{"C", "Cancel job J-1001"},
		{"yes", "Job J-1001 is cancelled."},
	}
	for i, st := range steps {
		sid := "SMflow" + string(rune('a'+i))
		if resp := s.postTwilio(t, smsForm(sid, customer, st.say), "demoauthtoken"); resp.StatusCode != http.StatusOK {
			t.Fatalf("step %d %q: webhook = %d", i, st.say, resp.StatusCode)
		}
		msgs := s.twilio.WaitMessages(t, i+1, 10*time.Second)
		last := msgs[len(msgs)-1]
		if last.To != customer || !strings.Contains(last.Body, st.want) {
			t.Fatalf("step %d %q: reply %q to %s, want it to contain %q", i, st.say, last.Body, last.To, st.want)
		}
	}
	if msgs := s.twilio.Messages(); !strings.Contains(msgs[4].Body, "job J-1001") {
		t.Errorf("confirmation %q lacks the job number", msgs[4].Body)
	}
}
