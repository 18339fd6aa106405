package bot

import (
	"context"
	"errors"
	"time"

	"dispatchbot/conversation"
)

// ErrDuplicate reports that a provider message was already applied.
var ErrDuplicate = errors.New("bot: message already applied")

// Store keeps conversation state and the outbox. Each inbound message costs
// one Load and one Commit.
type Store interface {
	// Load reads what one inbound message needs: the sender's session (zero
	// with Version 0 when new), whether providerID was already applied and
	// whether the sender has opted out.
	Load(ctx context.Context, company string, from Address, providerID string) (Snapshot, error)
	// Commit applies c atomically: all of it or nothing. It returns
	// ErrDuplicate when c.ProviderID was already applied and
	// conversation.ErrConflict when the session's or a job's version moved
	// since it was loaded.
	Commit(ctx context.Context, c Change) error
}

// Snapshot is the state loaded for one inbound message.
type Snapshot struct {
	Session  conversation.Session
	Seen     bool // the provider message was already applied
	OptedOut bool // the sender texted STOP and not START since
}

// Change is one atomic step: the new session, the opt-out flag and the
// outgoing messages, committed together.
type Change struct {
	Company    string
	From       Address
	ProviderID string // marked as applied; "" for changes not caused by a message
	// Session, when not nil, replaces the stored session. Its Version must be
	// the version loaded; the store saves it as Version+1.
	Session *conversation.Session
	// OptOut, when not nil, sets or clears the sender's opt-out.
	OptOut *bool
	// Outbox holds the messages to send, in order.
	Outbox []Outbound
	// Wake, when not zero, asks for a wake-up of From's conversation at that
	// time (see Wakes); it replaces any earlier one.
	Wake time.Time
	// Jobs replaces stored jobs, each guarded by the version it was loaded at.
	Jobs []JobWrite
	// Timers sets job timers; one with the member of an existing timer moves it.
	Timers []Timer
	// Duty sets technicians on (true) or off (false) duty.
	Duty map[string]bool
	// Quiet mutes (true) or unmutes (false) routine alerts to dispatchers,
	// keyed by the dispatcher's Address.String().
	Quiet map[string]bool
	// Heard is the inbound message's text, kept in From's transcript with
	// the messages of Outbox (each in its recipient's); "" keeps nothing.
	Heard string
	// At is when the change happened, for the transcript; zero means now.
	At time.Time
}

// Wakes hands out the wake-ups that conversations asked for.
type Wakes interface {
	// DueWakes leases up to limit conversations of company whose wake-up is
	// due at now. A leased wake-up is handed to no one else until lease
	// passes; if it is not finished by then, it is handed out again.
	DueWakes(ctx context.Context, company string, now time.Time, lease time.Duration, limit int) ([]Wake, error)
	// FinishWake removes a leased wake-up unless the conversation asked for
	// a new one meanwhile.
	FinishWake(ctx context.Context, w Wake) error
}

// Wake is one leased wake-up of a conversation.
type Wake struct {
	Company string
	Who     Address
	Lease   int64 // identifies the lease; FinishWake needs it
}
