package config

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/dispatch"
)

// validEnv holds the variables testdata/valid.yaml refers to.
var validEnv = map[string]string{
	"ACME_TWILIO_SID":      "AC0000000000000000000000000000abcd",
	"ACME_TWILIO_TOKEN":    "acmetwiliotoken",
	"ACME_TELEGRAM_TOKEN":  "123456:ABC-def_ghi",
	"ACME_TELEGRAM_SECRET": "acme-secret",
	"RAPID_TWILIO_TOKEN":   "rapidtwiliotoken",
}

func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// sp is the span from h1:m1 to h2:m2.
func sp(h1, m1, h2, m2 int) dispatch.Span {
	return dispatch.Span{
		From: time.Duration(h1)*time.Hour + time.Duration(m1)*time.Minute,
		To:   time.Duration(h2)*time.Hour + time.Duration(m2)*time.Minute,
	}
}

// weekdays gives each of days the spans.
func weekdays(spans []dispatch.Span, days ...time.Weekday) dispatch.Week {
	var w dispatch.Week
	for _, d := range days {
		w[d] = spans
	}
	return w
}

var monFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// compareConfig compares configs field by field; time zones by name.
var compareConfig = cmp.Options{
	cmpopts.IgnoreUnexported(Config{}),
	cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() }),
}

// MustLoad loads the file at path, failing the test on any error.
func MustLoad(tb testing.TB, path string, env map[string]string) *Config {
	tb.Helper()
	cfg, err := Load(path, envOf(env))
	if err != nil {
		tb.Fatalf("Load(%q) error:\n%v", path, err)
	}
	return cfg
}

func TestLoad_Valid(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	acmeHours := weekdays([]dispatch.Span{sp(8, 0, 18, 0)}, monFri...)
	acmeHours[time.Saturday] = []dispatch.Span{sp(9, 0, 13, 0)}
	bobHours := weekdays([]dispatch.Span{sp(8, 0, 12, 0), sp(13, 0, 17, 0)}, time.Monday, time.Wednesday, time.Friday)
	bobHours[time.Saturday] = []dispatch.Span{sp(9, 0, 13, 0)}
	acmeBusiness := map[string]string{"mon-fri": "08:00-18:00", "sat": "09:00-13:00", "sun": "closed"}
	var aliceOnCall dispatch.Week
	aliceOnCall[time.Friday] = []dispatch.Span{sp(18, 0, 24, 0)}
	aliceOnCall[time.Saturday] = []dispatch.Span{sp(0, 0, 8, 0)}

	want := &Config{Companies: []*Company{
		{
			ID:                  "acme",
			Name:                "Acme Plumbing & Heating",
			Contact:             "020 7946 0000",
			Timezone:            "Europe/London",
			Region:              "GB",
			EmergencyNumbers:    map[string]string{"emergency": "999", "gas": "0800 111 999", "electricity": "105"},
			ServiceAreas:        []string{"SW1", "SW3", "W1"},
			SlotMinutes:         120,
			TravelBufferMinutes: 30,
			BusinessHours:       acmeBusiness,
			Fees:                Fees{Currency: "GBP", Standard: 80, AfterHours: 120, Emergency: 150},
			PriceNotes:          "Labour £60/hour after the first hour. Parts at cost.",
			Dispatch: DispatchSettings{
				OfferMinutes: new(15), EmergencyOfferMinutes: new(5), EveningReminderAt: "19:30",
				ReminderBeforeMinutes: new(0), FeedbackAfterMinutes: new(120),
				OfferWindow: 15 * time.Minute, EmergencyOfferWindow: 5 * time.Minute,
				EveningReminder: 19*time.Hour + 30*time.Minute, EveningReminderOn: true,
				HourReminder: 0, FeedbackAfter: 2 * time.Hour,
			},
			AreaPoints: map[string]LatLon{
				"SW1":  {Lat: 51.4950, Lon: -0.1400},
				"SW1A": {Lat: 51.5030, Lon: -0.1340},
				"SW3":  {Lat: 51.4900, Lon: -0.1660},
				"W1":   {Lat: 51.5150, Lon: -0.1450},
			},
			Channels: Channels{
				Twilio: &Twilio{
					AccountSID:        "AC0000000000000000000000000000abcd",
					AuthToken:         "acmetwiliotoken",
					Numbers:           []string{"+441234567890"},
					SegmentsPerSecond: 1,
				},
				Telegram: &Telegram{BotToken: "123456:ABC-def_ghi", WebhookSecret: "acme-secret"},
			},
			Dispatchers: []Dispatcher{{Name: "Dana Reed", Phone: "+447700900001", TelegramID: 100001}},
			Technicians: []Technician{
				{
					ID: "alice", Name: "Alice Smith", Phone: "+447700900101", TelegramID: 200001,
					Trades:      []dispatch.Trade{dispatch.Plumbing, dispatch.HVAC},
					Areas:       []string{"SW1", "SW3"},
					Home:        LatLon{Lat: 51.4975, Lon: -0.1357},
					WorkHours:   map[string]string{"mon-fri": "08:00-17:00"},
					Hours:       weekdays([]dispatch.Span{sp(8, 0, 17, 0)}, monFri...),
					OnCallHours: map[string]string{"fri": "18:00-24:00", "sat": "00:00-08:00"},
					OnCall:      aliceOnCall,
				},
				{
					ID: "bob", Name: "Bob Jones", Phone: "+447700900102",
					Trades:    []dispatch.Trade{dispatch.Electrical},
					Areas:     []string{"SW1A", "W1"},
					Home:      LatLon{Lat: 51.5154, Lon: -0.1410},
					WorkHours: map[string]string{"mon,wed,fri": "08:00-12:00,13:00-17:00", "sat": "09:00-13:00"},
					Hours:     bobHours,
				},
				{
					ID: "carol", Name: "Carol White", TelegramID: 200003,
					Trades:    []dispatch.Trade{dispatch.Locksmith, dispatch.General},
					Areas:     []string{"W1"},
					Home:      LatLon{Lat: 51.5194, Lon: -0.1270},
					WorkHours: acmeBusiness,
					Hours:     acmeHours,
				},
			},
			Location: london,
			Hours:    acmeHours,
		},
		{
			ID:               "rapid-rooter",
			Name:             "Rapid Rooter",
			Contact:          "+12125550100",
			Timezone:         "America/New_York",
			Region:           "US",
			EmergencyNumbers: map[string]string{"emergency": "911", "gas": "911"},
			ServiceAreas:     []string{"10001", "10002"},
			SlotMinutes:      120,
			BusinessHours:    map[string]string{"mon-fri": "08:00-18:00"},
			Fees:             Fees{Currency: "USD", Standard: 95},
			Dispatch:         defaultDispatch(),
			AreaPoints: map[string]LatLon{
				"10001": {Lat: 40.7506, Lon: -73.9970},
				"10002": {Lat: 40.7156, Lon: -73.9860},
			},
			Channels: Channels{Twilio: &Twilio{
				AccountSID:        "AC0123456789abcdef0123456789ABCDEF",
				AuthToken:         "rapidtwiliotoken",
				Numbers:           []string{"+12125550100", "+12125550101"},
				SegmentsPerSecond: 1,
			}},
			Technicians: []Technician{{
				ID: "sam", Name: "Sam Rivera", Phone: "+12125550142",
				Trades:    []dispatch.Trade{dispatch.Plumbing},
				Areas:     []string{"10001"},
				Home:      LatLon{Lat: 40.7506, Lon: -73.9971},
				WorkHours: map[string]string{"daily": "07:00-19:00"},
				Hours: weekdays([]dispatch.Span{sp(7, 0, 19, 0)},
					time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday),
			}},
			Location: newYork,
			Hours:    weekdays([]dispatch.Span{sp(8, 0, 18, 0)}, monFri...),
		},
	}}

	got := MustLoad(t, "testdata/valid.yaml", validEnv)
	if diff := cmp.Diff(want, got, compareConfig); diff != "" {
		t.Errorf("Load(testdata/valid.yaml) mismatch (-want +got):\n%s", diff)
	}
}

func TestConfig_Lookups(t *testing.T) {
	cfg := MustLoad(t, "testdata/valid.yaml", validEnv)
	tests := []struct {
		name   string
		lookup func() (*Company, bool)
		want   string // company id; "" for not found
	}{
		{"Company/acme", func() (*Company, bool) { return cfg.Company("acme") }, "acme"},
		{"Company/rapid-rooter", func() (*Company, bool) { return cfg.Company("rapid-rooter") }, "rapid-rooter"},
		{"Company/unknown", func() (*Company, bool) { return cfg.Company("nope") }, ""},
		{"CompanyByNumber/acme", func() (*Company, bool) { return cfg.CompanyByNumber("+441234567890") }, "acme"},
		{"CompanyByNumber/second number", func() (*Company, bool) { return cfg.CompanyByNumber("+12125550101") }, "rapid-rooter"},
		{"CompanyByNumber/as written, not E.164", func() (*Company, bool) { return cfg.CompanyByNumber("(212) 555-0100") }, ""},
		{"CompanyByNumber/technician phone", func() (*Company, bool) { return cfg.CompanyByNumber("+447700900101") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			co, ok := tt.lookup()
			got := ""
			if ok {
				got = co.ID
			}
			if got != tt.want {
				t.Errorf("lookup = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}

	acme, _ := cfg.Company("acme")
	if tech, ok := acme.TechnicianByPhone("+447700900102"); !ok || tech.ID != "bob" {
		t.Errorf("TechnicianByPhone(+447700900102) = %v, %v; want bob", tech, ok)
	}
	if d, ok := acme.DispatcherByTelegram(100001); !ok || d.Name != "Dana Reed" {
		t.Errorf("DispatcherByTelegram(100001) = %v, %v; want Dana Reed", d, ok)
	}
	if cfg.Demo {
		t.Error("Load(valid.yaml).Demo = true, want false")
	}
}

// wantBroken is every problem in testdata/broken.yaml, in order.
var wantBroken = Problems{
	{"companies[0].channels.twilio.auth_token", "environment variable ACME_TWILIO_TOKEN is not set"},
	{"companies[0].id", `"Acme Ltd" must be 1 to 40 lower-case letters, digits or '-', starting with a letter or digit`},
	{"companies[0].name", "is required"},
	{"companies[0].timezone", `"Europe/Londn" is not a known time zone; use a zone name like Europe/London`},
	{"companies[0].region", `"UK" is not a supported region; use an upper-case ISO 3166 code like GB or US`},
	{"companies[0].emergency_numbers.gas", "must not be empty"},
	{"companies[0].emergency_numbers.police", "unknown key; allowed keys are emergency, gas, electricity, water"},
	{"companies[0].service_areas[1]", `"SW-1" must be 1 to 8 letters or digits`},
	{"companies[0].service_areas[2]", `"" must be 1 to 8 letters or digits`},
	{"companies[0].slot_minutes", "50 must be a multiple of 15 from 15 to 480"},
	{"companies[0].travel_buffer_minutes", "-10 must be a multiple of 5 from 0 to 240"},
	{"companies[0].business_hours.funday", `"funday" is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily`},
	{"companies[0].business_hours.sat", `"17:00-09:00" ends before it starts; to run past midnight, end at 24:00 and go on from 00:00 the next day`},
	{"companies[0].business_hours.wed", `wed is already given by "mon-fri"`},
	{"companies[0].fees.currency", `"gbp" must be three upper-case letters, like GBP or USD`},
	{"companies[0].fees.standard", "-5 must be a number of 0 or more"},
	{"companies[0].channels.twilio.account_sid", `must be "AC" followed by 32 hexadecimal digits`},
	{"companies[0].channels.twilio.numbers", "at least one number is required"},
	{"companies[0].channels.twilio.segments_per_second", "-1 must be a number of 0 or more"},
	{"companies[0].channels.telegram.bot_token", "must look like 123456789:AAE-token, as @BotFather gives it"},
	{"companies[0].channels.telegram.webhook_secret", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -"},
	{"companies[0].dispatchers[0]", "a phone or a telegram_id is required"},
	{"companies[1].business_hours.mon", "08:00-12:00 overlaps 11:00-13:00"},
	{"companies[1].business_hours.tue", `"8am" is not a time; use HH:MM like 08:00`},
	{"companies[1].dispatch.offer_minutes", "0 must be a whole number of minutes from 1 to 240"},
	{"companies[1].dispatch.emergency_offer_minutes", "90 must be a whole number of minutes from 1 to 60"},
	{"companies[1].dispatch.evening_reminder", `"7pm" must be a time of day from 00:00 to 23:59, like 18:00, or off`},
	{"companies[1].dispatch.feedback_after_minutes", "-1 must be a whole number of minutes from 0 to 10080"},
	{"companies[1].area_points.M-2", `"M-2" must be 1 to 8 letters or digits`},
	{"companies[1].area_points.M-2.lat", "91 must be from -90 to 90"},
	{"companies[1].area_points.m 1", `"m 1" is the same area as "M1"`},
	{"companies[1].technicians[0].id", `"Bob" must be lower-case letters, digits or '-', starting with a letter or digit`},
	{"companies[1].technicians[0].trades[1]", `unknown trade "roofing"; known trades are plumbing, electrical, hvac, appliance, cleaning, locksmith, general`},
	{"companies[1].technicians[0].areas[1]", `"N1" is not inside any of the company's service_areas`},
	{"companies[1].technicians[0].home.lat", "95 must be from -90 to 90"},
	{"companies[1].technicians[0].on_call.mon", `"22:00-06:00" ends before it starts; to run past midnight, end at 24:00 and go on from 00:00 the next day`},
	{"companies[1].technicians[1].phone", `"0770" is not a valid number for region GB`},
	{"companies[1].technicians[1].trades", "at least one trade is required"},
	{"companies[1].technicians[1].areas", "at least one area is required"},
	{"companies[1].technicians[1].home.lon", "-200 must be from -180 to 180"},
	{"companies[1].technicians[2].id", `"carla" is already used by companies[1].technicians[1]`},
	{"companies[1].technicians[2].name", "is required"},
	{"companies[1].technicians[2].phone", "+447700900101 is already used by companies[1].technicians[0]"},
	{"companies[1].technicians[2].telegram_id", "7 is already used by companies[1].technicians[1]"},
	{"companies[1].technicians[2].hours.mon,tue", `mon is already given by "mon"`},
	{"companies[1].channels.twilio.numbers[1]", "+441234567890 is already used at companies[1].channels.twilio.numbers[0]"},
	{"companies[2].id", `"beta" is already used by companies[1]`},
	{"companies[2].timezone", `"Local" depends on the server; use a zone name like Europe/London`},
	{"companies[2].slot_minutes", "600 must be a multiple of 15 from 15 to 480"},
	{"companies[2].channels.twilio.numbers[0]", "+441234567890 is already used at companies[1].channels.twilio.numbers[0]"},
}

func TestLoad_Broken(t *testing.T) {
	cfg, err := Load("testdata/broken.yaml", envOf(nil))
	var got Problems
	if !errors.As(err, &got) {
		t.Fatalf("Load(testdata/broken.yaml) = %v, %v; want Problems", cfg, err)
	}
	if cfg != nil {
		t.Errorf("Load(testdata/broken.yaml) config = %v, want nil", cfg)
	}
	if diff := cmp.Diff(wantBroken, got); diff != "" {
		t.Errorf("Load(testdata/broken.yaml) problems (-want +got):\n%s", diff)
	}
}

func TestLoad_Unreadable(t *testing.T) {
	_, err := Load("testdata/missing.yaml", envOf(nil))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(testdata/missing.yaml) = %v, want fs.ErrNotExist", err)
	}
}

func TestProblems_Error(t *testing.T) {
	ps := Problems{
		{Path: "companies[0].technicians[2].phone", Msg: `"0770" is not a valid number for region GB`},
		{Msg: "not valid YAML: line 1: did not find expected key"},
	}
	want := "companies[0].technicians[2].phone: \"0770\" is not a valid number for region GB\n" +
		"not valid YAML: line 1: did not find expected key"
	if got := ps.Error(); got != want {
		t.Errorf("Problems.Error() = %q, want %q", got, want)
	}
	if strings.Contains(Problems(nil).Error(), "\n") {
		t.Error("empty Problems.Error() has a newline")
	}
}
