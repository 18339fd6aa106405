package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidate_Defaults(t *testing.T) {
	tests := []struct {
		region string
		want   map[string]string
	}{
		{"GB", map[string]string{"emergency": "999", "gas": "0800 111 999"}},
		{"US", map[string]string{"emergency": "911", "gas": "911"}},
		{"CA", map[string]string{"emergency": "911", "gas": "911"}},
		{"IE", map[string]string{"emergency": "112", "gas": "1800 20 50 50"}},
		{"AU", map[string]string{"emergency": "000", "gas": "000"}},
		{"DE", map[string]string{"emergency": "112", "gas": "112"}},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			cfg := MustParse(t, "companies:\n  - {id: a, name: A, timezone: UTC, region: "+tt.region+", service_areas: [x1]}\n", nil)
			if diff := cmp.Diff(tt.want, cfg.Companies[0].EmergencyNumbers); diff != "" {
				t.Errorf("emergency_numbers for %s (-want +got):\n%s", tt.region, diff)
			}
		})
	}

	t.Run("given keys kept, missing filled", func(t *testing.T) {
		cfg := MustParse(t, minimal+"    emergency_numbers: {gas: \"0800 000 000\", water: \"0345 000\"}\n", nil)
		want := map[string]string{"emergency": "999", "gas": "0800 000 000", "water": "0345 000"}
		if diff := cmp.Diff(want, cfg.Companies[0].EmergencyNumbers); diff != "" {
			t.Errorf("emergency_numbers (-want +got):\n%s", diff)
		}
	})

	t.Run("company", func(t *testing.T) {
		cfg := MustParse(t, head+`    service_areas: [" sw1 a ", m1]
    channels:
      twilio: {account_sid: AC00000000000000000000000000000000, auth_token: t, numbers: ["01632 960123"]}
    technicians:
      - {id: t, name: T, telegram_id: 1, trades: [general], areas: [sw1a1]}
`, nil)
		co := cfg.Companies[0]
		got := struct {
			Contact   string
			Slot      int
			Rate      float64
			Areas     []string
			TechAreas []string
			Business  map[string]string
			TechHours map[string]string
		}{co.Contact, co.SlotMinutes, co.Channels.Twilio.SegmentsPerSecond, co.ServiceAreas, co.Technicians[0].Areas, co.BusinessHours, co.Technicians[0].WorkHours}
		want := got
		want.Contact = "+441632960123"
		want.Slot = 120
		want.Rate = 1
		want.Areas = []string{"SW1A", "M1"}
		want.TechAreas = []string{"SW1A1"}
		want.Business = map[string]string{"mon-fri": "08:00-18:00"}
		want.TechHours = map[string]string{"mon-fri": "08:00-18:00"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("defaults (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(co.Hours, co.Technicians[0].Hours); diff != "" || co.Hours.Empty() {
			t.Errorf("technician hours differ from business hours %v (-company +technician):\n%s", co.Hours, diff)
		}
		if co.Location == nil || co.Location.String() != "UTC" {
			t.Errorf("Location = %v, want UTC", co.Location)
		}
	})
}

func TestValidate_Problems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want Problems
	}{
		{
			name: "valid edge values",
			yaml: minimal + "    slot_minutes: 480\n    fees: {standard: 0}\n",
		},
		{
			name: "missing id, name, timezone, region, areas",
			yaml: "companies:\n  - {price_notes: x}\n",
			want: Problems{
				{"companies[0].id", "is required"},
				{"companies[0].name", "is required"},
				{"companies[0].timezone", "is required"},
				{"companies[0].region", "is required"},
				{"companies[0].service_areas", "at least one service area is required"},
			},
		},
		{
			name: "id too long",
			yaml: "companies:\n  - {id: a1234567890123456789012345678901234567890, name: A, timezone: UTC, region: GB, service_areas: [M1]}\n",
			want: Problems{{"companies[0].id", `"a1234567890123456789012345678901234567890" must be 1 to 40 lower-case letters, digits or '-', starting with a letter or digit`}},
		},
		{
			name: "lower-case region",
			yaml: "companies:\n  - {id: a, name: A, timezone: UTC, region: gb, service_areas: [M1]}\n",
			want: Problems{{"companies[0].region", `"gb" is not a supported region; use an upper-case ISO 3166 code like GB or US`}},
		},
		{
			name: "slot not a multiple of 15",
			yaml: minimal + "    slot_minutes: 100\n",
			want: Problems{{"companies[0].slot_minutes", "100 must be a multiple of 15 from 15 to 480"}},
		},
		{
			name: "negative slot",
			yaml: minimal + "    slot_minutes: -15\n",
			want: Problems{{"companies[0].slot_minutes", "-15 must be a multiple of 15 from 15 to 480"}},
		},
		{
			name: "fees",
			yaml: minimal + "    fees: {currency: EURO, after_hours: -1, emergency: .nan}\n",
			want: Problems{
				{"companies[0].fees.currency", `"EURO" must be three upper-case letters, like GBP or USD`},
				{"companies[0].fees.after_hours", "-1 must be a number of 0 or more"},
				{"companies[0].fees.emergency", "NaN must be a number of 0 or more"},
			},
		},
		{
			name: "twilio without credentials",
			yaml: minimal + "    channels: {twilio: {numbers: [\"+441632960000\"]}}\n",
			want: Problems{
				{"companies[0].channels.twilio.account_sid", "is required"},
				{"companies[0].channels.twilio.auth_token", "is required"},
			},
		},
		{
			name: "twilio number not valid for the region",
			yaml: minimal + "    channels: {twilio: {account_sid: AC00000000000000000000000000000000, auth_token: t, numbers: [\"555-0100\"]}}\n",
			want: Problems{{"companies[0].channels.twilio.numbers[0]", `"555-0100" is not a valid number for region GB`}},
		},
		{
			name: "telegram without token or secret",
			yaml: minimal + "    channels: {telegram: {}}\n",
			want: Problems{
				{"companies[0].channels.telegram.bot_token", "is required"},
				{"companies[0].channels.telegram.webhook_secret", "is required"},
			},
		},
		{
			name: "webhook secret too long",
			yaml: minimal + "    channels: {telegram: {bot_token: \"1:a\", webhook_secret: " + strings.Repeat("a", 257) + "}}\n",
			want: Problems{{"companies[0].channels.telegram.webhook_secret", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -"}},
		},
		{
			name: "dispatcher without name",
			yaml: minimal + "    dispatchers: [{phone: \"+447700900001\"}]\n",
			want: Problems{{"companies[0].dispatchers[0].name", "is required"}},
		},
		{
			name: "negative telegram id",
			yaml: minimal + "    dispatchers: [{name: D, telegram_id: -5}]\n",
			want: Problems{{"companies[0].dispatchers[0].telegram_id", "-5 must be a positive Telegram user id"}},
		},
		{
			name: "dispatcher and technician share a phone and a telegram id",
			yaml: minimal + `    dispatchers: [{name: D, phone: "+447700900001", telegram_id: 9}]
    technicians: [{id: t, name: T, phone: "07700 900001", telegram_id: 9, trades: [general], areas: [M1]}]
`,
			want: Problems{
				{"companies[0].technicians[0].phone", "+447700900001 is already used by companies[0].dispatchers[0]"},
				{"companies[0].technicians[0].telegram_id", "9 is already used by companies[0].dispatchers[0]"},
			},
		},
		{
			name: "same person in two companies is fine",
			yaml: minimal + "    dispatchers: [{name: D, phone: \"+447700900001\"}]\n" +
				"  - {id: b, name: B, timezone: UTC, region: GB, service_areas: [M1], dispatchers: [{name: D, phone: \"+447700900001\"}]}\n",
		},
		{
			name: "foreign number with + in a GB company",
			yaml: minimal + "    dispatchers: [{name: D, phone: \"+1 212 555 0100\"}]\n",
		},
		{
			name: "technician without id, trades",
			yaml: minimal + "    technicians: [{name: T, telegram_id: 1, areas: [M1]}]\n",
			want: Problems{
				{"companies[0].technicians[0].id", "is required"},
				{"companies[0].technicians[0].trades", "at least one trade is required"},
			},
		},
		{
			name: "technician area: prefix of a service area is not inside it",
			yaml: head + "    service_areas: [SW1A]\n    technicians: [{id: t, name: T, telegram_id: 1, trades: [general], areas: [SW1, SW1A2]}]\n",
			want: Problems{{"companies[0].technicians[0].areas[0]", `"SW1" is not inside any of the company's service_areas`}},
		},
		{
			name: "technician hours",
			yaml: minimal + "    technicians: [{id: t, name: T, telegram_id: 1, trades: [general], areas: [M1], hours: {weekdays: \"09:00-17:00\"}}]\n",
			want: Problems{{"companies[0].technicians[0].hours.weekdays", `"weekdays" is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.yaml, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) problems (-want +got):\n%s", tt.yaml, diff)
			}
		})
	}
}
