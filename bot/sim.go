package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SimLog keeps the web simulator's messages.
type SimLog interface {
	// AppendSim stores m with the company's next sequence number.
	AppendSim(ctx context.Context, company string, m SimMessage) (int64, error)
	// SimMessages returns messages with Seq > after, oldest first, at most limit.
	SimMessages(ctx context.Context, company string, after int64, limit int) ([]SimMessage, error)
}

// SimSender delivers outbound messages of the sim channel to the web
// simulator's phones: the delivery workers hand it the sim channel's
// messages like any other Sender.
type SimSender struct {
	Log SimLog
	Now func() time.Time // nil means time.Now
}

var _ Sender = (*SimSender)(nil)

// Send stores m for the phone it is addressed to.
func (s *SimSender) Send(ctx context.Context, m Outbound) error {
	if m.To.Channel != Sim {
		return fmt.Errorf("sim send to %s: %w", m.To.Masked(), ErrPermanent)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if _, err := s.Log.AppendSim(ctx, m.Company, SimMessage{Phone: m.To.ID, Text: m.Text, At: now().UTC()}); err != nil {
		return fmt.Errorf("sim send: %w", err)
	}
	return nil
}

// Simulator runs the web simulator's phones: what is typed on one goes to
// the Bot as an inbound message of the sim channel, exactly as a webhook
// hands over an SMS or a Telegram message.
type Simulator struct {
	companies Companies
	bot       *Bot
	log       SimLog
	now       func() time.Time
}

// NewSimulator returns the simulator for companies, handing messages to b.
func NewSimulator(companies Companies, b *Bot, log SimLog) *Simulator {
	return &Simulator{companies: companies, bot: b, log: log, now: time.Now}
}

// Phones lists the company's simulator phones; none for an unknown company.
func (s *Simulator) Phones(company string) []SimPhone {
	co, ok := s.companies.Company(company)
	if !ok {
		return nil
	}
	return SimPhones(co)
}

// Send records text as sent by phone and hands it to the bot.
func (s *Simulator) Send(ctx context.Context, company, phone, text string) error {
	if !slices.ContainsFunc(s.Phones(company), func(p SimPhone) bool { return p.ID == phone }) {
		return &ActionError{Kind: RefusedNotFound, Msg: fmt.Sprintf("No simulator phone %q.", phone)}
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return &ActionError{Kind: RefusedBad, Msg: "The message is empty."}
	}
	now := s.now()
	if _, err := s.log.AppendSim(ctx, company, SimMessage{Phone: phone, In: true, Text: text, At: now.UTC()}); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	var id [8]byte
	_, _ = rand.Read(id[:]) // crypto/rand never fails on supported platforms
	return s.bot.Handle(ctx, Inbound{Company: company, From: Address{Channel: Sim, ID: phone}, Text: text,
		ProviderID: "sim-" + hex.EncodeToString(id[:]), At: now})
}

// Messages returns the company's simulator messages after seq after.
func (s *Simulator) Messages(ctx context.Context, company string, after int64, limit int) ([]SimMessage, error) {
	return s.log.SimMessages(ctx, company, after, limit)
}
