// Package conversation holds the customer side of a chat: the stored session
// of one customer's conversation with a company, the triage grader, the
// parsers for free answers, and Step, the pure state machine for intake,
// cancelling, moving and feedback that turns one input into the next
// session and its effects. It does no I/O.
package conversation

import (
	"errors"
	"time"

	"dispatchbot/dispatch"
)

// ErrConflict reports that a session changed between load and save.
var ErrConflict = errors.New("conversation: session changed concurrently")

// State is where a conversation stands.
type State string

// The states of a conversation.
const (
	New             State = ""                // no message yet, or after a finished request
	Open            State = "open"            // answered with a plain acknowledgement
	AwaitProblem    State = "problem"         // asked what is wrong
	AwaitTriage     State = "triage"          // asked whether anyone or anything is at risk
	AwaitDetails    State = "details"         // asked make, model, error code or a photo
	ConfirmAddress  State = "confirm_address" // asked whether last time's address still holds
	AwaitAddress    State = "address"         // asked for the address with postcode
	AwaitName       State = "name"            // asked for the customer's name
	AwaitAccess     State = "access"          // asked for access notes
	AwaitSlots      State = "slots"           // waiting for open slots to offer
	AwaitSlot       State = "slot"            // offered slots, waiting for a choice
	AwaitFee        State = "fee"             // asked to agree to a call-out fee
	AwaitBooking    State = "booking"         // the job is being created
	Booked          State = "booked"          // the job exists; intake is finished
	ConfirmCancel   State = "confirm_cancel"  // asked whether to cancel the booked job
	AwaitCancelling State = "cancelling"      // the job is being cancelled
	AwaitMoving     State = "moving"          // the booked job is being moved to Request.Slot
	AwaitFeedback   State = "feedback"        // asked to score a finished job, LastJob
	HandedOver      State = "human"           // a person answers; the bot stays quiet
	Closed          State = "closed"          // cancelled, out of area or expired
)

// Waiting reports whether the state waits for the customer to answer a question.
func (s State) Waiting() bool {
	switch s {
	case AwaitProblem, AwaitTriage, AwaitDetails, ConfirmAddress, AwaitAddress, AwaitName,
		AwaitAccess, AwaitSlot, AwaitFee, ConfirmCancel:
		return true
	}
	return false
}

// SchemaVersion is the version of the stored session encoding. A release
// that changes the encoding raises it and upgrades older sessions in Upgrade.
const SchemaVersion = 1

// Session is the stored state of one customer's conversation with one
// company. Version counts committed changes and guards against lost updates.
type Session struct {
	Schema   int       `json:"schema,omitempty"`
	State    State     `json:"state,omitempty"`
	Version  int64     `json:"-"`
	Started  time.Time `json:"started,omitzero"`
	Updated  time.Time `json:"updated,omitzero"`
	Messages int       `json:"messages,omitempty"`

	Request Request `json:"req,omitzero"`
	Offered []Slot  `json:"offered,omitempty"`
	Asked   string  `json:"asked,omitempty"`   // the last question, repeated in nudges
	Strikes int     `json:"strikes,omitempty"` // unrecognised answers in a row
	Resume  State   `json:"resume,omitempty"`  // where to go back to after a hand-over

	NudgeAt  time.Time `json:"nudge_at,omitzero"`
	ExpireAt time.Time `json:"expire_at,omitzero"`
	Nudged   bool      `json:"nudged,omitempty"`

	Profile Profile `json:"profile,omitzero"` // kept across requests
	LastJob string  `json:"last_job,omitempty"`

	// A move of LastJob to a new time: while Moving, the slots offered and
	// chosen are for LastJob, and OldSlot is its slot until the move is done.
	Moving  bool  `json:"moving,omitempty"`
	Forced  bool  `json:"forced,omitempty"` // the company asked for the move (MustMove)
	OldSlot *Slot `json:"old_slot,omitempty"`
	// PrevJob is the booked job LastJob goes back to once feedback on an
	// earlier job is given.
	PrevJob string `json:"prev_job,omitempty"`
}

// Request is the job request gathered from the customer.
type Request struct {
	Problem   string         `json:"problem,omitempty"`
	Urgency   Urgency        `json:"urgency,omitempty"`
	Trade     dispatch.Trade `json:"trade,omitempty"`
	Hazard    Hazard         `json:"hazard,omitempty"`
	Reasons   []string       `json:"reasons,omitempty"`
	Triaged   bool           `json:"triaged,omitempty"` // urgency settled (graded confidently or asked)
	Address   string         `json:"address,omitempty"`
	Postcode  string         `json:"postcode,omitempty"`
	Name      string         `json:"name,omitempty"`
	Access    string         `json:"access,omitempty"`
	AccessSet bool           `json:"access_set,omitempty"`
	MakeModel string         `json:"make_model,omitempty"`
	ErrorCode string         `json:"error_code,omitempty"`
	Details   string         `json:"details,omitempty"`
	DetailsOK bool           `json:"details_ok,omitempty"` // details asked and answered (or skipped)
	Photos    []string       `json:"photos,omitempty"`
	Slot      *Slot          `json:"slot,omitempty"`
	Fee       float64        `json:"fee,omitempty"`
	FeeAgreed bool           `json:"fee_agreed,omitempty"`
	// NewAddress is set when the customer said last time's address does not hold.
	NewAddress bool `json:"new_address,omitempty"`
}

// Profile is what the bot remembers of a returning customer.
type Profile struct {
	Name     string `json:"name,omitempty"`
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

// Upgrade brings a session decoded from an older encoding up to SchemaVersion.
func Upgrade(s Session) Session {
	if s.Schema < 1 {
		// Version 0 sessions were plain acknowledgements with nothing to carry over.
		s.Schema = 1
	}
	return s
}
