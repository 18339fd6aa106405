package bot

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// TechCommand is what a technician's text asks for.
type TechCommand struct {
	Kind    TechKind
	Job     int64  // the job number when given ("1042", "J-1042", "#1042", "job 1042"); 0 when not
	Minutes int    // for OnMyWay and RunningLate: minutes of delay or ETA, 0..600; 0 when not given
	Note    string // free text after the command ("done - replaced the valve" → "replaced the valve")
}

// TechKind is the kind of a technician's command.
type TechKind int

// The technician commands. TechUnknown is the safe answer to anything unclear.
const (
	TechUnknown     TechKind = iota
	TechAccept               // yes, ok, accept, i'll take it, 👍 (optionally with the job number)
	TechDecline              // no, nope, decline, pass, can't, 👎 (optionally with a reason)
	TechOnMyWay              // on my way, omw, en route, leaving now, be there in 10
	TechArrived              // arrived, here, on site, at the property
	TechDone                 // done, finished, complete, all fixed (optionally with a note)
	TechRunningLate          // running late 20, 20 mins late, running behind
	TechCantMake             // can't make it, won't make it, have to cancel (optionally with a reason)
	TechToday                // today, my jobs, schedule, route
	TechOffDuty              // off, off duty, clocking off, end of shift, done for the day
	TechOnDuty               // on, on duty, clocking on, back on, available
	TechHelp                 // help, ?, commands
)

var techKindNames = [...]string{"unknown", "accept", "decline", "on_my_way", "arrived", "done",
	"running_late", "cant_make", "today", "off_duty", "on_duty", "help"}

// String names the kind for logs and metrics.
func (k TechKind) String() string {
	if k >= 0 && int(k) < len(techKindNames) {
		return techKindNames[k]
	}
	return "TechKind(" + strconv.Itoa(int(k)) + ")"
}

// techMaxMinutes bounds a believable delay or ETA; larger values read as 0.
const techMaxMinutes = 600

// ParseTechReply reads a technician's free-text reply. The first words
// decide the intent; a job reference anywhere fills Job. Anything unclear,
// any question (except for today's jobs or help) and any hedged accept
// ("yes but…") is TechUnknown: a wrong accept assigns a job, so it is the
// one mistake this parser avoids hardest.
func ParseTechReply(text string) TechCommand {
	s := strings.Join(strings.Fields(text), " ")
	toks, question := techTokenize(s)
	toks, job := techTakeJob(toks)
	c := techInterpret(s, toks, question)
	if c.Kind == TechCantMake && c.Note == "" && job == 0 && techBareCancel(toks) {
		c = TechCommand{} // a bare CANCEL is the carrier's opt-out word, not ours
	}
	c.Job = job
	return c
}

// techTakeJob removes job references from toks and returns the first one.
// A job is "#12", "j-12", "j12", "job 12", "ref 12", or a bare number of 4
// to 10 digits without a leading zero and not followed by a time unit.
func techTakeJob(toks []techToken) ([]techToken, int64) {
	var job int64
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		found, n, skip := false, int64(0), 0
		switch {
		case t.hash && t.num >= 0:
			found, n = true, t.num
		case (t.key == "j" || t.key == "job" || t.key == "ref") && i+1 < len(toks) && toks[i+1].num >= 0:
			found, n, skip = true, toks[i+1].num, 1
		case t.key == "job" && i+2 < len(toks) && techAny(toks[i+1].key, "no", "number", "num", "nr") && toks[i+2].num >= 0:
			found, n, skip = true, toks[i+2].num, 2
		case t.num >= 1000 && len(t.key) <= 10 && t.key[0] != '0' &&
			(i+1 == len(toks) || !techAny(toks[i+1].key, "am", "pm", "h", "hr", "hrs", "hour", "hours", "oclock", "min", "mins", "minutes", "m")):
			found, n = true, t.num
		}
		if !found {
			out = append(out, t)
			continue
		}
		if job == 0 {
			job = n
		}
		i += skip
	}
	return out, job
}

func techAny(key string, words ...string) bool {
	for _, w := range words {
		if key == w {
			return true
		}
	}
	return false
}

// techBareCancel reports whether toks is just "cancel".
func techBareCancel(toks []techToken) bool {
	return len(toks) == 1 && toks[0].key == "cancel"
}

// techMatch is a pattern matched at a position.
type techMatch struct {
	p       *techPattern
	end     int
	minutes int
}

// techInterpret decides the command from the tokens left after the job.
func techInterpret(s string, toks []techToken, question bool) TechCommand {
	p := techSkip(toks, 0, techGreetings)
	if p == len(toks) {
		if question && len(toks) == 0 {
			return TechCommand{Kind: TechHelp}
		}
		return TechCommand{}
	}
	m, ok := techBest(toks, p)
	if !ok {
		return TechCommand{}
	}
	kind := m.p.kind
	if kind == TechAccept {
		// "ok, on my way": an acknowledgement before another command.
		if sub, ok := techBest(toks, techSkip(toks, m.end, techFillers)); ok && sub.p.kind != TechAccept {
			switch sub.p.kind {
			case TechOnMyWay, TechArrived, TechDone, TechRunningLate, TechCantMake:
				m, kind = sub, sub.p.kind
			case TechDecline:
				return TechCommand{} // "yes no": mixed signals
			}
		}
	}
	if kind == TechUnknown || (question && kind != TechToday && kind != TechHelp) {
		return TechCommand{}
	}
	// Absorb what repeats the command: "omw, be there in 10", "arrived at the property".
	end, minutes := m.end, m.minutes
	for {
		q := techSkip(toks, end, techFillers)
		next, ok := techBest(toks, q)
		if !ok || next.p.kind != kind || next.end == q {
			break
		}
		end = next.end
		if minutes == 0 {
			minutes = next.minutes
		}
	}
	tail := toks[end:]
	if !m.p.noted {
		if techSkip(toks, end, techFillers) != len(toks) {
			return TechCommand{}
		}
		tail = nil
	}
	if kind == TechDecline {
		for _, t := range tail {
			if techAny(t.key, "yes", "yep", "yeah", "ok", "okay", "sure", "accept", techThumbUp) {
				return TechCommand{}
			}
		}
	}
	if (kind == TechOnMyWay || kind == TechRunningLate) && minutes == 0 {
		minutes = techScanMinutes(toks, end, kind)
	}
	c := TechCommand{Kind: kind, Note: techNote(s, tail)}
	if kind == TechOnMyWay || kind == TechRunningLate {
		c.Minutes = minutes
	}
	return c
}

// techSkip returns the first position at or after i that is not one of
// words (single-word entries only; multi-word entries are checked too).
func techSkip(toks []techToken, i int, words [][]string) int {
	for i < len(toks) {
		n := techPhraseAt(toks, i, words)
		if n == 0 {
			return i
		}
		i += n
	}
	return i
}

// techPhraseAt returns the length of the longest of phrases at toks[i:], or 0.
func techPhraseAt(toks []techToken, i int, phrases [][]string) int {
	best := 0
	for _, ph := range phrases {
		if len(ph) <= best || i+len(ph) > len(toks) {
			continue
		}
		ok := true
		for k, w := range ph {
			if toks[i+k].key != w {
				ok = false
				break
			}
		}
		if ok {
			best = len(ph)
		}
	}
	return best
}

// techScanMinutes finds a delay or ETA later in the text: a number with a
// unit ("20 mins"), or a phrase of the same kind that carries one.
func techScanMinutes(toks []techToken, from int, kind TechKind) int {
	for i := from; i < len(toks); i++ {
		if i > 0 && techAny(toks[i-1].key, "at", "before", "after", "until", "till", "around") {
			continue // a clock time
		}
		if _, n, unit := techMinutes(toks, i); unit && n > 0 {
			return n
		}
		if m, ok := techBest(toks, i); ok && m.p.kind == kind && m.minutes > 0 {
			return m.minutes
		}
	}
	return 0
}

// techMinutes reads an amount of time at toks[i]: "20", "20 mins", "1 hr",
// "1.5 hours", "half an hour", "an hour". It returns the end, the minutes
// (0 when out of range) and whether a unit was written.
func techMinutes(toks []techToken, i int) (int, int, bool) {
	if i >= len(toks) {
		return 0, 0, false
	}
	t := toks[i]
	if n := techPhraseAt(toks, i, techHalfHour); n > 0 {
		return i + n, 30, true
	}
	if n := techPhraseAt(toks, i, techOneHour); n > 0 {
		return i + n, 60, true
	}
	var v float64
	switch {
	case t.num >= 0 && !t.hash && len(t.key) <= 3:
		v = float64(t.num)
	case t.key == techDecimal:
		v = t.frac
	default:
		return 0, 0, false
	}
	end, unit, mult := i+1, false, 1.0
	if end < len(toks) {
		switch k := toks[end].key; {
		case techAny(k, "am", "pm", "oclock"):
			return 0, 0, false
		case techAny(k, "m", "min", "mins", "minute", "minutes", "mn", "mns", "minz", "mts"):
			end, unit = end+1, true
		case techAny(k, "h", "hr", "hrs", "hour", "hours"):
			end, unit, mult = end+1, true, 60
		}
	}
	if t.key == techDecimal && mult == 1 {
		return 0, 0, false // "2.30" is a time, "1.5 hours" an amount
	}
	n := int(v*mult + 0.5)
	if n < 0 || n > techMaxMinutes {
		n = 0
	}
	return end, n, unit
}

// techNote cuts the free text spanned by tail from s, without leading or
// trailing politeness.
func techNote(s string, tail []techToken) string {
	i, j := 0, len(tail)
	for i < j && techAny(tail[i].key, techPoliteWords...) {
		i++
	}
	for j > i && techAny(tail[j-1].key, techPoliteWords...) {
		j--
	}
	if i >= j {
		return ""
	}
	return s[tail[i].start:tail[j-1].end]
}

var techPatterns = techCompile(techRules)

func techCompile(rules []techRule) []techPattern {
	ps := make([]techPattern, len(rules))
	for i, r := range rules {
		ps[i] = techPattern{kind: r.kind, noted: r.noted}
		for _, f := range strings.Fields(r.src) {
			e := techElem{}
			if strings.HasSuffix(f, "?") {
				e.optional, f = true, strings.TrimSuffix(f, "?")
			}
			if f == "N" {
				e.minutes = true
			} else {
				e.words = strings.Split(f, "/")
			}
			ps[i].elems = append(ps[i].elems, e)
		}
	}
	return ps
}

// techBest returns the longest pattern match at toks[i:], the first listed
// on a tie.
func techBest(toks []techToken, i int) (techMatch, bool) {
	var best techMatch
	found := false
	for k := range techPatterns {
		p := &techPatterns[k]
		end, mins, ok := techMatchElems(toks, i, p.elems)
		if ok && end > i && (!found || end > best.end) {
			best, found = techMatch{p: p, end: end, minutes: mins}, true
		}
	}
	return best, found
}

// techMatchElems matches elems at toks[i:] and returns the longest end.
func techMatchElems(toks []techToken, i int, elems []techElem) (int, int, bool) {
	if len(elems) == 0 {
		return i, 0, true
	}
	e, rest := elems[0], elems[1:]
	bestEnd, bestMins, found := 0, 0, false
	try := func(next, mins int) {
		end, m, ok := techMatchElems(toks, next, rest)
		if ok && (!found || end > bestEnd) {
			if m == 0 {
				m = mins
			}
			bestEnd, bestMins, found = end, m, true
		}
	}
	if e.minutes {
		if end, n, _ := techMinutes(toks, i); end > i {
			try(end, n)
		}
	} else if i < len(toks) && techAny(toks[i].key, e.words...) {
		try(i+1, 0)
	}
	if e.optional {
		try(i, 0)
	}
	return bestEnd, bestMins, found
}

var (
	techGreetings = techPhrases("hi", "hey", "hello", "hiya", "yo", "sorry", "soz", "um", "erm", "uh", "morning",
		"afternoon", "evening", "good morning", "good afternoon", "good evening", "so", "hi there", "hey there")
	techPoliteWords = []string{"thanks", "thank", "you", "thx", "ty", "ta", "tnx", "cheers", "please", "pls",
		"plz", "mate", "boss", "bro", "buddy", "man", "sir", "guys", "team", "x", "xx", "xxx", "lol", "haha", techThumbUp}
	techFillers = techPhrases(append([]string{"now", "today", "asap", "again", "then", "too", "also", "as well",
		"sorry", "soz", "go on", "go on then"}, techPoliteWords...)...)
	techHalfHour = techPhrases("half an hour", "half a hour", "half hour", "30 min", "a half hour")
	techOneHour  = techPhrases("an hour", "a hour", "one hour")
)

func techPhrases(ss ...string) [][]string {
	var out [][]string
	for _, s := range ss {
		if f := strings.Fields(s); len(f) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// techFuzzyWords are words worth correcting one typo in; words an accept
// could be mistaken from are left out on purpose.
var techFuzzyWords = []string{"arrived", "arriving", "finished", "complete", "completed", "repaired", "running",
	"minutes", "minute", "leaving", "heading", "schedule", "property", "delayed", "behind", "decline", "declined",
	"accept", "accepted", "cancel", "clocking", "signing", "available", "unavailable", "outside", "traffic",
	"today", "commands", "sorted"}

// techFuzzy corrects w to the one fuzzy word at edit distance 1, if any.
func techFuzzy(w string) string {
	if utf8.RuneCountInString(w) < 5 {
		return w
	}
	match := ""
	for _, f := range techFuzzyWords {
		if f == w {
			return w
		}
		if techEditDistance1(w, f) {
			if match != "" {
				return w
			}
			match = f
		}
	}
	if match == "" {
		return w
	}
	return match
}

// techEditDistance1 reports whether a and b differ by exactly one
// insertion, deletion, substitution or swap of neighbouring letters.
func techEditDistance1(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y)-len(x) > 1 {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if i == len(x) {
		return len(y) == len(x)+1
	}
	if len(x) == len(y) {
		if string(x[i+1:]) == string(y[i+1:]) {
			return true
		}
		return i+1 < len(x) && x[i] == y[i+1] && x[i+1] == y[i] && string(x[i+2:]) == string(y[i+2:])
	}
	return string(x[i:]) == string(y[i+1:])
}
