package config

import (
	"strings"
	"time"
)

// DispatchSettings are a company's offer and reminder timings. The minute
// and clock fields are as written in the file; a nil one is filled with its
// default by validation, which also sets the resolved fields below them.
type DispatchSettings struct {
	// OfferMinutes is how long a technician has to answer a job offer.
	OfferMinutes *int `yaml:"offer_minutes"`
	// EmergencyOfferMinutes is the same for an emergency; at most OfferMinutes.
	EmergencyOfferMinutes *int `yaml:"emergency_offer_minutes"`
	// EveningReminderAt is the local "HH:MM" of the reminder sent the evening
	// before a booked visit, or "off".
	EveningReminderAt string `yaml:"evening_reminder"`
	// ReminderBeforeMinutes is how long before a visit the customer is
	// reminded again; 0 turns that reminder off.
	ReminderBeforeMinutes *int `yaml:"reminder_before_minutes"`
	// FeedbackAfterMinutes is how long after a job is done the customer is
	// asked for feedback.
	FeedbackAfterMinutes *int `yaml:"feedback_after_minutes"`

	// OfferWindow is OfferMinutes as a duration.
	OfferWindow time.Duration `yaml:"-"`
	// EmergencyOfferWindow is EmergencyOfferMinutes as a duration.
	EmergencyOfferWindow time.Duration `yaml:"-"`
	// EveningReminder is the time since local midnight of the evening
	// reminder; meaningful only when EveningReminderOn.
	EveningReminder time.Duration `yaml:"-"`
	// EveningReminderOn is false when evening_reminder is "off".
	EveningReminderOn bool `yaml:"-"`
	// HourReminder is ReminderBeforeMinutes as a duration; 0 means off.
	HourReminder time.Duration `yaml:"-"`
	// FeedbackAfter is FeedbackAfterMinutes as a duration.
	FeedbackAfter time.Duration `yaml:"-"`
}

// Defaults of the dispatch settings.
const (
	defaultOfferMinutes          = 10
	defaultEmergencyOfferMinutes = 3
	defaultEveningReminder       = "18:00"
	defaultReminderBeforeMinutes = 60
	defaultFeedbackAfterMinutes  = 30
)

// dispatchSettings checks the company's dispatch block, fills in defaults and
// sets the resolved durations.
func (v *companyCheck) dispatchSettings() {
	d := &v.co.Dispatch
	p := v.field("dispatch")

	emergencyGiven := d.EmergencyOfferMinutes != nil
	offer, offerOK := minutes(v.c, field(p, "offer_minutes"), &d.OfferMinutes, defaultOfferMinutes, 1, 240)
	emergency, emergencyOK := minutes(v.c, field(p, "emergency_offer_minutes"), &d.EmergencyOfferMinutes, defaultEmergencyOfferMinutes, 1, 60)
	switch {
	case !offerOK || !emergencyOK || emergency <= offer:
	case emergencyGiven:
		v.c.add(field(p, "emergency_offer_minutes"), "%d must not be more than offer_minutes (%d)", emergency, offer)
	default:
		v.c.add(field(p, "emergency_offer_minutes"), "the default of %d is more than offer_minutes (%d); set emergency_offer_minutes to %d or less", emergency, offer, offer)
	}
	d.OfferWindow = time.Duration(offer) * time.Minute
	d.EmergencyOfferWindow = time.Duration(emergency) * time.Minute

	v.eveningReminder(field(p, "evening_reminder"))
	before, _ := minutes(v.c, field(p, "reminder_before_minutes"), &d.ReminderBeforeMinutes, defaultReminderBeforeMinutes, 0, 1440)
	d.HourReminder = time.Duration(before) * time.Minute
	after, _ := minutes(v.c, field(p, "feedback_after_minutes"), &d.FeedbackAfterMinutes, defaultFeedbackAfterMinutes, 0, 10080)
	d.FeedbackAfter = time.Duration(after) * time.Minute
}

// eveningReminder parses evening_reminder: "HH:MM" from 00:00 to 23:59, or
// "off" in any case.
func (v *companyCheck) eveningReminder(path string) {
	d := &v.co.Dispatch
	if strings.TrimSpace(d.EveningReminderAt) == "" {
		d.EveningReminderAt = defaultEveningReminder
	}
	if strings.EqualFold(strings.TrimSpace(d.EveningReminderAt), "off") {
		d.EveningReminder, d.EveningReminderOn = 0, false
		return
	}
	at, err := parseClock(d.EveningReminderAt)
	if err != nil || at >= 24*time.Hour {
		v.c.add(path, "%q must be a time of day from 00:00 to 23:59, like 18:00, or off", d.EveningReminderAt)
		return
	}
	d.EveningReminder, d.EveningReminderOn = at, true
}

// minutes fills a missing *p with def and returns the number of minutes and
// whether it lies in lo..hi, adding a problem at path when it does not.
func minutes(c *collector, path string, p **int, def, lo, hi int) (int, bool) {
	if *p == nil {
		n := def
		*p = &n
	}
	n := **p
	if n < lo || n > hi {
		c.add(path, "%d must be a whole number of minutes from %d to %d", n, lo, hi)
		return n, false
	}
	return n, true
}
