package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"dispatchbot/config"
	"dispatchbot/conversation"
)

// Role is what a sender is to a company.
type Role int

// The roles, decided from the company's configured people.
const (
	Customer Role = iota
	Technician
	Dispatcher
)

// String names the role for logs and metrics.
func (r Role) String() string {
	switch r {
	case Technician:
		return "technician"
	case Dispatcher:
		return "dispatcher"
	default:
		return "customer"
	}
}

// Event is what happened to a conversation.
type Event int

// The events a Handler is called for.
const (
	Message  Event = iota // an inbound message, in Turn.In
	Tick                  // a wake-up the conversation asked for is due
	HandBack              // the dispatcher handed the conversation back to the bot
	News                  // news of the customer's job, in Turn.News
)

// String names the event for logs.
func (e Event) String() string {
	switch e {
	case Tick:
		return "tick"
	case HandBack:
		return "hand_back"
	case News:
		return "news"
	default:
		return "message"
	}
}

// Turn is what a Handler sees of one event.
type Turn struct {
	Company *config.Company
	Event   Event
	In      Inbound // the message; for other events only Company and From are set
	Role    Role
	Name    string // the technician's or dispatcher's name; "" for customers
	TechID  string // the technician's id; "" for others
	Session conversation.Session
	Now     time.Time
	News    conversation.Input // for News: what happened to the customer's job
}

// Step is a Handler's decision: the new session, the messages to send and
// when to wake the conversation up next (zero: no change).
type Step struct {
	Session conversation.Session
	Replies []Outbound
	Wake    time.Time
	Jobs    []JobWrite      // job changes, committed with the rest
	Timers  []Timer         // job timers to set
	Duty    map[string]bool // technicians going on (true) or off (false) duty
	Quiet   map[string]bool // dispatchers muting (true) or unmuting routine alerts, by address
}

// Handler answers the messages of one role.
type Handler interface {
	// Handle decides the answer to one message. It must not write anywhere:
	// the Bot commits the returned Step atomically, and calls Handle again
	// with fresh state when a concurrent change wins the race.
	Handle(ctx context.Context, t Turn) (Step, error)
}

// Companies finds companies by id.
type Companies interface {
	Company(id string) (*config.Company, bool)
}

// Options configures a Bot. Store, Companies and the three handlers are required.
type Options struct {
	Companies   Companies
	Store       Store
	StatusLog   StatusLog
	Customers   Handler
	Technicians Handler
	Dispatchers Handler
	Observer    Observer
	Log         *slog.Logger
	Now         func() time.Time
}

// Bot applies inbound messages: it routes each by the sender's role and
// commits the resulting state and replies in one atomic step.
type Bot struct {
	o Options
}

// ErrUnknownCompany reports a message for a company that is not configured.
var ErrUnknownCompany = errors.New("bot: unknown company")

// maxAttempts bounds how often Handle retries a step that lost a race.
const maxAttempts = 10

// New returns a Bot; missing optional parts get quiet defaults.
func New(o Options) *Bot {
	if o.Observer == nil {
		o.Observer = NopObserver{}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Bot{o: o}
}

// Handle applies one inbound message at most once. A message already
// applied is dropped without error. An error means nothing was applied and
// the provider should retry.
func (b *Bot) Handle(ctx context.Context, in Inbound) error {
	return b.apply(ctx, Message, in)
}

// Tick applies a due wake-up to the conversation of who.
func (b *Bot) Tick(ctx context.Context, company string, who Address) error {
	return b.apply(ctx, Tick, Inbound{Company: company, From: who})
}

// HandBack returns the conversation of who from a person to the bot.
func (b *Bot) HandBack(ctx context.Context, company string, who Address) error {
	return b.apply(ctx, HandBack, Inbound{Company: company, From: who})
}

// Notify applies news of a customer's job, such as FeedbackDue or
// MustMove, to the conversation of who.
func (b *Bot) Notify(ctx context.Context, company string, who Address, news conversation.Input) error {
	return b.apply(ctx, News, Inbound{Company: company, From: who}, news)
}

// apply loads, decides and commits one event, stepping again when a
// concurrent change of the same conversation won the race.
func (b *Bot) apply(ctx context.Context, ev Event, in Inbound, news ...conversation.Input) error {
	co, ok := b.o.Companies.Company(in.Company)
	if !ok {
		b.o.Observer.Inbound(in.From.Channel, OutcomeRejected)
		return fmt.Errorf("handle %s: %w", in.Company, ErrUnknownCompany)
	}
	log := b.o.Log.With("company", co.ID, "from", in.From.Masked(), "provider_id", in.ProviderID)
	count := func(outcome string) {
		if ev == Message {
			b.o.Observer.Inbound(in.From.Channel, outcome)
		}
	}
	for i := range maxAttempts {
		outcome, err := b.attempt(ctx, co, ev, in, news)
		switch {
		case errors.Is(err, conversation.ErrConflict):
			// Another event of this conversation won; step again.
			backOff(ctx, i)
			continue
		case errors.Is(err, ErrDuplicate):
			outcome, err = OutcomeDuplicate, nil
		case err != nil:
			count(OutcomeError)
			log.Error("event not applied", "event", ev, "err", err)
			return fmt.Errorf("handle %s: %w", co.ID, err)
		}
		count(outcome)
		log.Debug("event applied", "event", ev, "outcome", outcome)
		return nil
	}
	count(OutcomeError)
	log.Warn("event not applied: conversation kept changing", "event", ev)
	return fmt.Errorf("handle %s: %w", co.ID, conversation.ErrConflict)
}

// attempt loads, decides and commits once, returning the outcome.
func (b *Bot) attempt(ctx context.Context, co *config.Company, ev Event, in Inbound, news []conversation.Input) (string, error) {
	snap, err := b.o.Store.Load(ctx, co.ID, in.From, in.ProviderID)
	if err != nil {
		return "", err
	}
	if snap.Seen {
		return OutcomeDuplicate, nil
	}
	change := Change{Company: co.ID, From: in.From, ProviderID: in.ProviderID}
	outcome := OutcomeHandled
	kw, isKeyword := keywordOf(in)
	switch {
	case ev == Message && isKeyword:
		applyKeyword(&change, kw, co, in, snap)
	case snap.OptedOut:
		// The sender opted out; record the message as seen and send nothing.
		outcome = OutcomeOptedOut
	default:
		t := b.turn(co, in, snap.Session)
		t.Event = ev
		if len(news) > 0 {
			t.News = news[0]
		}
		if ev != Message {
			t.Role = Customer // wake-ups, hand-backs and job news belong to customer conversations
		}
		step, err := b.handler(t.Role).Handle(ctx, t)
		if err != nil {
			return "", fmt.Errorf("%s handler: %w", t.Role, err)
		}
		step.Session.Version = snap.Session.Version
		change.Session = &step.Session
		change.Outbox = step.Replies
		change.Wake = step.Wake
		change.Jobs, change.Timers, change.Duty, change.Quiet = step.Jobs, step.Timers, step.Duty, step.Quiet
		if ev == Message {
			change.Heard, change.At = in.Text, t.Now
		}
	}
	return outcome, b.o.Store.Commit(ctx, change)
}

// turn works out the sender's role and builds what the handler sees.
func (b *Bot) turn(co *config.Company, in Inbound, s conversation.Session) Turn {
	t := Turn{Company: co, In: in, Role: Customer, Session: s, Now: b.o.Now()}
	switch in.From.Channel {
	case SMS, WhatsApp:
		if d, ok := co.DispatcherByPhone(in.From.ID); ok {
			t.Role, t.Name = Dispatcher, d.Name
		} else if tech, ok := co.TechnicianByPhone(in.From.ID); ok {
			t.Role, t.Name, t.TechID = Technician, tech.Name, tech.ID
		}
	case Sim:
		if i, ok := simDispatcher(co, in.From.ID); ok {
			t.Role, t.Name = Dispatcher, co.Dispatchers[i].Name
		} else if tech, ok := techByID(co, strings.TrimPrefix(in.From.ID, SimTechPrefix)); ok && strings.HasPrefix(in.From.ID, SimTechPrefix) {
			t.Role, t.Name, t.TechID = Technician, tech.Name, tech.ID
		}
	case Telegram:
		if id, ok := in.From.TelegramUser(); ok {
			if d, ok := co.DispatcherByTelegram(id); ok {
				t.Role, t.Name = Dispatcher, d.Name
			} else if tech, ok := co.TechnicianByTelegram(id); ok {
				t.Role, t.Name, t.TechID = Technician, tech.Name, tech.ID
			}
		}
	}
	return t
}

func (b *Bot) handler(r Role) Handler {
	switch r {
	case Technician:
		return b.o.Technicians
	case Dispatcher:
		return b.o.Dispatchers
	default:
		return b.o.Customers
	}
}

// HandleStatus records a provider's report on a sent message. A failed
// delivery is logged, counted and kept in the company's failure log; a
// recipient the provider reports as unsubscribed is opted out.
func (b *Bot) HandleStatus(ctx context.Context, s DeliveryStatus) error {
	if !s.Failed() {
		return nil
	}
	co, ok := b.o.Companies.Company(s.Company)
	if !ok {
		return fmt.Errorf("status %s: %w", s.Company, ErrUnknownCompany)
	}
	b.o.Observer.DeliveryFailed(s.To.Channel, true)
	b.o.Log.Warn("delivery failed", "company", s.Company, "to", s.To.Masked(),
		"provider_id", s.ProviderID, "status", s.Status, "code", s.ErrorCode)
	if b.o.StatusLog != nil {
		if err := b.o.StatusLog.RecordFailure(ctx, s); err != nil {
			return fmt.Errorf("status %s: %w", s.Company, err)
		}
	}
	if !isDispatcher(co, s.To) { // a dispatcher's own failures would only fail again
		text := fmt.Sprintf("A text to %s could not be delivered (%s", s.To.String(), s.Status)
		if s.ErrorCode != "" {
			text += ", code " + s.ErrorCode
		}
		text += "). Check the number, or reach them another way."
		if err := b.o.Store.Commit(ctx, Change{Company: co.ID, Outbox: Alerts(co, text, Address{})}); err != nil {
			return fmt.Errorf("status %s: alert: %w", s.Company, err)
		}
	}
	if s.ErrorCode == codeUnsubscribed {
		out := true
		if err := b.o.Store.Commit(ctx, Change{Company: s.Company, From: s.To, OptOut: &out}); err != nil {
			return fmt.Errorf("status %s: opt out: %w", s.Company, err)
		}
	}
	return nil
}

// codeUnsubscribed is Twilio's error for a recipient who replied STOP.
const codeUnsubscribed = "21610"

// isDispatcher reports whether a is one of co's dispatchers.
func isDispatcher(co *config.Company, a Address) bool {
	switch a.Channel {
	case SMS, WhatsApp:
		_, ok := co.DispatcherByPhone(a.ID)
		return ok
	case Telegram:
		id, ok := a.TelegramUser()
		if ok {
			_, ok = co.DispatcherByTelegram(id)
		}
		return ok
	case Sim:
		_, ok := simDispatcher(co, a.ID)
		return ok
	}
	return false
}
