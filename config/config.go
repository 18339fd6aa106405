// Package config loads and validates the YAML config file and the process
// environment. Everything the service is told about companies, channels,
// dispatchers and technicians enters through here, checked and normalised
// (phone numbers to E.164, hours to dispatch.Week, time zones loaded).
package config

import (
	"time"

	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// Config is a validated configuration: the companies one deployment serves.
type Config struct {
	Companies []*Company `yaml:"companies"`

	// Demo is true when the built-in demo company is in use.
	Demo bool `yaml:"-"`

	byID     map[string]*Company
	byNumber map[string]*Company
}

// Company is one trades business with its channels and people.
type Company struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	Contact          string            `yaml:"contact"` // phone or web address given in HELP replies
	Timezone         string            `yaml:"timezone"`
	Region           string            `yaml:"region"`
	EmergencyNumbers map[string]string `yaml:"emergency_numbers"`
	ServiceAreas     []string          `yaml:"service_areas"`
	SlotMinutes      int               `yaml:"slot_minutes"`
	// TravelBufferMinutes is the time kept free after each booked slot for
	// driving to the next job; 0 lays slots end to end.
	TravelBufferMinutes int               `yaml:"travel_buffer_minutes"`
	BusinessHours       map[string]string `yaml:"business_hours"`
	Fees                Fees              `yaml:"fees"`
	PriceNotes          string            `yaml:"price_notes"`
	Channels            Channels          `yaml:"channels"`
	Dispatchers         []Dispatcher      `yaml:"dispatchers"`
	Technicians         []Technician      `yaml:"technicians"`
	// Simulator sends the company's pushes to technicians and dispatchers
	// (offers, alerts) to their web-simulator phones instead of SMS or
	// Telegram; the demo company sets it.
	Simulator bool `yaml:"simulator"`
	// Dispatch holds the offer and reminder timings; omitted keys get defaults.
	Dispatch DispatchSettings `yaml:"dispatch"`
	// AreaPoints maps a service-area prefix (upper case, no spaces) to the
	// approximate centre of that area, used to estimate where a job is.
	AreaPoints map[string]LatLon `yaml:"area_points"`
	// Triage adds to or overrides the built-in triage rules for this company.
	Triage *conversation.TriageRules `yaml:"triage"`

	// Location is the loaded Timezone.
	Location *time.Location `yaml:"-"`
	// Hours is the parsed BusinessHours.
	Hours dispatch.Week `yaml:"-"`
}

// Fees are a company's call-out fees, quoted to customers.
type Fees struct {
	Currency   string  `yaml:"currency"`
	Standard   float64 `yaml:"standard"`
	AfterHours float64 `yaml:"after_hours"`
	Emergency  float64 `yaml:"emergency"`
}

// Channels holds the provider accounts a company texts through.
type Channels struct {
	Twilio   *Twilio   `yaml:"twilio"`
	Telegram *Telegram `yaml:"telegram"`
}

// Twilio is a company's Twilio account and its sending numbers.
type Twilio struct {
	AccountSID string   `yaml:"account_sid"`
	AuthToken  string   `yaml:"auth_token"`
	Numbers    []string `yaml:"numbers"` // E.164 after validation
	// SegmentsPerSecond caps sending per number; 0 means the default of 1.
	SegmentsPerSecond float64 `yaml:"segments_per_second"`
}

// Telegram is a company's Telegram bot.
type Telegram struct {
	BotToken      string `yaml:"bot_token"`
	WebhookSecret string `yaml:"webhook_secret"`
}

// Dispatcher is a person allowed to run dispatcher commands.
type Dispatcher struct {
	Name       string `yaml:"name"`
	Phone      string `yaml:"phone"` // E.164 after validation
	TelegramID int64  `yaml:"telegram_id"`
}

// Technician is a person who takes jobs.
type Technician struct {
	ID         string            `yaml:"id"`
	Name       string            `yaml:"name"`
	Phone      string            `yaml:"phone"` // E.164 after validation
	TelegramID int64             `yaml:"telegram_id"`
	Trades     []dispatch.Trade  `yaml:"trades"`
	Areas      []string          `yaml:"areas"`
	Home       LatLon            `yaml:"home"`
	WorkHours  map[string]string `yaml:"hours"`
	// OnCallHours is the after-hours emergency rota, written like WorkHours.
	OnCallHours map[string]string `yaml:"on_call"`

	// Hours is the parsed WorkHours.
	Hours dispatch.Week `yaml:"-"`
	// OnCall is the parsed OnCallHours; empty when the technician is never on call.
	OnCall dispatch.Week `yaml:"-"`
}

// LatLon is a point on the map in degrees.
type LatLon struct {
	Lat float64 `yaml:"lat"`
	Lon float64 `yaml:"lon"`
}

// Company returns the company with the given id.
func (c *Config) Company(id string) (*Company, bool) {
	co, ok := c.byID[id]
	return co, ok
}

// CompanyByNumber returns the company that owns the E.164 Twilio number.
func (c *Config) CompanyByNumber(number string) (*Company, bool) {
	co, ok := c.byNumber[number]
	return co, ok
}

// index builds the lookup maps; validation guarantees ids and numbers are unique.
func (c *Config) index() {
	c.byID = make(map[string]*Company, len(c.Companies))
	c.byNumber = make(map[string]*Company)
	for _, co := range c.Companies {
		c.byID[co.ID] = co
		if co.Channels.Twilio != nil {
			for _, n := range co.Channels.Twilio.Numbers {
				c.byNumber[n] = co
			}
		}
	}
}

// DispatcherByPhone returns the dispatcher with the E.164 phone number.
func (co *Company) DispatcherByPhone(phone string) (*Dispatcher, bool) {
	for i := range co.Dispatchers {
		if d := &co.Dispatchers[i]; d.Phone != "" && d.Phone == phone {
			return d, true
		}
	}
	return nil, false
}

// DispatcherByTelegram returns the dispatcher with the Telegram user id.
func (co *Company) DispatcherByTelegram(id int64) (*Dispatcher, bool) {
	for i := range co.Dispatchers {
		if d := &co.Dispatchers[i]; d.TelegramID != 0 && d.TelegramID == id {
			return d, true
		}
	}
	return nil, false
}

// TechnicianByPhone returns the technician with the E.164 phone number.
func (co *Company) TechnicianByPhone(phone string) (*Technician, bool) {
	for i := range co.Technicians {
		if t := &co.Technicians[i]; t.Phone != "" && t.Phone == phone {
			return t, true
		}
	}
	return nil, false
}

// TechnicianByTelegram returns the technician with the Telegram user id.
func (co *Company) TechnicianByTelegram(id int64) (*Technician, bool) {
	for i := range co.Technicians {
		if t := &co.Technicians[i]; t.TelegramID != 0 && t.TelegramID == id {
			return t, true
		}
	}
	return nil, false
}

// SMSNumber returns the company's first Twilio number, used as the sender of
// messages that do not answer an inbound text; "" when it has none.
func (co *Company) SMSNumber() string {
	if co.Channels.Twilio == nil || len(co.Channels.Twilio.Numbers) == 0 {
		return ""
	}
	return co.Channels.Twilio.Numbers[0]
}
