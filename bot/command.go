package bot

import (
	"strconv"
	"strings"
	"unicode"
)

// Command is one dispatcher chat command, parsed but not yet resolved: the
// job number and technician word are checked against the company's data by
// the caller.
type Command struct {
	Name string // canonical: "jobs", "job", "assign", "reassign", "cancel", "urgency", "techs", "tech", "say", "takeover", "release", "note", "stats", "quiet" or "help"
	Job  int64  // the job number (1042 for "J-1042"), for commands that take a job; 0 otherwise
	Tech string // technician name or id as typed, lower-cased, for assign, reassign and tech
	// Arg is the rest: the /jobs filter (lower-cased; urgency typos
	// corrected), the urgency level ("emergency", "urgent" or "routine"),
	// "on" or "off" for tech and quiet, "today" or "week" for stats (today
	// when omitted), the exact text for say and note, the exact reason for
	// cancel (may be empty), and the lower-cased topic after /help or filter
	// after /techs (usually empty).
	Arg string
}

// CommandError explains why a command could not be parsed. Msg is written to
// be sent back to the dispatcher as it is, e.g. "/assign needs a job and a
// technician, e.g. /assign J-1042 alice".
type CommandError struct {
	Name string // the canonical command name, or the unknown word as typed (lower-cased)
	Msg  string // the explanation for the dispatcher
}

// Error returns the explanation with a package prefix, for logs.
func (e *CommandError) Error() string {
	return "bot: command " + e.Name + ": " + e.Msg
}

// cmdSpec describes one command for parsing messages, /help and the menu.
type cmdSpec struct {
	name  string
	usage string // why it failed, without the command: "needs a job, e.g. /job J-1042"
	help  string // its line in CommandHelp
	menu  string // its description in CommandMenu
}

// cmdSpecs lists the commands in the order /help and the menu show them.
var cmdSpecs = []cmdSpec{
	{"jobs", "takes one filter word, e.g. /jobs emergency", "/jobs or /jobs emergency", "List open jobs, e.g. /jobs emergency or /jobs alice"},
	{"job", "needs a job number, e.g. /job J-1042", "/job J-1042", "Show a job and its conversation: /job J-1042"},
	{"assign", "needs a job and a technician, e.g. /assign J-1042 alice", "/assign J-1042 alice", "Assign a job: /assign J-1042 alice"},
	{"reassign", "needs a job and a technician, e.g. /reassign J-1042 bob", "/reassign J-1042 bob", "Give a job to another technician: /reassign J-1042 bob"},
	{"cancel", "needs a job, e.g. /cancel J-1042 customer fixed it", "/cancel J-1042 reason", "Cancel a job: /cancel J-1042 reason"},
	{"urgency", "needs a job and emergency, urgent or routine, e.g. /urgency J-1042 emergency", "/urgency J-1042 emergency", "Change urgency: /urgency J-1042 emergency, urgent or routine"},
	{"techs", "takes no words after it, e.g. /techs", "/techs", "List technicians and who is on duty"},
	{"tech", "needs a technician and on or off, e.g. /tech alice off", "/tech alice on/off", "Put a technician on or off duty: /tech alice off"},
	{"say", "needs a job and the text for the customer, e.g. /say J-1042 We're 10 minutes away", "/say J-1042 text to customer", "Text the customer as the company: /say J-1042 text"},
	{"takeover", "needs a job, e.g. /takeover J-1042", "/takeover J-1042 (you reply)", "Answer the customer yourself: /takeover J-1042"},
	{"release", "needs a job, e.g. /release J-1042", "/release J-1042 (bot replies)", "Hand the customer back to the bot: /release J-1042"},
	{"note", "needs a job and the note, e.g. /note J-1042 gate code 4411", "/note J-1042 text", "Add a note to a job: /note J-1042 text"},
	{"stats", "takes today or week, e.g. /stats week", "/stats today/week", "Response time, completion, cancellations, feedback"},
	{"quiet", "needs on or off, e.g. /quiet on", "/quiet on/off", "Mute routine alerts: /quiet on or /quiet off"},
	{"help", "takes no words after it, e.g. /help", "/help", "Show all commands"},
}

// cmdAliases are extra words for commands, accepted only after a slash so a
// bare "start" stays the carrier keyword. Telegram sends /start when a
// person first opens the bot.
var cmdAliases = map[string]string{"start": "help"}

func cmdLookup(word string) (cmdSpec, bool) {
	for _, s := range cmdSpecs {
		if s.name == word {
			return s, true
		}
	}
	return cmdSpec{}, false
}

// ParseCommand reads a dispatcher's text.
//
// With a leading slash the text is always a command: ok is true, and a
// malformed or unknown command gives a *CommandError ("unknown command /foo;
// try /help"). Telegram's "@BotName" suffix on the command word is dropped.
//
// Without a slash the text is a command only when its first word is a command
// name and the rest parses for that command ("jobs", "job 1042", "assign
// J-1042 alice"); otherwise ok is false and the caller treats it as ordinary
// text ("note to self: call bob", "say hi to bob"). Two bare cases count as a
// command even though malformed, because the dispatcher plainly meant one, and
// give a *CommandError: the command word alone ("cancel", "assign"), and a
// command word followed by a job written with its prefix ("urgency J-1042
// high").
//
// Command words and technicians are matched in any case; the text of /say,
// /note and /cancel keeps its case, punctuation and inner spacing. A job is
// "J-1042", "j1042", "#1042" or "1042".
func ParseCommand(text string) (cmd Command, ok bool, err error) {
	toks := cmdTokens(text)
	if len(toks) == 0 {
		return Command{}, false, nil
	}
	word := toks[0].s
	slash := strings.HasPrefix(word, "/")
	if slash {
		word = word[1:]
		if word == "" && len(toks) > 1 { // "/ jobs"
			toks = toks[1:]
			word = toks[0].s
		}
		if i := strings.IndexByte(word, '@'); i >= 0 { // "/jobs@AcmeBot"
			word = word[:i]
		}
	}
	word = strings.ToLower(strings.TrimRight(word, ".,!?:;"))
	spec, known := cmdLookup(word)
	if !known && slash {
		if a, ok := cmdAliases[word]; ok {
			spec, known = cmdLookup(a)
		}
	}
	if !known {
		if !slash {
			return Command{}, false, nil
		}
		return Command{}, true, &CommandError{Name: word, Msg: cmdUnknown(word)}
	}
	args := toks[1:]
	cmd, msg := cmdParseArgs(spec.name, text, args, !slash)
	if msg == "" {
		return cmd, true, nil
	}
	if !slash && len(args) > 0 && !cmdExplicitJob(args[0].s) {
		return Command{}, false, nil
	}
	return Command{Name: spec.name}, true, &CommandError{Name: spec.name, Msg: msg}
}

// cmdParseArgs fills a command from the words after its name. It returns the
// message for the dispatcher when they do not fit; bare is true when the
// command had no slash, which makes the rules stricter.
func cmdParseArgs(name, text string, args []cmdToken, bare bool) (Command, string) {
	spec, _ := cmdLookup(name)
	fail := func(why string) (Command, string) {
		if why != "" {
			return Command{}, why + "; /" + name + " " + spec.usage
		}
		return Command{}, "/" + name + " " + spec.usage
	}
	c := Command{Name: name}
	switch name {
	case "help", "techs":
		if bare && len(args) > 0 {
			return fail("")
		}
		c.Arg = cmdWords(args)
	case "jobs":
		if bare && len(args) > 1 {
			return fail("")
		}
		c.Arg = cmdWords(args)
		if u, ok := cmdUrgency(c.Arg); ok {
			c.Arg = u
		}
	case "stats":
		switch strings.TrimRight(cmdWords(args), ".,!?:;") {
		case "", "today", "day":
			c.Arg = "today"
		case "week", "this week", "7 days":
			c.Arg = "week"
		default:
			return fail("")
		}
	case "quiet":
		if len(args) != 1 {
			return fail("")
		}
		v, ok := cmdOnOff(args[0].s)
		if !ok {
			return fail("")
		}
		c.Arg = v
	case "job", "takeover", "release":
		if len(args) != 1 {
			return fail("")
		}
		n, ok := cmdJob(args[0].s)
		if !ok {
			return fail(cmdNotJob(args[0].s))
		}
		c.Job = n
	case "cancel", "say", "note":
		if len(args) == 0 {
			return fail("")
		}
		n, ok := cmdJob(args[0].s)
		if !ok {
			return fail(cmdNotJob(args[0].s))
		}
		c.Job = n
		c.Arg = strings.TrimSpace(text[args[0].end:])
		if c.Arg == "" && name != "cancel" {
			return fail("")
		}
	case "assign", "reassign":
		if len(args) < 2 {
			return fail("")
		}
		if n, ok := cmdJob(args[0].s); ok {
			c.Job, c.Tech = n, cmdTech(args[1:])
		} else if n, ok := cmdJob(args[len(args)-1].s); ok { // "/assign alice J-1042"
			c.Job, c.Tech = n, cmdTech(args[:len(args)-1])
		} else {
			return fail(cmdNotJob(args[0].s))
		}
		if c.Tech == "" {
			return fail("")
		}
	case "urgency":
		if len(args) != 2 {
			return fail("")
		}
		job, level := args[0].s, args[1].s
		if _, ok := cmdJob(job); !ok { // "/urgency emergency J-1042"
			job, level = level, job
		}
		n, ok := cmdJob(job)
		if !ok {
			return fail(cmdNotJob(args[0].s))
		}
		u, ok := cmdUrgency(strings.ToLower(strings.TrimRight(level, ".,!?:;")))
		if !ok {
			return Command{}, strconv.Quote(level) + " is not an urgency; use emergency, urgent or routine, e.g. /urgency J-1042 emergency"
		}
		c.Job, c.Arg = n, u
	case "tech":
		rest := args
		if n := len(rest); n > 0 && strings.EqualFold(strings.TrimRight(rest[n-1].s, ".,!?:;"), "duty") {
			rest = rest[:n-1] // "/tech alice off duty"
		}
		if len(rest) < 2 {
			return fail("")
		}
		if v, ok := cmdOnOff(rest[len(rest)-1].s); ok {
			c.Tech, c.Arg = cmdTech(rest[:len(rest)-1]), v
		} else if v, ok := cmdOnOff(rest[0].s); ok { // "/tech off alice"
			c.Tech, c.Arg = cmdTech(rest[1:]), v
		} else {
			return fail("")
		}
		if c.Tech == "" {
			return fail("")
		}
	}
	return c, ""
}

// cmdToken is one whitespace-separated word of a text; end is the byte
// offset just past it, so the rest can be sliced from the original text.
type cmdToken struct {
	s   string
	end int
}

func cmdTokens(text string) []cmdToken {
	var toks []cmdToken
	start := -1
	for i, r := range text {
		if unicode.IsSpace(r) {
			if start >= 0 {
				toks = append(toks, cmdToken{text[start:i], i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		toks = append(toks, cmdToken{text[start:], len(text)})
	}
	return toks
}

// cmdWords joins words lower-cased with single spaces.
func cmdWords(toks []cmdToken) string {
	ws := make([]string, len(toks))
	for i, t := range toks {
		ws[i] = strings.ToLower(t.s)
	}
	return strings.Join(ws, " ")
}

// cmdTech reads a technician's name or id: lower-cased, single-spaced,
// without a leading "@" or trailing punctuation.
func cmdTech(toks []cmdToken) string {
	s := cmdWords(toks)
	s = strings.TrimPrefix(s, "@")
	return strings.TrimSpace(strings.TrimRight(s, ".,!?:;"))
}

// cmdJob reads a job number written "J-1042", "j1042", "#1042", "#J-1042" or
// "1042", ignoring trailing punctuation ("J-1042:").
func cmdJob(s string) (int64, bool) {
	n, _, ok := cmdJobExplicit(s)
	return n, ok
}

// cmdExplicitJob reports whether s is a job written with a prefix, which
// marks a bare command word as meant.
func cmdExplicitJob(s string) bool {
	_, explicit, ok := cmdJobExplicit(s)
	return ok && explicit
}

func cmdJobExplicit(s string) (n int64, explicit, ok bool) {
	s = strings.TrimRight(s, ".,!?:;")
	if t, found := strings.CutPrefix(s, "#"); found {
		s, explicit = t, true
	}
	if s != "" && (s[0] == 'j' || s[0] == 'J') {
		s, explicit = strings.TrimPrefix(s[1:], "-"), true
	}
	if s == "" || len(s) > 18 {
		return 0, false, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false, false
	}
	return n, explicit, true
}

func cmdNotJob(s string) string {
	return strconv.Quote(cmdShorten(s)) + " is not a job number"
}

// cmdShorten cuts what the dispatcher typed to 20 runes for echoing back.
func cmdShorten(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "..."
	}
	return s
}

func cmdOnOff(s string) (string, bool) {
	switch strings.ToLower(strings.TrimRight(s, ".,!?:;")) {
	case "on":
		return "on", true
	case "off":
		return "off", true
	}
	return "", false
}

// cmdUrgencies are the urgency levels with how many typing slips each
// tolerates; "emerg" and "high" are not urgencies.
var cmdUrgencies = []struct {
	level string
	slips int
}{{"emergency", 2}, {"urgent", 1}, {"routine", 2}}

// cmdUrgency reads an urgency level, forgiving small typos ("emergancy",
// "urgnet", "rutine").
func cmdUrgency(s string) (string, bool) {
	if len(s) < 5 || len(s) > 12 {
		return "", false
	}
	for _, u := range cmdUrgencies {
		if cmdDistance(s, u.level) <= u.slips {
			return u.level, true
		}
	}
	return "", false
}

// cmdUnknown answers an unknown command, suggesting the nearest one.
func cmdUnknown(word string) string {
	if word == "" {
		return "type a command after the slash; try /help"
	}
	shown := cmdShorten(word)
	if len(word) <= 12 {
		for _, s := range cmdSpecs {
			if len(s.name) > 3 && cmdDistance(word, s.name) <= 2 || len(s.name) <= 3 && cmdDistance(word, s.name) <= 1 {
				return "unknown command /" + shown + "; did you mean /" + s.name + "? Try /help"
			}
		}
	}
	return "unknown command /" + shown + "; try /help"
}

// cmdDistance is the optimal string alignment distance between a and b in
// runes: insertions, deletions, substitutions and swaps of neighbours.
func cmdDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// CommandHelp is the /help text: one line per command, in plain GSM-7
// characters and short enough for two SMS segments.
func CommandHelp() string {
	lines := make([]string, len(cmdSpecs))
	for i, s := range cmdSpecs {
		lines[i] = s.help
	}
	return strings.Join(lines, "\n")
}

// CommandMenu lists (command, description) pairs for Telegram's
// setMyCommands, commands without their slash, in /help order.
func CommandMenu() []struct{ Command, Description string } {
	menu := make([]struct{ Command, Description string }, len(cmdSpecs))
	for i, s := range cmdSpecs {
		menu[i].Command, menu[i].Description = s.name, s.menu
	}
	return menu
}
