package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// head is a company without service areas; tests append to it.
const head = `companies:
  - id: a
    name: A
    timezone: UTC
    region: GB
`

// minimal is the smallest valid config; tests append to its company.
const minimal = head + "    service_areas: [M1]\n"

// parseProblems parses yaml and returns its problems, nil if it is valid.
func parseProblems(tb testing.TB, yaml string, env map[string]string) Problems {
	tb.Helper()
	cfg, err := Parse([]byte(yaml), envOf(env))
	if err == nil {
		if cfg == nil {
			tb.Fatal("Parse returned a nil config and a nil error")
		}
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		tb.Fatalf("Parse error = %v (%T), want Problems", err, err)
	}
	if cfg != nil {
		tb.Errorf("Parse returned a config with an error: %v", cfg)
	}
	return ps
}

// MustParse parses yaml, failing the test on any error.
func MustParse(tb testing.TB, yaml string, env map[string]string) *Config {
	tb.Helper()
	cfg, err := Parse([]byte(yaml), envOf(env))
	if err != nil {
		tb.Fatalf("Parse(%q) error:\n%v", yaml, err)
	}
	return cfg
}

func TestParse_Shape(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want Problems
	}{
		{
			name: "unknown top-level field",
			yaml: "companys: []\n" + minimal,
			want: Problems{{"companys", `line 1: unknown field "companys" (did you mean "companies"?)`}},
		},
		{
			name: "unknown company field",
			yaml: minimal + "    chanels: {}\n",
			want: Problems{{"companies[0].chanels", `line 7: unknown field "chanels" (did you mean "channels"?)`}},
		},
		{
			name: "unknown nested field, nothing close",
			yaml: minimal + "    channels:\n      twilio:\n        account_sid: AC00000000000000000000000000000000\n        auth_token: t\n        numbers: [\"+441234567890\"]\n        rate_limit: 2\n",
			want: Problems{{"companies[0].channels.twilio.rate_limit", `line 12: unknown field "rate_limit"`}},
		},
		{
			name: "unknown technician field",
			yaml: minimal + "    technicians:\n      - {id: t, name: T, telegram_id: 1, trades: [general], areas: [M1], mobile: \"07700 900101\"}\n",
			want: Problems{{"companies[0].technicians[0].mobile", `line 8: unknown field "mobile"`}},
		},
		{
			name: "text where a whole number goes",
			yaml: minimal + "    slot_minutes: two hours\n",
			want: Problems{{"companies[0].slot_minutes", `line 7: want a whole number, got "two hours"`}},
		},
		{
			name: "fraction where a whole number goes",
			yaml: minimal + "    slot_minutes: 120.5\n",
			want: Problems{{"companies[0].slot_minutes", `line 7: want a whole number, got "120.5"`}},
		},
		{
			name: "list where a mapping goes",
			yaml: minimal + "    business_hours: [mon-fri]\n",
			want: Problems{{"companies[0].business_hours", "line 7: want a mapping, got a list"}},
		},
		{
			name: "mapping where a list goes",
			yaml: minimal + "    technicians: {id: t}\n",
			want: Problems{{"companies[0].technicians", "line 7: want a list, got a mapping"}},
		},
		{
			name: "quoted number",
			yaml: minimal + "    dispatchers: [{name: D, telegram_id: \"12\"}]\n",
			want: Problems{{"companies[0].dispatchers[0].telegram_id", `line 7: want a whole number, got "12"`}},
		},
		{
			name: "key given twice",
			yaml: minimal + "    name: B\n",
			want: Problems{{"companies[0]", `line 7: key "name" is already given at line 3`}},
		},
		{
			name: "root is not a mapping",
			yaml: "just text\n",
			want: Problems{{"", `line 1: want a mapping, got "just text"`}},
		},
		{
			name: "anchors, aliases and merge keys",
			yaml: minimal + `    business_hours: &hours {mon-fri: "08:00-17:00"}
    technicians:
      - &tech {id: t1, name: T, telegram_id: 1, trades: [general], areas: [M1], hours: *hours}
      - <<: *tech
        id: t2
        telegram_id: 2
`,
		},
		{
			name: "merge key with an unknown field",
			yaml: minimal + `    technicians:
      - {id: t1, name: T, telegram_id: 1, trades: [general], areas: [M1]}
    x-defaults: &d {colour: red}
    dispatchers:
      - <<: *d
        name: D
        telegram_id: 3
`,
			want: Problems{
				{"companies[0].x-defaults", `line 9: unknown field "x-defaults"`},
				{"companies[0].dispatchers[0].colour", `line 9: unknown field "colour"`},
			},
		},
		{
			name: "alias cycle",
			yaml: "companies: &c\n  - *c\n",
			want: Problems{{"companies[0]", "line 1: want a mapping, got a list"}},
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

func TestParse_File(t *testing.T) {
	tests := []struct {
		name string
		data string
		want Problems
	}{
		{"empty", "", Problems{{"companies", "at least one company is required"}}},
		{"only a comment", "# nothing yet\n", Problems{{"companies", "at least one company is required"}}},
		{"no companies", "companies: []\n", Problems{{"companies", "at least one company is required"}}},
		{"null company", "companies: [~]\n", Problems{{"companies[0]", "company is empty"}}},
		{"not YAML", "companies: [\n", Problems{{"", "not valid YAML: line 1: did not find expected node content"}}},
		{"tab indent", "companies:\n\t- id: a\n", Problems{{"", "not valid YAML: line 2: found character that cannot start any token"}}},
		{"two documents", minimal + "---\n" + minimal, Problems{{"", "line 7: only one YAML document is allowed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.data, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) problems (-want +got):\n%s", tt.data, diff)
			}
		})
	}
}

func TestParse_Env(t *testing.T) {
	telegram := minimal + "    channels:\n      telegram:\n        bot_token: ${TG_TOKEN}\n        webhook_secret: ${TG_SECRET}\n"
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want Problems
		// check inspects the parsed config when want is nil.
		check func(*Config) string
	}{
		{
			name: "set",
			yaml: telegram,
			env:  map[string]string{"TG_TOKEN": "42:abc", "TG_SECRET": "s3cret"},
			check: func(c *Config) string {
				return cmp.Diff(&Telegram{BotToken: "42:abc", WebhookSecret: "s3cret"}, c.Companies[0].Channels.Telegram)
			},
		},
		{
			name: "unset",
			yaml: telegram,
			env:  map[string]string{"TG_SECRET": "s3cret"},
			want: Problems{{"companies[0].channels.telegram.bot_token", "environment variable TG_TOKEN is not set"}},
		},
		{
			name: "empty",
			yaml: telegram,
			env:  map[string]string{"TG_TOKEN": "", "TG_SECRET": ""},
			want: Problems{
				{"companies[0].channels.telegram.bot_token", "environment variable TG_TOKEN is not set"},
				{"companies[0].channels.telegram.webhook_secret", "environment variable TG_SECRET is not set"},
			},
		},
		{
			name: "set but invalid is checked, not echoed",
			yaml: telegram,
			env:  map[string]string{"TG_TOKEN": "secret without colon", "TG_SECRET": "s3cret"},
			want: Problems{{"companies[0].channels.telegram.bot_token", "must look like 123456789:AAE-token, as @BotFather gives it"}},
		},
		{
			name: "inside text, and a lone dollar kept",
			yaml: minimal + "    price_notes: \"$60/hour, ${CURRENCY} $${X}\"\n",
			env:  map[string]string{"CURRENCY": "GBP", "X": "x"},
			check: func(c *Config) string {
				return cmp.Diff("$60/hour, GBP $x", c.Companies[0].PriceNotes)
			},
		},
		{
			name: "plain value becomes a number",
			yaml: minimal + "    slot_minutes: ${SLOT}\n",
			env:  map[string]string{"SLOT": "60"},
			check: func(c *Config) string {
				return cmp.Diff(60, c.Companies[0].SlotMinutes)
			},
		},
		{
			name: "value that is not a number",
			yaml: minimal + "    slot_minutes: ${SLOT}\n",
			env:  map[string]string{"SLOT": "sixty"},
			want: Problems{{"companies[0].slot_minutes", "line 7: want a whole number, got a value from the environment"}},
		},
		{
			name: "bad name",
			yaml: minimal + "    price_notes: ${1ST}\n",
			want: Problems{{"companies[0].price_notes", `invalid environment reference "${1ST}"`}},
		},
		{
			name: "unterminated",
			yaml: minimal + "    price_notes: \"from ${PRICE\"\n",
			want: Problems{{"companies[0].price_notes", `unterminated environment reference "${PRICE"`}},
		},
		{
			name: "keys are not expanded",
			yaml: minimal + "    business_hours: {\"${DAYS}\": \"08:00-17:00\"}\n",
			env:  map[string]string{"DAYS": "mon"},
			want: Problems{{"companies[0].business_hours.${DAYS}", `"${days}" is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.yaml, tt.env)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("Parse(%q) problems (-want +got):\n%s", tt.yaml, diff)
			}
			if tt.check != nil {
				if diff := tt.check(MustParse(t, tt.yaml, tt.env)); diff != "" {
					t.Errorf("Parse(%q) (-want +got):\n%s", tt.yaml, diff)
				}
			}
		})
	}
}

func TestParse_NilGetenv(t *testing.T) {
	cfg, err := Parse([]byte(minimal+"    price_notes: ${X}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "environment variable X is not set") {
		t.Errorf("Parse with nil getenv = %v, %v; want X not set", cfg, err)
	}
}
