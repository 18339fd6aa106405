// Package conversation holds the customer side of a chat: the stored session
// of one customer's conversation and the pure rules that move it forward.
// It does no I/O; the bot package loads, steps and saves sessions.
package conversation

import (
	"errors"
	"time"
)

// ErrConflict reports that a session changed between load and save.
var ErrConflict = errors.New("conversation: session changed concurrently")

// State is where a conversation stands.
type State string

// The states a conversation can be in. Later stages are added as intake grows.
const (
	// New is a conversation that has not received a message yet.
	New State = ""
	// Open is a conversation that has been answered at least once.
	Open State = "open"
)

// Session is the stored state of one customer's conversation with one company.
// Version counts committed changes and guards against lost updates.
type Session struct {
	State    State     `json:"state,omitempty"`
	Version  int64     `json:"-"`
	Started  time.Time `json:"started,omitzero"`
	Updated  time.Time `json:"updated,omitzero"`
	Messages int       `json:"messages,omitempty"`
}
