package conversation

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// slotTok is one token of a slot answer: a number, a word or a punctuation
// mark, so "10am-12pm" is 10, am, -, 12, pm.
type slotTok struct {
	kind byte   // 'n' number, 'w' word, 'p' punctuation
	s    string // lower case
	n    int    // a number's value
}

// lexSlot splits a slot answer into numbers, words and the punctuation that
// matters to times (- : . / #).
func lexSlot(text string) []slotTok {
	var out []slotTok
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			t := slotTok{kind: 'n', s: text[i:j]}
			if j-i > 6 {
				t.kind = 'w'
			} else {
				for _, c := range t.s {
					t.n = t.n*10 + int(c-'0')
				}
			}
			out = append(out, t)
			i = j
			continue
		case unicode.IsLetter(r):
			var b strings.Builder
			j := i
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) {
					b.WriteRune(unicode.ToLower(r2))
				} else if !isApos(r2) || j+n2 >= len(text) {
					break
				} else if next, _ := utf8.DecodeRuneInString(text[j+n2:]); !unicode.IsLetter(next) {
					break
				}
				j += n2
			}
			out = append(out, slotTok{kind: 'w', s: b.String()})
			i = j
			continue
		case r == '-' || r == '–' || r == '—':
			out = append(out, slotTok{kind: 'p', s: "-"})
		case r == ':' || r == '.' || r == '/' || r == '#':
			out = append(out, slotTok{kind: 'p', s: string(r)})
		}
		i += size
	}
	return joinAMPM(out)
}

// joinAMPM turns "a.m." into "am" and "p.m" into "pm".
func joinAMPM(ts []slotTok) []slotTok {
	out := ts[:0]
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if t.kind == 'w' && (t.s == "a" || t.s == "p") && i+2 < len(ts) && ts[i+1].s == "." && ts[i+2].s == "m" {
			t.s += "m"
			i += 2
			if i+1 < len(ts) && ts[i+1].s == "." {
				i++
			}
		}
		out = append(out, t)
	}
	return out
}

var (
	slotFillers = setOfWords(`the a an option opt options number num no slot slots choice ill i will take id like want go with
		for please pls plz lets can have prefer pick choose ok okay yes yeah yep um hi great thanks thank you ta cheers
		x thx lol perfect sounds good that one is fine works me then do would be book in it of them those these best
		suits suit lovely er erm hmm so just oh mine thats its`)
	slotNegations = setOfWords(`none neither not nope cant cannot dont wont doesnt isnt busy other others else different
		another nothing never unavailable instead anything something alternative alternatives reschedule`)
	slotOrdinals = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
	slotAnyRe = regexp.MustCompile(`^(?:(?:i |we )?(?:dont|do not) mind(?: which| when)?|(?:it )?doesnt matter|any|anytime|any time|any of them|any one|anyone` +
		`|whichever|whatever|whenever|either|all good|all fine|soonest|earliest|asap|first available|earliest possible|as soon as possible|soonest possible)(?: one)?$`)
	weekdayNames = map[string]time.Weekday{
		"sunday": time.Sunday, "sun": time.Sunday,
		"monday": time.Monday, "mon": time.Monday,
		"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday, "tu": time.Tuesday, "tuesady": time.Tuesday,
		"wednesday": time.Wednesday, "wed": time.Wednesday, "weds": time.Wednesday, "wensday": time.Wednesday, "wednsday": time.Wednesday, "wedensday": time.Wednesday,
		"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursady": time.Thursday,
		"friday": time.Friday, "fri": time.Friday,
		"saturday": time.Saturday, "sat": time.Saturday,
	}
	tomorrowWords = setOfWords("tomorrow tomorow tommorow tommorrow tmrw tmr tmw tomoz tomo tmoro")
	tomorrowTails = setOfWords("moro morro morrow morow mrw moz")
	monthNames    = map[string]time.Month{
		"jan": time.January, "january": time.January, "feb": time.February, "february": time.February,
		"mar": time.March, "march": time.March, "apr": time.April, "april": time.April, "may": time.May,
		"jun": time.June, "june": time.June, "jul": time.July, "july": time.July, "aug": time.August,
		"august": time.August, "sep": time.September, "sept": time.September, "september": time.September,
		"oct": time.October, "october": time.October, "nov": time.November, "november": time.November,
		"dec": time.December, "december": time.December,
	}
	ordinalSuffixes = setOfWords("st nd rd th")
	choiceWords     = setOfWords("option opt number num no choice slot #")
)

// Parts of the day a customer may name.
const (
	partNone = iota
	partMorning
	partAfternoon
	partEvening
	partLunch
)

// slotTime is a time or range a customer named, as candidate minutes after
// midnight: "2" may be 02:00 or 14:00.
type slotTime struct {
	starts, ends []int
}

// slotQuery is what a free answer says about the slot it wants.
type slotQuery struct {
	weekday      time.Weekday
	hasWeekday   bool
	relDay       int // days from today, or -1
	dom          int // day of the month, or 0
	month        time.Month
	dateA, dateB int // a numeric date "24/3": either order
	part         int
	times        []slotTime
	choice       int // "option 2 on tuesday": a 1-based position
	last         bool
}

// ParseSlotChoice reads which offered slot the customer picked and returns
// its index. It understands a number ("2", "option 2", "#2"; a number above
// len(slots), like "10", is an hour), ordinals ("second", "2nd", "the last
// one"), times and ranges ("10am", "the 8-10", "Tue 9-11", "thursday at
// 2"), days ("tomorrow", "wed", "24th") and parts of the day ("tomorrow
// morning"). Times are read in loc (nil means UTC) and days relative to now.
// A day or part of the day that fits several slots picks the earliest ("the
// latest" the last); a time that fits several, a refusal or no match gives
// ok false.
func ParseSlotChoice(text string, slots []Slot, now time.Time, loc *time.Location) (int, bool) {
	if len(slots) == 0 {
		return 0, false
	}
	if loc == nil {
		loc = time.UTC
	}
	toks := lexSlot(text)
	var words []string
	for _, t := range toks {
		if t.kind != 'p' {
			words = append(words, t.s)
		}
	}
	core := trimSlotFillers(words)
	if slotAnyRe.MatchString(strings.Join(core, " ")) {
		return pickSlotByStart(slots, slotIndexes(len(slots)), false), true
	}
	for i, t := range toks {
		if t.kind == 'w' && slotNegations[t.s] || t.s == "no" && !(i+1 < len(toks) && (toks[i+1].kind == 'n' || toks[i+1].s == "." || toks[i+1].s == "#")) {
			return 0, false
		}
	}
	if i, ok, decided := slotByPosition(core, slots, loc); decided {
		return i, ok
	}
	q, ok := readSlotQuery(toks, len(slots))
	if !ok {
		return 0, false
	}
	if q.choice > 0 {
		return q.choice - 1, true
	}
	return matchSlotQuery(q, slots, now.In(loc), loc)
}

// trimSlotFillers drops polite words around an answer, keeping at least one.
func trimSlotFillers(ws []string) []string {
	for len(ws) > 1 && slotFillers[ws[0]] {
		ws = ws[1:]
	}
	for len(ws) > 1 && slotFillers[ws[len(ws)-1]] {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// slotByPosition reads an answer that names a slot by its place in the
// list: "2", "second", "2nd", "the last one". decided is false when the
// answer is something else.
func slotByPosition(core []string, slots []Slot, loc *time.Location) (i int, ok, decided bool) {
	n := len(slots)
	switch {
	case len(core) == 1 && isDigits(core[0], 1):
		k := smallAtoi(core[0])
		if k >= 1 && k <= n {
			return k - 1, true, true
		}
	case len(core) == 2 && isDigits(core[0], 1) && ordinalSuffixes[core[1]]:
		k := smallAtoi(core[0])
		if k < 1 || k > n {
			return 0, false, false // a day of the month: "24th"
		}
		for j, s := range slots {
			if j != k-1 && s.Start.In(loc).Day() == k && slots[k-1].Start.In(loc).Day() != k {
				return 0, false, true // "2nd" could be the slot on the 2nd
			}
		}
		return k - 1, true, true
	case len(core) == 1:
		switch w := core[0]; w {
		case "last", "final":
			return n - 1, true, true
		case "middle":
			if n == 3 {
				return 1, true, true
			}
			return 0, false, true
		case "latest":
			return pickSlotByStart(slots, slotIndexes(n), true), true, true
		default:
			if k, found := slotOrdinals[w]; found {
				if k > n {
					return 0, false, true
				}
				return k - 1, true, true
			}
		}
	}
	return 0, false, false
}

func smallAtoi(s string) int {
	if len(s) > 6 {
		return -1
	}
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func slotIndexes(n int) []int {
	ix := make([]int, n)
	for i := range ix {
		ix[i] = i
	}
	return ix
}

// pickSlotByStart is the index in ix of the earliest slot, or the latest.
func pickSlotByStart(slots []Slot, ix []int, latest bool) int {
	best := ix[0]
	for _, i := range ix[1:] {
		if latest && slots[i].Start.After(slots[best].Start) || !latest && slots[i].Start.Before(slots[best].Start) {
			best = i
		}
	}
	return best
}
