package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// defaultDispatch is what a company without a dispatch block gets.
func defaultDispatch() DispatchSettings {
	return DispatchSettings{
		OfferMinutes: new(10), EmergencyOfferMinutes: new(3), EveningReminderAt: "18:00",
		ReminderBeforeMinutes: new(60), FeedbackAfterMinutes: new(30),
		OfferWindow: 10 * time.Minute, EmergencyOfferWindow: 3 * time.Minute,
		EveningReminder: 18 * time.Hour, EveningReminderOn: true,
		HourReminder: time.Hour, FeedbackAfter: 30 * time.Minute,
	}
}

func TestValidate_DispatchSettings(t *testing.T) {
	tests := []struct {
		name  string
		block string // the dispatch block, "" for none
		want  func(d *DispatchSettings)
	}{
		{"no block", "", func(*DispatchSettings) {}},
		{"empty block", "{}", func(*DispatchSettings) {}},
		{"null block", "null", func(*DispatchSettings) {}},
		{"null values", "{offer_minutes: null, evening_reminder: null}", func(*DispatchSettings) {}},
		{"empty evening reminder", `{evening_reminder: ""}`, func(*DispatchSettings) {}},
		{"offer", "{offer_minutes: 240}", func(d *DispatchSettings) {
			d.OfferMinutes, d.OfferWindow = new(240), 4*time.Hour
		}},
		{"emergency equal to offer", "{offer_minutes: 5, emergency_offer_minutes: 5}", func(d *DispatchSettings) {
			d.OfferMinutes, d.OfferWindow = new(5), 5*time.Minute
			d.EmergencyOfferMinutes, d.EmergencyOfferWindow = new(5), 5*time.Minute
		}},
		{"smallest windows", "{offer_minutes: 1, emergency_offer_minutes: 1}", func(d *DispatchSettings) {
			d.OfferMinutes, d.OfferWindow = new(1), time.Minute
			d.EmergencyOfferMinutes, d.EmergencyOfferWindow = new(1), time.Minute
		}},
		{"largest emergency window", "{emergency_offer_minutes: 60, offer_minutes: 60}", func(d *DispatchSettings) {
			d.OfferMinutes, d.OfferWindow = new(60), time.Hour
			d.EmergencyOfferMinutes, d.EmergencyOfferWindow = new(60), time.Hour
		}},
		{"evening reminder", `{evening_reminder: "19:45"}`, func(d *DispatchSettings) {
			d.EveningReminderAt, d.EveningReminder = "19:45", 19*time.Hour+45*time.Minute
		}},
		{"evening reminder unquoted, one-digit hour", "{evening_reminder: 7:05}", func(d *DispatchSettings) {
			d.EveningReminderAt, d.EveningReminder = "7:05", 7*time.Hour+5*time.Minute
		}},
		{"evening reminder at midnight", `{evening_reminder: "00:00"}`, func(d *DispatchSettings) {
			d.EveningReminderAt, d.EveningReminder = "00:00", 0
		}},
		{"evening reminder last minute", `{evening_reminder: "23:59"}`, func(d *DispatchSettings) {
			d.EveningReminderAt, d.EveningReminder = "23:59", 23*time.Hour+59*time.Minute
		}},
		{"evening reminder off", "{evening_reminder: off}", func(d *DispatchSettings) {
			d.EveningReminderAt, d.EveningReminder, d.EveningReminderOn = "off", 0, false
		}},
		{"evening reminder OFF quoted", `{evening_reminder: "OFF"}`, func(d *DispatchSettings) {
			d.EveningReminderAt, d.EveningReminder, d.EveningReminderOn = "OFF", 0, false
		}},
		{"hour reminder off", "{reminder_before_minutes: 0}", func(d *DispatchSettings) {
			d.ReminderBeforeMinutes, d.HourReminder = new(0), 0
		}},
		{"hour reminder a day ahead", "{reminder_before_minutes: 1440}", func(d *DispatchSettings) {
			d.ReminderBeforeMinutes, d.HourReminder = new(1440), 24*time.Hour
		}},
		{"feedback at once", "{feedback_after_minutes: 0}", func(d *DispatchSettings) {
			d.FeedbackAfterMinutes, d.FeedbackAfter = new(0), 0
		}},
		{"feedback a week later", "{feedback_after_minutes: 10080}", func(d *DispatchSettings) {
			d.FeedbackAfterMinutes, d.FeedbackAfter = new(10080), 7*24*time.Hour
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml := minimal
			if tt.block != "" {
				yaml += "    dispatch: " + tt.block + "\n"
			}
			cfg := MustParse(t, yaml, nil)
			want := defaultDispatch()
			tt.want(&want)
			if diff := cmp.Diff(want, cfg.Companies[0].Dispatch); diff != "" {
				t.Errorf("dispatch %s (-want +got):\n%s", tt.block, diff)
			}
		})
	}
}

func TestValidate_DispatchSettingsProblems(t *testing.T) {
	const p = "companies[0].dispatch."
	tests := []struct {
		name  string
		block string
		want  Problems
	}{
		{"offer 0", "{offer_minutes: 0}", Problems{{p + "offer_minutes", "0 must be a whole number of minutes from 1 to 240"}}},
		{"offer too long", "{offer_minutes: 241}", Problems{{p + "offer_minutes", "241 must be a whole number of minutes from 1 to 240"}}},
		{"offer negative", "{offer_minutes: -10}", Problems{{p + "offer_minutes", "-10 must be a whole number of minutes from 1 to 240"}}},
		{"emergency 0", "{emergency_offer_minutes: 0}", Problems{{p + "emergency_offer_minutes", "0 must be a whole number of minutes from 1 to 60"}}},
		{"emergency too long", "{offer_minutes: 120, emergency_offer_minutes: 61}", Problems{{p + "emergency_offer_minutes", "61 must be a whole number of minutes from 1 to 60"}}},
		{"emergency longer than offer", "{offer_minutes: 5, emergency_offer_minutes: 6}", Problems{{p + "emergency_offer_minutes", "6 must not be more than offer_minutes (5)"}}},
		{"emergency longer than default offer", "{emergency_offer_minutes: 11}", Problems{{p + "emergency_offer_minutes", "11 must not be more than offer_minutes (10)"}}},
		{"default emergency longer than offer", "{offer_minutes: 2}", Problems{{p + "emergency_offer_minutes", "the default of 3 is more than offer_minutes (2); set emergency_offer_minutes to 2 or less"}}},
		{"reminder negative", "{reminder_before_minutes: -1}", Problems{{p + "reminder_before_minutes", "-1 must be a whole number of minutes from 0 to 1440"}}},
		{"reminder too early", "{reminder_before_minutes: 1441}", Problems{{p + "reminder_before_minutes", "1441 must be a whole number of minutes from 0 to 1440"}}},
		{"feedback negative", "{feedback_after_minutes: -30}", Problems{{p + "feedback_after_minutes", "-30 must be a whole number of minutes from 0 to 10080"}}},
		{"feedback too late", "{feedback_after_minutes: 10081}", Problems{{p + "feedback_after_minutes", "10081 must be a whole number of minutes from 0 to 10080"}}},
		{"evening 24:00", `{evening_reminder: "24:00"}`, Problems{{p + "evening_reminder", `"24:00" must be a time of day from 00:00 to 23:59, like 18:00, or off`}}},
		{"evening 18:60", `{evening_reminder: "18:60"}`, Problems{{p + "evening_reminder", `"18:60" must be a time of day from 00:00 to 23:59, like 18:00, or off`}}},
		{"evening 6pm", "{evening_reminder: 6pm}", Problems{{p + "evening_reminder", `"6pm" must be a time of day from 00:00 to 23:59, like 18:00, or off`}}},
		{"evening no minutes", "{evening_reminder: 18}", Problems{{p + "evening_reminder", `"18" must be a time of day from 00:00 to 23:59, like 18:00, or off`}}},
		{"evening false", "{evening_reminder: false}", Problems{{p + "evening_reminder", `"false" must be a time of day from 00:00 to 23:59, like 18:00, or off`}}},
		{"unknown key", "{offer_minute: 5}", Problems{{p + "offer_minute", `line 7: unknown field "offer_minute" (did you mean "offer_minutes"?)`}}},
		{"not a number", "{offer_minutes: ten}", Problems{{p + "offer_minutes", `line 7: want a whole number, got "ten"`}}},
		{"fraction", "{feedback_after_minutes: 1.5}", Problems{{p + "feedback_after_minutes", `line 7: want a whole number, got "1.5"`}}},
		{"not a mapping", "[10]", Problems{{"companies[0].dispatch", "line 7: want a mapping, got a list"}}},
		{"every problem, in key order", "{offer_minutes: 0, emergency_offer_minutes: 0, evening_reminder: x, reminder_before_minutes: -1, feedback_after_minutes: -1}", Problems{
			{p + "offer_minutes", "0 must be a whole number of minutes from 1 to 240"},
			{p + "emergency_offer_minutes", "0 must be a whole number of minutes from 1 to 60"},
			{p + "evening_reminder", `"x" must be a time of day from 00:00 to 23:59, like 18:00, or off`},
			{p + "reminder_before_minutes", "-1 must be a whole number of minutes from 0 to 1440"},
			{p + "feedback_after_minutes", "-1 must be a whole number of minutes from 0 to 10080"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, minimal+"    dispatch: "+tt.block+"\n", nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dispatch %s problems (-want +got):\n%s", tt.block, diff)
			}
		})
	}
}
