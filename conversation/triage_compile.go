package conversation

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"dispatchbot/dispatch"
)

// Term flags, set on the canonical word of the negation lists.
const (
	triFlagNeg   uint8 = 1 << iota // negates what follows
	triFlagOver                    // marks what follows as over
	triFlagBreak                   // ends the reach of triFlagNeg and triFlagOver
)

// Limits and defaults of the rule language.
const (
	triDefaultGap      = 3
	triMaxGap          = 10
	triMaxVariants     = 4096
	triMaxTags         = 64
	triDefaultWindow   = 3
	triDefaultAfterWin = 8
	triNumAll          = "#num"
)

// triSignal is a compiled Signal.
type triSignal struct {
	name      string
	urgency   Urgency
	trade     dispatch.Trade
	context   []dispatch.Trade
	hazard    Hazard
	tag       int // index into triCompiled.tags, -1 for none
	weight    float64
	otherwise Urgency
	hasUnless bool
	weak      bool
	reason    string
}

// keyword reports whether the signal only points at a trade.
func (s *triSignal) keyword() bool { return s.urgency == "" && s.tag < 0 }

// triCombo is a compiled Combo; its tags are bit masks.
type triCombo struct {
	name     string
	all, any uint64
	none     uint64
	allTags  []int
	sentence bool
	urgency  Urgency
	trade    dispatch.Trade
	hazard   Hazard
	weight   float64
	weak     bool
	reason   string
}

// triJoin is a multi-word alias: the terms of seq become the one term to.
type triJoin struct {
	seq []int32
	to  int32
}

// triNumClass is a compiled NumberClass.
type triNumClass struct {
	min, max float64
	term     int32
}

// triCompiled is an immutable, validated rule set ready for matching.
type triCompiled struct {
	vocab       map[string]int32
	words       []string // canonical word of each term
	flags       []uint8
	joins       [][]triJoin // by first term, longest first
	fuzzy       map[string]int32
	numTerm     int32
	numClasses  []triNumClass
	patterns    []triPattern
	pre         []triPre  // by pattern
	first       [][]int32 // term → patterns whose first slot holds it
	signals     []triSignal
	tags        []string
	combos      []triCombo
	window      int
	afterWindow int
}

// triCompiler holds the state of one compilation and gathers its errors.
type triCompiler struct {
	c        *triCompiled
	r        TriageRules
	disabled map[string]bool
	groups   map[string][][]triSlot
	building map[string]bool
	errs     []error
}

func (cp *triCompiler) errorf(format string, args ...any) {
	cp.errs = append(cp.errs, fmt.Errorf(format, args...))
}

// triCompile validates r and compiles it; the error joins every problem.
func triCompile(r TriageRules) (*triCompiled, error) {
	cp := &triCompiler{
		c: &triCompiled{
			vocab:       map[string]int32{},
			fuzzy:       map[string]int32{},
			window:      r.Negation.Window,
			afterWindow: r.Negation.AfterWindow,
		},
		r:        r,
		disabled: map[string]bool{},
		groups:   map[string][][]triSlot{},
		building: map[string]bool{},
	}
	for _, d := range r.Disable {
		cp.disabled[d] = true
	}
	c := cp.c
	if c.window == 0 {
		c.window = triDefaultWindow
	}
	if c.afterWindow == 0 {
		c.afterWindow = triDefaultAfterWin
	}
	if c.window < 0 || c.window > triMaxGap || c.afterWindow < 0 || c.afterWindow > triMaxGap {
		cp.errorf("negation: windows must be 0 to %d", triMaxGap)
	}
	c.numTerm = cp.intern(triNumAll)
	for _, n := range r.Numbers {
		if len(n.Name) < 2 || n.Name[0] != '#' || n.Name == triNumAll || strings.ContainsAny(n.Name, " |*@~") {
			cp.errorf("numbers: bad class name %q", n.Name)
			continue
		}
		if math.IsNaN(n.Min) || math.IsNaN(n.Max) || n.Min > n.Max {
			cp.errorf("numbers: %s: min %v above max %v", n.Name, n.Min, n.Max)
			continue
		}
		c.numClasses = append(c.numClasses, triNumClass{min: n.Min, max: n.Max, term: cp.intern(n.Name)})
	}
	cp.aliases()
	cp.negation()
	cp.signals()
	cp.combos()
	cp.fuzzyWords()
	c.first = make([][]int32, len(c.words))
	for i, p := range c.patterns {
		for _, t := range p.slots[0].terms {
			c.first[t] = append(c.first[t], int32(i))
		}
	}
	if len(cp.errs) > 0 {
		return nil, errors.Join(cp.errs...)
	}
	return c, nil
}

// intern returns the term of a canonical word, creating it if needed.
func (cp *triCompiler) intern(w string) int32 {
	if id, ok := cp.c.vocab[w]; ok {
		return id
	}
	id := int32(len(cp.c.words))
	cp.c.vocab[w] = id
	cp.c.words = append(cp.c.words, w)
	cp.c.flags = append(cp.c.flags, 0)
	return id
}

// triNormWord lowercases w and drops apostrophes, as the tokenizer does.
func triNormWord(w string) string {
	w = strings.ToLower(w)
	return strings.Map(func(r rune) rune {
		switch r {
		case '\'', '’', '‘', '`':
			return -1
		}
		return r
	}, w)
}

// triCheckWord reports whether w can ever equal one token: letters or
// digits, not both (the tokenizer splits "3yo").
func triCheckWord(w string) bool {
	if w == "" {
		return false
	}
	digits, letters := false, false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r >= 'a' && r <= 'z' || r >= 0x80:
			letters = true
		default:
			return false
		}
	}
	return !(digits && letters)
}

func (cp *triCompiler) resolve(w string) (string, bool) {
	for range 10 {
		next, ok := cp.r.Aliases[w]
		if !ok {
			return w, true
		}
		w = triNormWord(strings.TrimSpace(next))
	}
	return w, false
}

func (cp *triCompiler) aliases() {
	keys := slices.Sorted(maps.Keys(cp.r.Aliases))
	var multi []string
	for _, k := range keys {
		if strings.Contains(strings.TrimSpace(k), " ") {
			multi = append(multi, k)
			continue
		}
		to, ok := cp.resolve(k)
		if !ok {
			cp.errorf("aliases: %q: alias loop", k)
			continue
		}
		kn := triNormWord(k)
		if !triCheckWord(kn) || !triCheckWord(to) {
			cp.errorf("aliases: %q: %q must be one word of letters or digits", k, to)
			continue
		}
		cp.c.vocab[kn] = cp.intern(to)
	}
	// Plurals of aliased words follow their canonical word ("faucets" → "taps").
	for _, k := range keys {
		kn := triNormWord(k)
		if strings.Contains(kn, " ") {
			continue
		}
		if _, ok := cp.c.vocab[kn+"s"]; ok {
			continue
		}
		if to, ok := cp.resolve(k); ok && triCheckWord(to) {
			cp.c.vocab[kn+"s"] = cp.intern(to + "s")
		}
	}
	for _, k := range multi {
		to, ok := cp.resolve(triNormWord(strings.TrimSpace(cp.r.Aliases[k])))
		if !ok || !triCheckWord(to) {
			cp.errorf("aliases: %q: %q must be one word of letters or digits", k, to)
			continue
		}
		var seq []int32
		for _, w := range strings.Fields(triNormWord(k)) {
			if !triCheckWord(w) {
				cp.errorf("aliases: %q: bad word %q", k, w)
				seq = nil
				break
			}
			seq = append(seq, cp.word(w))
		}
		if len(seq) < 2 {
			continue
		}
		cp.addJoin(triJoin{seq: seq, to: cp.intern(to)})
	}
}

func (cp *triCompiler) addJoin(j triJoin) {
	c := cp.c
	for int(j.seq[0]) >= len(c.joins) {
		c.joins = append(c.joins, nil)
	}
	list := append(c.joins[j.seq[0]], j)
	slices.SortStableFunc(list, func(a, b triJoin) int { return len(b.seq) - len(a.seq) })
	c.joins[j.seq[0]] = list
}

// word returns the term a customer's word maps to, after aliases.
func (cp *triCompiler) word(w string) int32 {
	if id, ok := cp.c.vocab[w]; ok {
		return id
	}
	return cp.intern(w)
}

// negation flags the negating, ending and breaking words and compiles the
// ending phrases.
func (cp *triCompiler) negation() {
	n := cp.r.Negation
	for _, l := range []struct {
		name  string
		words []string
		flag  uint8
	}{{"before", n.Before, triFlagNeg}, {"over", n.Over, triFlagOver}, {"breaks", n.Breaks, triFlagBreak}} {
		for _, w := range l.words {
			w = triNormWord(strings.TrimSpace(w))
			if !triCheckWord(w) {
				cp.errorf("negation: %s: %q must be one word (join longer ones with an alias)", l.name, w)
				continue
			}
			cp.c.flags[cp.word(w)] |= l.flag
		}
	}
	for _, p := range n.OverAfter {
		cp.addPhrase(p, triPatOverAfter, -1, "negation: over_after")
	}
}

// signals compiles the enabled signals, their phrases and unless phrases.
func (cp *triCompiler) signals() {
	c := cp.c
	seen := map[string]bool{}
	tagIdx := map[string]int{}
	for i, s := range cp.r.Signals {
		where := fmt.Sprintf("signals[%d] %q", i, s.Name)
		switch {
		case s.Name == "":
			cp.errorf("signals[%d]: missing name", i)
			continue
		case seen[s.Name]:
			cp.errorf("%s: duplicate name", where)
			continue
		}
		seen[s.Name] = true
		if cp.disabled[s.Name] || !cp.validSignal(s, where) {
			continue
		}
		cs := triSignal{
			name: s.Name, urgency: s.Urgency, trade: s.Trade, context: s.Context, hazard: s.Hazard,
			tag: -1, weight: s.Weight, otherwise: s.Otherwise, weak: s.Weak, reason: s.Reason,
			hasUnless: len(s.Unless) > 0,
		}
		if cs.weight == 0 {
			cs.weight = 1
		}
		idx := int32(len(c.signals))
		n := len(c.patterns)
		for _, p := range s.Phrases {
			if !cp.disabled[p] {
				cp.addPhrase(p, triPatSignal, idx, where)
			}
		}
		if len(c.patterns) == n {
			continue // every phrase disabled: the signal is off
		}
		for _, p := range s.Unless {
			if !cp.disabled[p] {
				cp.addPhrase(p, triPatUnless, idx, where+" unless")
			}
		}
		if s.Tag != "" {
			t, found := tagIdx[s.Tag]
			if !found {
				t = len(c.tags)
				tagIdx[s.Tag] = t
				c.tags = append(c.tags, s.Tag)
			}
			cs.tag = t
		}
		c.signals = append(c.signals, cs)
	}
	if len(c.tags) > triMaxTags {
		cp.errorf("signals: %d tags, at most %d", len(c.tags), triMaxTags)
	}
}

// validSignal reports every problem of s and whether there was none.
func (cp *triCompiler) validSignal(s Signal, where string) bool {
	n := len(cp.errs)
	if s.Urgency != "" && !s.Urgency.Valid() {
		cp.errorf("%s: unknown urgency %q", where, s.Urgency)
	}
	if s.Otherwise != "" && !s.Otherwise.Valid() {
		cp.errorf("%s: unknown otherwise urgency %q", where, s.Otherwise)
	}
	if s.Otherwise != "" && len(s.Unless) == 0 {
		cp.errorf("%s: otherwise without unless", where)
	}
	if s.Trade != "" && !s.Trade.Valid() {
		cp.errorf("%s: unknown trade %q", where, s.Trade)
	}
	for _, t := range s.Context {
		if !t.Valid() {
			cp.errorf("%s: unknown context trade %q", where, t)
		}
	}
	if !s.Hazard.Valid() {
		cp.errorf("%s: unknown hazard %q", where, s.Hazard)
	}
	if s.Weight < 0 || math.IsNaN(s.Weight) || math.IsInf(s.Weight, 0) {
		cp.errorf("%s: weight %v, want 0 or more", where, s.Weight)
	}
	if s.Urgency == "" && s.Trade == "" && s.Tag == "" && len(s.Context) == 0 {
		cp.errorf("%s: sets none of urgency, trade, context or tag", where)
	}
	if len(s.Phrases) == 0 {
		cp.errorf("%s: no phrases", where)
	}
	return len(cp.errs) == n
}

// combos compiles the enabled combos. A combo naming a tag that only
// disabled signals set can never hold and is left out; a tag no signal
// declares is an error.
func (cp *triCompiler) combos() {
	c := cp.c
	tagIdx := map[string]int{}
	for i, t := range c.tags {
		tagIdx[t] = i
	}
	declared := map[string]bool{}
	for _, s := range cp.r.Signals {
		declared[s.Tag] = true
	}
	seen := map[string]bool{}
	for i, r := range cp.r.Combos {
		where := fmt.Sprintf("combos[%d] %q", i, r.Name)
		if r.Name == "" || seen[r.Name] {
			cp.errorf("%s: missing or duplicate name", where)
			continue
		}
		seen[r.Name] = true
		if cp.disabled[r.Name] {
			continue
		}
		n := len(cp.errs)
		if !r.Urgency.Valid() {
			cp.errorf("%s: unknown urgency %q", where, r.Urgency)
		}
		if r.Trade != "" && !r.Trade.Valid() {
			cp.errorf("%s: unknown trade %q", where, r.Trade)
		}
		if !r.Hazard.Valid() {
			cp.errorf("%s: unknown hazard %q", where, r.Hazard)
		}
		if r.Weight < 0 || math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) {
			cp.errorf("%s: weight %v, want 0 or more", where, r.Weight)
		}
		if len(r.All) == 0 {
			cp.errorf("%s: no tags in all", where)
		}
		// mask sets the bits of the tags in list and counts those that only
		// disabled signals set.
		mask := func(list []string, idx *[]int) (m uint64, off int) {
			for _, t := range list {
				k, ok := tagIdx[t]
				switch {
				case !ok && declared[t]:
					off++
				case !ok:
					cp.errorf("%s: unknown tag %q", where, t)
				case k < triMaxTags:
					m |= 1 << k
					if idx != nil {
						*idx = append(*idx, k)
					}
				}
			}
			return m, off
		}
		cc := triCombo{
			name: r.Name, sentence: r.Sentence, urgency: r.Urgency, trade: r.Trade, hazard: r.Hazard,
			weight: r.Weight, weak: r.Weak, reason: r.Reason,
		}
		if cc.weight == 0 {
			cc.weight = 1
		}
		var allOff, anyOff int
		cc.all, allOff = mask(r.All, &cc.allTags)
		cc.any, anyOff = mask(r.Any, nil)
		cc.none, _ = mask(r.None, nil)
		inert := allOff > 0 || len(r.Any) > 0 && anyOff == len(r.Any)
		if len(cp.errs) == n && !inert {
			c.combos = append(c.combos, cc)
		}
	}
}

func (cp *triCompiler) fuzzyWords() {
	c := cp.c
	const ambiguous = -1
	for _, w := range cp.r.Fuzzy {
		w = triNormWord(strings.TrimSpace(w))
		if len(w) < 5 || !triCheckWord(w) {
			cp.errorf("fuzzy: %q must be one word of at least 5 letters", w)
			continue
		}
		id := cp.word(w)
		add := func(k string) {
			if old, ok := c.fuzzy[k]; ok && old != id {
				c.fuzzy[k] = ambiguous
				return
			}
			c.fuzzy[k] = id
		}
		add(w)
		for i := range len(w) {
			add(w[:i] + w[i+1:])
		}
	}
	for k, v := range c.fuzzy {
		if v == ambiguous {
			delete(c.fuzzy, k)
		}
	}
}
