package web

import (
	"context"

	"dispatchbot/bot"
)

// CompanyRef names one company the API serves.
type CompanyRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Console is what the JSON API and the board read and change: the
// dispatcher's view of each company. bot.Console implements it.
type Console interface {
	// Companies lists the companies, in config order.
	Companies() []CompanyRef
	// Board returns everything the live board shows of company now.
	Board(ctx context.Context, company string) (bot.Board, error)
	// Jobs lists open jobs, filtered like /jobs (a status, urgency or
	// technician; "" for all).
	Jobs(ctx context.Context, company, filter string) ([]bot.BoardJob, error)
	// Job returns one job, "J-1042" or "1042", with its conversation.
	Job(ctx context.Context, company, id string) (bot.BoardJobDetail, error)
	// Technicians lists the technicians with duty status and today's jobs.
	Technicians(ctx context.Context, company string) ([]bot.BoardTech, error)
	// Stats returns the KPIs of "today" or "week".
	Stats(ctx context.Context, company, period string) (bot.StatsReport, error)
	// Act applies one override as dispatcher by (a name for the audit
	// trail). A refusal is a *bot.ActionError.
	Act(ctx context.Context, company, by string, a bot.Action) (bot.ActionResult, error)
}

// Simulator is the web simulator's phones: messages typed on them go to the
// bot through the sim channel; the bot's messages to them come back here.
type Simulator interface {
	// Phones lists the company's simulator phones: a customer, its
	// technicians and its dispatchers.
	Phones(company string) []bot.SimPhone
	// Send delivers text from phone to the bot as an inbound message.
	Send(ctx context.Context, company, phone, text string) error
	// Messages returns the company's simulator messages with Seq > after,
	// oldest first, at most limit.
	Messages(ctx context.Context, company string, after int64, limit int) ([]bot.SimMessage, error)
}
