// Package bot is the glue between channels and the domain: it turns one
// inbound message into the right domain call by the sender's role, commits the
// new state and every reply together through a Store, and delivers replies
// from the outbox through channel Senders.
package bot

import (
	"strconv"
	"time"
)

// Channel is a way of reaching a person.
type Channel string

// The channels the bot speaks on.
const (
	SMS      Channel = "sms"
	WhatsApp Channel = "whatsapp"
	Telegram Channel = "telegram"
	Sim      Channel = "sim"
)

// Address is a person on one channel: an E.164 number for SMS and WhatsApp,
// a chat id for Telegram, a session id for the simulator.
type Address struct {
	Channel Channel `json:"ch"`
	ID      string  `json:"id"`
}

// String formats the address as "channel:id"; it is the address's stable key.
func (a Address) String() string { return string(a.Channel) + ":" + a.ID }

// Masked formats the address for logs, hiding all but the last digits of
// phone numbers and chat ids.
func (a Address) Masked() string { return string(a.Channel) + ":" + MaskID(a.ID) }

// TelegramUser returns the Telegram user id of a private-chat address.
func (a Address) TelegramUser() (int64, bool) {
	if a.Channel != Telegram {
		return 0, false
	}
	id, err := strconv.ParseInt(a.ID, 10, 64)
	return id, err == nil
}

// MaskID hides all but the last three characters of a phone number or id.
func MaskID(id string) string {
	const keep = 3
	if len(id) <= keep {
		return "***"
	}
	b := []byte(id)
	for i := range len(b) - keep {
		if b[i] != '+' {
			b[i] = '*'
		}
	}
	return string(b)
}

// Inbound is one message received from a person on any channel.
type Inbound struct {
	Company    string    // company id
	From       Address   // who sent it; replies go back here
	Via        string    // the company number it was sent to (SMS, WhatsApp); replies go out from it
	Text       string    // the message text
	Media      []string  // links to photos or files sent with it
	ProviderID string    // MessageSid or update_id; the dedupe key
	At         time.Time // when the provider received it, or when we did
}

// Outbound is one message to send to a person.
type Outbound struct {
	Company string  `json:"co"`
	To      Address `json:"to"`
	Via     string  `json:"via,omitempty"` // company number to send from; "" means the company's first
	Text    string  `json:"text"`
	// SkipParts counts the leading parts of a split message that an earlier
	// attempt already delivered.
	SkipParts int `json:"skip,omitempty"`
	// Buttons are quick answers a channel may show under the text (Telegram
	// inline keyboard); pressing one sends its Reply as if typed. Rows of
	// buttons, each row left to right.
	Buttons [][]Button `json:"btn,omitempty"`
	// Routine marks an alert to a dispatcher that can wait: it is dropped
	// for a dispatcher who muted routine alerts (/quiet on).
	Routine bool `json:"routine,omitempty"`
}

// Button is one quick answer under a message.
type Button struct {
	Text  string `json:"t"` // what the button shows
	Reply string `json:"r"` // what pressing it sends, at most 64 bytes
}

// Reply builds an answer to in on the same channel and number.
func Reply(in Inbound, text string) Outbound {
	return Outbound{Company: in.Company, To: in.From, Via: in.Via, Text: text}
}
