package bot

import (
	"context"
	"strings"
	"time"

	"dispatchbot/conversation"
)

// Acknowledger answers every message with a short receipt and counts the
// conversation's messages. It serves each role until that role's own
// handler is wired in.
type Acknowledger struct{}

var _ Handler = Acknowledger{}

// Handle acknowledges t's message.
func (Acknowledger) Handle(_ context.Context, t Turn) (Step, error) {
	s := t.Session
	if t.Event != Message {
		return Step{Session: s}, nil
	}
	s = counted(s, t.Now)
	var text string
	switch t.Role {
	case Customer:
		if s.Messages == 1 {
			text = "Thanks for contacting " + t.Company.Name + ". We have your message and will reply here shortly."
			if n := t.Company.EmergencyNumbers["emergency"]; n != "" {
				text += " If anyone is in danger, call " + n + " now."
			}
		} else {
			text = "Thanks, we've added that to your request."
		}
	default:
		text = "Hi " + firstName(t.Name) + ", message received."
	}
	return Step{Session: s, Replies: []Outbound{Reply(t.In, text)}}, nil
}

// counted marks one more message in a session that no state machine runs:
// opened on the first, updated on each.
func counted(s conversation.Session, now time.Time) conversation.Session {
	if s.State == conversation.New {
		s.State, s.Started = conversation.Open, now
	}
	s.Updated = now
	s.Messages++
	return s
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return "there"
}
