package bot

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    Command
		ok      bool
		wantErr string // a substring of the CommandError's Msg; "" for no error
	}{
		// /jobs
		{"jobs/slash", "/jobs", Command{Name: "jobs"}, true, ""},
		{"jobs/bare", "jobs", Command{Name: "jobs"}, true, ""},
		{"jobs/upper case", "JOBS", Command{Name: "jobs"}, true, ""},
		{"jobs/capitalised by phone", "Jobs", Command{Name: "jobs"}, true, ""},
		{"jobs/bot name", "/jobs@AcmeBot", Command{Name: "jobs"}, true, ""},
		{"jobs/bot name and filter", "/jobs@AcmeBot Emergency", Command{Name: "jobs", Arg: "emergency"}, true, ""},
		{"jobs/status filter", "/jobs assigned", Command{Name: "jobs", Arg: "assigned"}, true, ""},
		{"jobs/tech filter", "/jobs Alice", Command{Name: "jobs", Arg: "alice"}, true, ""},
		{"jobs/urgency typo", "/jobs emergancy", Command{Name: "jobs", Arg: "emergency"}, true, ""},
		{"jobs/bare filter", "jobs urgent", Command{Name: "jobs", Arg: "urgent"}, true, ""},
		{"jobs/bare sentence", "jobs are piling up today", Command{}, false, ""},
		{"jobs/trailing punctuation", "jobs?", Command{Name: "jobs"}, true, ""},
		{"jobs/space after slash", "/ jobs", Command{Name: "jobs"}, true, ""},
		{"jobs/surrounding spaces", "   /jobs   ", Command{Name: "jobs"}, true, ""},

		// /job
		{"job/prefixed", "/job J-1042", Command{Name: "job", Job: 1042}, true, ""},
		{"job/lower prefix no dash", "/job j1042", Command{Name: "job", Job: 1042}, true, ""},
		{"job/hash", "/job #1042", Command{Name: "job", Job: 1042}, true, ""},
		{"job/hash and prefix", "/job #J-1042", Command{Name: "job", Job: 1042}, true, ""},
		{"job/number", "/job 1042", Command{Name: "job", Job: 1042}, true, ""},
		{"job/bare", "job 1042", Command{Name: "job", Job: 1042}, true, ""},
		{"job/bare upper", "JOB J-7", Command{Name: "job", Job: 7}, true, ""},
		{"job/trailing colon", "/job J-1042:", Command{Name: "job", Job: 1042}, true, ""},
		{"job/missing", "/job", Command{Name: "job"}, true, "/job needs a job number"},
		{"job/bare alone", "job", Command{Name: "job"}, true, "/job needs a job number"},
		{"job/not a number", "/job abc", Command{Name: "job"}, true, `"abc" is not a job number`},
		{"job/zero", "/job J-0", Command{Name: "job"}, true, "not a job number"},
		{"job/negative", "/job -5", Command{Name: "job"}, true, "not a job number"},
		{"job/overflow", "/job 99999999999999999999", Command{Name: "job"}, true, "not a job number"},
		{"job/two jobs", "/job 1042 1043", Command{Name: "job"}, true, "/job needs a job number"},
		{"job/bare sentence", "job done at smith's", Command{}, false, ""},

		// /assign and /reassign
		{"assign/slash", "/assign J-1042 alice", Command{Name: "assign", Job: 1042, Tech: "alice"}, true, ""},
		{"assign/bare", "assign 1042 alice", Command{Name: "assign", Job: 1042, Tech: "alice"}, true, ""},
		{"assign/case", "/ASSIGN j1042 ALICE", Command{Name: "assign", Job: 1042, Tech: "alice"}, true, ""},
		{"assign/full name", "/assign #1042   Alice  Smith", Command{Name: "assign", Job: 1042, Tech: "alice smith"}, true, ""},
		{"assign/tech id", "/assign J-1042 T-07", Command{Name: "assign", Job: 1042, Tech: "t-07"}, true, ""},
		{"assign/at name", "/assign J-1042 @alice", Command{Name: "assign", Job: 1042, Tech: "alice"}, true, ""},
		{"assign/tech first", "/assign alice J-1042", Command{Name: "assign", Job: 1042, Tech: "alice"}, true, ""},
		{"assign/bot name", "/assign@AcmeBot J-1042 alice", Command{Name: "assign", Job: 1042, Tech: "alice"}, true, ""},
		{"assign/no tech", "/assign J-1042", Command{Name: "assign"}, true, "/assign needs a job and a technician, e.g. /assign J-1042 alice"},
		{"assign/nothing", "/assign", Command{Name: "assign"}, true, "/assign needs a job and a technician"},
		{"assign/bare alone", "assign", Command{Name: "assign"}, true, "/assign needs a job and a technician"},
		{"assign/no job", "/assign alice bob", Command{Name: "assign"}, true, `"alice" is not a job number`},
		{"assign/bare sentence", "assign someone to the boiler", Command{}, false, ""},
		{"reassign/slash", "/reassign J-1042 bob", Command{Name: "reassign", Job: 1042, Tech: "bob"}, true, ""},
		{"reassign/bare", "Reassign 1042 Bob", Command{Name: "reassign", Job: 1042, Tech: "bob"}, true, ""},
		{"reassign/no tech", "/reassign 1042", Command{Name: "reassign"}, true, "/reassign needs a job and a technician"},

		// /cancel
		{"cancel/with reason", "/cancel J-1042 Customer fixed it, no charge.", Command{Name: "cancel", Job: 1042, Arg: "Customer fixed it, no charge."}, true, ""},
		{"cancel/no reason", "/cancel J-1042", Command{Name: "cancel", Job: 1042}, true, ""},
		{"cancel/bare", "cancel #1042 duplicate", Command{Name: "cancel", Job: 1042, Arg: "duplicate"}, true, ""},
		{"cancel/missing job", "/cancel", Command{Name: "cancel"}, true, "/cancel needs a job"},
		{"cancel/bare alone", "cancel", Command{Name: "cancel"}, true, "/cancel needs a job"},
		{"cancel/bare sentence", "cancel that, wrong chat", Command{}, false, ""},
		{"cancel/slash not a job", "/cancel that", Command{Name: "cancel"}, true, `"that" is not a job number`},

		// /urgency
		{"urgency/slash", "/urgency J-1042 emergency", Command{Name: "urgency", Job: 1042, Arg: "emergency"}, true, ""},
		{"urgency/bare", "urgency 1042 routine", Command{Name: "urgency", Job: 1042, Arg: "routine"}, true, ""},
		{"urgency/case", "/Urgency J-1042 URGENT", Command{Name: "urgency", Job: 1042, Arg: "urgent"}, true, ""},
		{"urgency/typo", "/urgency J-1042 emergancy", Command{Name: "urgency", Job: 1042, Arg: "emergency"}, true, ""},
		{"urgency/swapped letters", "/urgency J-1042 urgnet", Command{Name: "urgency", Job: 1042, Arg: "urgent"}, true, ""},
		{"urgency/dropped letter", "/urgency J-1042 rutine", Command{Name: "urgency", Job: 1042, Arg: "routine"}, true, ""},
		{"urgency/level first", "/urgency emergency J-1042", Command{Name: "urgency", Job: 1042, Arg: "emergency"}, true, ""},
		{"urgency/high is not a level", "/urgency J-1042 high", Command{Name: "urgency"}, true, `"high" is not an urgency; use emergency, urgent or routine`},
		{"urgency/emerg is not a level", "/urgency J-1042 emerg", Command{Name: "urgency"}, true, "is not an urgency"},
		{"urgency/missing level", "/urgency J-1042", Command{Name: "urgency"}, true, "/urgency needs a job and emergency, urgent or routine"},
		{"urgency/bare explicit job", "urgency J-1042 high", Command{Name: "urgency"}, true, "is not an urgency"},
		{"urgency/bare sentence", "urgency is high on this one", Command{}, false, ""},

		// /techs and /tech
		{"techs/slash", "/techs", Command{Name: "techs"}, true, ""},
		{"techs/bare", "techs", Command{Name: "techs"}, true, ""},
		{"techs/bot name", "/TECHS@acme_dispatch_bot", Command{Name: "techs"}, true, ""},
		{"techs/bare sentence", "techs are all busy", Command{}, false, ""},
		{"tech/off", "/tech alice off", Command{Name: "tech", Tech: "alice", Arg: "off"}, true, ""},
		{"tech/on bare", "tech Bob ON", Command{Name: "tech", Tech: "bob", Arg: "on"}, true, ""},
		{"tech/full name", "/tech Alice Smith off", Command{Name: "tech", Tech: "alice smith", Arg: "off"}, true, ""},
		{"tech/off duty", "/tech alice off duty", Command{Name: "tech", Tech: "alice", Arg: "off"}, true, ""},
		{"tech/state first", "/tech on alice", Command{Name: "tech", Tech: "alice", Arg: "on"}, true, ""},
		{"tech/missing state", "/tech alice", Command{Name: "tech"}, true, "/tech needs a technician and on or off, e.g. /tech alice off"},
		{"tech/missing all", "/tech", Command{Name: "tech"}, true, "/tech needs a technician and on or off"},
		{"tech/bad state", "/tech alice sick", Command{Name: "tech"}, true, "/tech needs a technician and on or off"},
		{"tech/bare sentence", "tech support is down", Command{}, false, ""},

		// /say
		{"say/keeps text exactly", "/say J-1042 Hi Mrs. O'Brien — we're ~10 min late!", Command{Name: "say", Job: 1042, Arg: "Hi Mrs. O'Brien — we're ~10 min late!"}, true, ""},
		{"say/keeps inner spacing and lines", "/say 1042 Line one.\n  Line  TWO?", Command{Name: "say", Job: 1042, Arg: "Line one.\n  Line  TWO?"}, true, ""},
		{"say/bare", "say #1042 On our way", Command{Name: "say", Job: 1042, Arg: "On our way"}, true, ""},
		{"say/upper command", "SAY J-1042 OK", Command{Name: "say", Job: 1042, Arg: "OK"}, true, ""},
		{"say/colon after job", "/say J-1042: See you at 3", Command{Name: "say", Job: 1042, Arg: "See you at 3"}, true, ""},
		{"say/bot name", "/say@AcmeBot J-1042 Hello", Command{Name: "say", Job: 1042, Arg: "Hello"}, true, ""},
		{"say/no text", "/say J-1042", Command{Name: "say"}, true, "/say needs a job and the text for the customer"},
		{"say/no text but spaces", "/say J-1042   ", Command{Name: "say"}, true, "/say needs a job and the text"},
		{"say/no job", "/say hello there", Command{Name: "say"}, true, `"hello" is not a job number`},
		{"say/bare sentence", "say hi to bob for me", Command{}, false, ""},

		// /takeover and /release
		{"takeover/slash", "/takeover J-1042", Command{Name: "takeover", Job: 1042}, true, ""},
		{"takeover/bare", "takeover 1042", Command{Name: "takeover", Job: 1042}, true, ""},
		{"takeover/missing", "/takeover", Command{Name: "takeover"}, true, "/takeover needs a job, e.g. /takeover J-1042"},
		{"release/slash", "/release #1042", Command{Name: "release", Job: 1042}, true, ""},
		{"release/bare", "Release j1042", Command{Name: "release", Job: 1042}, true, ""},
		{"release/missing", "/release", Command{Name: "release"}, true, "/release needs a job"},
		{"release/bare sentence", "release the hounds", Command{}, false, ""},

		// /note
		{"note/slash", "/note J-1042 Gate code 4411; dog is friendly", Command{Name: "note", Job: 1042, Arg: "Gate code 4411; dog is friendly"}, true, ""},
		{"note/bare", "note 1042 call first", Command{Name: "note", Job: 1042, Arg: "call first"}, true, ""},
		{"note/bare sentence", "note to self: call bob", Command{}, false, ""},
		{"note/no text", "/note J-1042", Command{Name: "note"}, true, "/note needs a job and the note"},
		{"note/bare explicit job no text", "note J-1042", Command{Name: "note"}, true, "/note needs a job and the note"},

		// /stats
		{"stats/default today", "/stats", Command{Name: "stats", Arg: "today"}, true, ""},
		{"stats/today", "/stats today", Command{Name: "stats", Arg: "today"}, true, ""},
		{"stats/week", "/stats WEEK", Command{Name: "stats", Arg: "week"}, true, ""},
		{"stats/this week bare", "stats this week", Command{Name: "stats", Arg: "week"}, true, ""},
		{"stats/bare", "stats", Command{Name: "stats", Arg: "today"}, true, ""},
		{"stats/bad period", "/stats year", Command{Name: "stats"}, true, "/stats takes today or week"},
		{"stats/bare sentence", "stats look good", Command{}, false, ""},

		// /quiet
		{"quiet/on", "/quiet on", Command{Name: "quiet", Arg: "on"}, true, ""},
		{"quiet/off bare", "quiet OFF", Command{Name: "quiet", Arg: "off"}, true, ""},
		{"quiet/missing", "/quiet", Command{Name: "quiet"}, true, "/quiet needs on or off"},
		{"quiet/bad", "/quiet please", Command{Name: "quiet"}, true, "/quiet needs on or off"},
		{"quiet/bare sentence", "quiet day today", Command{}, false, ""},

		// /help
		{"help/slash", "/help", Command{Name: "help"}, true, ""},
		{"help/bare", "help", Command{Name: "help"}, true, ""},
		{"help/bare question", "Help?", Command{Name: "help"}, true, ""},
		{"help/topic", "/help assign", Command{Name: "help", Arg: "assign"}, true, ""},
		{"help/start alias", "/start", Command{Name: "help"}, true, ""},
		{"help/bare start is not a command", "start", Command{}, false, ""},
		{"help/bare sentence", "help me with this one", Command{}, false, ""},

		// not commands, and unknown commands
		{"empty", "", Command{}, false, ""},
		{"blank", " \t\n ", Command{}, false, ""},
		{"ordinary text", "Running late, traffic on the M6", Command{}, false, ""},
		{"unknown slash", "/foo", Command{}, true, "unknown command /foo; try /help"},
		{"unknown slash with bot name", "/foo@AcmeBot bar", Command{}, true, "unknown command /foo; try /help"},
		{"near miss suggests", "/asign J-1042 alice", Command{}, true, "unknown command /asign; did you mean /assign?"},
		{"slash alone", "/", Command{}, true, "type a command after the slash"},
		{"bare unknown word", "foo bar", Command{}, false, ""},
		{"job-like text", "J-1042", Command{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ParseCommand(tt.text)
			if ok != tt.ok {
				t.Errorf("ParseCommand(%q) ok = %v, want %v", tt.text, ok, tt.ok)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseCommand(%q) = %v, want no error", tt.text, err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ParseCommand(%q) mismatch (-want +got):\n%s", tt.text, diff)
				}
				return
			}
			var ce *CommandError
			if !errors.As(err, &ce) {
				t.Fatalf("ParseCommand(%q) = %v, want a *CommandError", tt.text, err)
			}
			if !strings.Contains(ce.Msg, tt.wantErr) {
				t.Errorf("ParseCommand(%q) Msg = %q, want it to contain %q", tt.text, ce.Msg, tt.wantErr)
			}
			if tt.want.Name != "" && ce.Name != tt.want.Name {
				t.Errorf("ParseCommand(%q) error Name = %q, want %q", tt.text, ce.Name, tt.want.Name)
			}
			if !strings.Contains(err.Error(), ce.Msg) || !strings.HasPrefix(err.Error(), "bot: ") {
				t.Errorf("ParseCommand(%q) Error() = %q, want the Msg with a bot: prefix", tt.text, err.Error())
			}
		})
	}
}

func TestParseCommandEveryMenuEntry(t *testing.T) {
	// Every command the menu advertises parses in the form /help shows it,
	// and every help line is for a menu command.
	menu := CommandMenu()
	lines := strings.Split(CommandHelp(), "\n")
	if len(lines) != len(menu) {
		t.Fatalf("CommandHelp() has %d lines, CommandMenu() %d entries; want one line per command", len(lines), len(menu))
	}
	for i, m := range menu {
		if !strings.HasPrefix(lines[i], "/"+m.Command) {
			t.Errorf("CommandHelp() line %d = %q, want it to start with /%s", i, lines[i], m.Command)
		}
		got, ok, err := ParseCommand("/" + m.Command)
		if !ok {
			t.Errorf("ParseCommand(%q) ok = false, want true", "/"+m.Command)
		}
		var ce *CommandError
		if err != nil && !errors.As(err, &ce) {
			t.Errorf("ParseCommand(%q) = %v, want nil or a *CommandError", "/"+m.Command, err)
		}
		if err == nil && got.Name != m.Command {
			t.Errorf("ParseCommand(%q).Name = %q, want %q", "/"+m.Command, got.Name, m.Command)
		}
	}
}

// gsm7Basic is the printable ASCII in the GSM 03.38 basic set; characters
// outside it cost two septets or force UCS-2.
var gsm7Basic = regexp.MustCompile(`^[A-Za-z0-9 \n!"#%&'()*+,\-./:;<=>?@]*$`)

func TestCommandHelp(t *testing.T) {
	help := CommandHelp()
	if !gsm7Basic.MatchString(help) {
		t.Errorf("CommandHelp() = %q, want only GSM-7 basic characters", help)
	}
	const twoSegments = 2 * 153
	if len(help) > twoSegments {
		t.Errorf("len(CommandHelp()) = %d, want at most %d (two SMS segments)", len(help), twoSegments)
	}
}

func TestCommandMenu(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	seen := map[string]bool{}
	for _, m := range CommandMenu() {
		if !valid.MatchString(m.Command) {
			t.Errorf("CommandMenu() command %q, want 1-32 of a-z, 0-9, _", m.Command)
		}
		if n := len(m.Description); n < 3 || n > 256 {
			t.Errorf("CommandMenu() %s description has %d bytes, want 3-256", m.Command, n)
		}
		if seen[m.Command] {
			t.Errorf("CommandMenu() lists %s twice", m.Command)
		}
		seen[m.Command] = true
	}
	if len(seen) != 15 {
		t.Errorf("CommandMenu() has %d commands, want 15", len(seen))
	}
}

func TestCommandDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"emergency", "emergency", 0},
		{"emergancy", "emergency", 1},
		{"urgnet", "urgent", 1},
		{"rutine", "routine", 1},
		{"emerg", "emergency", 4},
		{"", "abc", 3},
		{"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := cmdDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("cmdDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"", "/", "/jobs", "jobs emergency", "/job J-1042", "job #1042", "/assign J-1042 alice",
		"/reassign alice j1042", "/cancel J-1042 reason here", "/urgency J-1042 emergancy",
		"/techs@AcmeBot", "/tech alice off duty", "/say J-1042 Hi — see you soon!", "/takeover 1",
		"/release #9223372036854775807", "/note J-1042 text", "/stats week", "/quiet on", "/help",
		"/foo", "note to self: call bob", "/ \u00a0jobs", "/job J-", "/job 99999999999999999999",
		"/say J-1\xff\xfe", "TECH ON", "/jobs@", "/@",
	} {
		f.Add(s)
	}
	names := map[string]bool{}
	for _, m := range CommandMenu() {
		names[m.Command] = true
	}
	takesJob := map[string]bool{"job": true, "assign": true, "reassign": true, "cancel": true, "urgency": true, "say": true, "takeover": true, "release": true, "note": true}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, ok, err := ParseCommand(text)
		if err != nil {
			var ce *CommandError
			if !errors.As(err, &ce) || ce.Msg == "" {
				t.Fatalf("ParseCommand(%q) = %v, want a *CommandError with a message", text, err)
			}
			if !ok {
				t.Fatalf("ParseCommand(%q) ok = false with error %v, want ok", text, err)
			}
			return
		}
		if !ok {
			if cmd != (Command{}) {
				t.Fatalf("ParseCommand(%q) = %+v, not ok, want the zero Command", text, cmd)
			}
			return
		}
		if !names[cmd.Name] {
			t.Fatalf("ParseCommand(%q).Name = %q, want a canonical name", text, cmd.Name)
		}
		if cmd.Job < 0 || takesJob[cmd.Name] != (cmd.Job > 0) {
			t.Fatalf("ParseCommand(%q) = %+v, want Job > 0 exactly for commands that take one", text, cmd)
		}
		if (cmd.Name == "assign" || cmd.Name == "reassign" || cmd.Name == "tech") && cmd.Tech == "" {
			t.Fatalf("ParseCommand(%q) = %+v, want a technician", text, cmd)
		}
	})
}
