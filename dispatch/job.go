package dispatch

import (
	"strconv"
	"strings"
	"time"
)

// JobIDPrefix starts every job id, as in "J-1001".
const JobIDPrefix = "J-"

// StatusNew is the status of a job that was just booked and has no
// technician yet.
const StatusNew = "new"

// Job is one piece of work a customer booked. All its times are UTC.
type Job struct {
	ID        string    `json:"id,omitempty"` // "J-1001"
	Number    int64     `json:"n,omitempty"`  // 1001
	Company   string    `json:"co"`
	Status    string    `json:"st"`
	Urgency   string    `json:"urg,omitempty"` // "emergency", "urgent" or "routine"
	Trade     Trade     `json:"tr,omitempty"`
	Problem   string    `json:"prob,omitempty"`
	Address   string    `json:"addr,omitempty"`
	Postcode  string    `json:"pc,omitempty"`
	Name      string    `json:"name,omitempty"`
	Access    string    `json:"acc,omitempty"`
	MakeModel string    `json:"mm,omitempty"`
	ErrorCode string    `json:"ec,omitempty"`
	Details   string    `json:"det,omitempty"`
	Photos    []string  `json:"ph,omitempty"`
	Customer  string    `json:"cust"`          // the customer's channel address, "sms:+44…"
	SlotStart time.Time `json:"ss,omitzero"`   // zero for an emergency
	SlotEnd   time.Time `json:"se,omitzero"`   // zero for an emergency
	Fee       float64   `json:"fee,omitempty"` // the call-out fee quoted
	FeeAgreed bool      `json:"fa,omitempty"`
	Created   time.Time `json:"at"`

	Tech     string        `json:"tech,omitempty"`   // the assigned technician's id
	Offers   []Offer       `json:"offers,omitempty"` // every offer made, oldest first
	Audit    []AuditEntry  `json:"audit,omitempty"`  // every status change, oldest first
	Late     time.Duration `json:"late,omitempty"`   // how late the technician said they run
	Note     string        `json:"note,omitempty"`   // the technician's note when done
	Feedback int           `json:"fb,omitempty"`     // the customer's score, 1 to 5; 0 for none
	Comment  string        `json:"fbc,omitempty"`    // the customer's feedback comment
	Lat      float64       `json:"lat,omitempty"`    // where the job is, when known
	Lon      float64       `json:"lon,omitempty"`

	FirstMessage time.Time `json:"first,omitzero"` // when the customer first wrote about it
	Escalated    time.Time `json:"esc,omitzero"`   // when the dispatcher was told nobody could take it
	Reminded     []string  `json:"rem,omitempty"`  // the reminders sent, by kind and slot
	Held         string    `json:"held,omitempty"` // the dispatcher answering the customer in person, if any
	Notes        []Note    `json:"notes,omitempty"`
}

// Note is a remark on a job that is not a status change: a dispatcher's
// note, an urgency change, a message sent to the customer by hand.
type Note struct {
	At   time.Time `json:"at"`
	By   Actor     `json:"by"`
	Text string    `json:"text"`
}

// JobID formats job number n as its id, "J-" and the number.
func JobID(n int64) string {
	return JobIDPrefix + strconv.FormatInt(n, 10)
}

// ParseJobID returns the number of a job id written as "J-1001", "j-1001"
// or "1001"; ok is false for anything else.
func ParseJobID(id string) (n int64, ok bool) {
	id = strings.TrimSpace(id)
	if len(id) >= len(JobIDPrefix) && strings.EqualFold(id[:len(JobIDPrefix)], JobIDPrefix) {
		id = id[len(JobIDPrefix):]
	}
	if id == "" || id[0] < '0' || id[0] > '9' {
		return 0, false // ParseInt would take a sign
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}
