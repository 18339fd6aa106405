package bot

import (
	"time"

	"dispatchbot/dispatch"
)

// BoardJob is a job as the web board, the JSON API and /jobs show it.
type BoardJob struct {
	dispatch.Job
	TechName   string `json:"tech_name,omitempty"`
	AgeMinutes int    `json:"age_minutes"`       // since the job was created
	HeldBy     string `json:"held_by,omitempty"` // the dispatcher answering the customer in place of the bot
}

// ChatLine is one message of a conversation, as the board shows it.
type ChatLine struct {
	At   time.Time `json:"at"`
	In   bool      `json:"in"` // from the person; false: to them
	Text string    `json:"text"`
}

// BoardJobDetail is a job with its customer's conversation, newest last.
type BoardJobDetail struct {
	BoardJob
	Transcript []ChatLine `json:"transcript"`
}

// BoardTech is a technician with their duty status and today's jobs.
type BoardTech struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Trades  []dispatch.Trade `json:"trades"`
	Areas   []string         `json:"areas"`
	OnDuty  bool             `json:"on_duty"` // not switched off by text or by a dispatcher
	Working bool             `json:"working"` // within their working hours now
	OnCall  bool             `json:"on_call"` // on the after-hours rota now
	Today   []BoardJob       `json:"today"`   // their jobs today, by slot or acceptance time
}

// StatsReport is a company's KPIs over a period, with durations in minutes.
type StatsReport struct {
	Company     string                  `json:"company"`
	From        time.Time               `json:"from"`
	To          time.Time               `json:"to"`
	All         StatsFigures            `json:"all"`
	Technicians map[string]StatsFigures `json:"technicians"`
}

// StatsFigures are dispatch.Stats rounded for people, durations in minutes.
type StatsFigures struct {
	Jobs            int                     `json:"jobs"`
	Completed       int                     `json:"completed"`
	CompletionRate  float64                 `json:"completion_rate"`
	CancelledPct    float64                 `json:"cancelled_pct"`
	NoShowPct       float64                 `json:"no_show_pct"`
	Feedback        float64                 `json:"feedback"`
	FeedbackCount   int                     `json:"feedback_count"`
	MinutesToAccept map[string]MinuteFigure `json:"minutes_to_accept,omitempty"`
	JobsPerTechDay  float64                 `json:"jobs_per_tech_day"`
	DriveKm         float64                 `json:"drive_km"`
}

// MinuteFigure summarises durations in minutes.
type MinuteFigure struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	P90  float64 `json:"p90"`
	Max  float64 `json:"max"`
}

// Board is everything the live board shows of one company at one moment.
type Board struct {
	Company string      `json:"company"`
	Name    string      `json:"name"`
	At      time.Time   `json:"at"`
	Jobs    []BoardJob  `json:"jobs"` // open jobs, then today's finished ones, oldest first
	Techs   []BoardTech `json:"technicians"`
	Stats   StatsReport `json:"stats"` // today
}

// Action is one dispatcher override, from a chat command or the API.
type Action struct {
	Name string `json:"action"` // assign, reassign, cancel, urgency, say, takeover, release, note, duty
	Job  string `json:"job,omitempty"`
	Tech string `json:"tech,omitempty"` // technician id or name
	Arg  string `json:"arg,omitempty"`  // the reason, urgency, text, or "on"/"off" for duty
}

// ActionResult says what an action did, in words for the person who asked.
type ActionResult struct {
	Message string        `json:"message"`
	Job     *dispatch.Job `json:"job,omitempty"`
}

// Why an action was refused.
const (
	RefusedNotFound = "not_found"   // no such job or technician; Msg lists near matches
	RefusedBad      = "bad_request" // malformed: missing or unknown words
	RefusedConflict = "conflict"    // the job's state does not allow it, e.g. cancelling a finished job
)

// ActionError is an action refused; Msg is written for the dispatcher.
type ActionError struct {
	Kind string
	Msg  string
}

// Error returns the explanation.
func (e *ActionError) Error() string { return "bot: action refused: " + e.Msg }

// SimPhone is one phone of the web simulator.
type SimPhone struct {
	ID   string `json:"id"`   // the sim address id, e.g. "customer-1", "tech:alice", "dispatcher:1"
	Role string `json:"role"` // customer, technician or dispatcher
	Name string `json:"name"`
}

// SimMessage is one message to or from a simulator phone.
type SimMessage struct {
	Seq   int64     `json:"seq"`   // increasing per company; ask for those after the last seen
	Phone string    `json:"phone"` // the SimPhone.ID
	In    bool      `json:"in"`    // sent by the phone; false: the bot's message to it
	Text  string    `json:"text"`
	At    time.Time `json:"at"`
}
