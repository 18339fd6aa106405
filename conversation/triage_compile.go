package conversation

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"dispatchbot/dispatch"
)

// Term flags, set on the canonical word of the negation lists.
const (
	triNeg   uint8 = 1 << iota // negates what follows
	triOver                    // marks what follows as over
	triBreak                   // ends the reach of triNeg and triOver
)

const (
	triDefaultGap      = 3
	triMaxGap          = 10
	triMaxVariants     = 4096
	triMaxTags         = 64
	triDefaultWindow   = 3
	triDefaultAfterWin = 6
	triNumAll     = "#num"
)

// triSlot is one position of a triCompiled phrase: any of terms, after up to gap
// skipped tokens.
type triSlot struct {
	terms []int32 // sorted
	gap   uint8
	lit   bool // one exact word: candidate for joining into an alias
}

type triPatKind uint8

const (
	triPatSignal triPatKind = iota
	triPatUnless
	triPatOverAfter
)

type triPattern struct {
	slots []triSlot
	kind  triPatKind
	owner int32 // index into triCompiled.signals; -1 for triPatOverAfter
}

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

type triCombo struct {
	name      string
	all, any  uint64
	none      uint64
	allTags   []int
	sentence  bool
	urgency   Urgency
	trade     dispatch.Trade
	hazard    Hazard
	weight    float64
	weak      bool
	reason    string
	anyTagIdx []int
}

type triJoin struct {
	seq []int32
	to  int32
}

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
	first       [][]int32 // term → patterns whose first triSlot holds it
	signals     []triSignal
	tags        []string
	combos      []triCombo
	window      int
	afterWindow int
}

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
		if n.Min > n.Max {
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

// triCheckWord reports whether w can ever equal one triToken.
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

func (cp *triCompiler) negation() {
	n := cp.r.Negation
	for _, l := range []struct {
		name  string
		words []string
		flag  uint8
	}{{"before", n.Before, triNeg}, {"over", n.Over, triOver}, {"breaks", n.Breaks, triBreak}} {
		for _, w := range l.words {
			w = triNormWord(strings.TrimSpace(w))
			if !triCheckWord(w) {
				cp.errorf("negation: %s: %q must be one word (triJoin longer ones with an alias)", l.name, w)
				continue
			}
			cp.c.flags[cp.word(w)] |= l.flag
		}
	}
	for _, p := range n.OverAfter {
		cp.addPhrase(p, triPatOverAfter, -1, "negation: over_after")
	}
}

func (cp *triCompiler) signals() {
	c := cp.c
	seen := map[string]bool{}
	tagIdx := map[string]int{}
	for i, s := range cp.r.Signals {
		where := fmt.Sprintf("signals[%d] %q", i, s.Name)
		if s.Name == "" {
			cp.errorf("signals[%d]: missing name", i)
			continue
		}
		if seen[s.Name] {
			cp.errorf("%s: duplicate name", where)
			continue
		}
		seen[s.Name] = true
		if cp.disabled[s.Name] {
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
		ok := true
		if s.Urgency != "" && !s.Urgency.Valid() {
			cp.errorf("%s: unknown urgency %q", where, s.Urgency)
			ok = false
		}
		if s.Otherwise != "" && !s.Otherwise.Valid() {
			cp.errorf("%s: unknown otherwise urgency %q", where, s.Otherwise)
			ok = false
		}
		if s.Otherwise != "" && len(s.Unless) == 0 {
			cp.errorf("%s: otherwise without unless", where)
			ok = false
		}
		if s.Trade != "" && !s.Trade.Valid() {
			cp.errorf("%s: unknown trade %q", where, s.Trade)
			ok = false
		}
		for _, t := range s.Context {
			if !t.Valid() {
				cp.errorf("%s: unknown context trade %q", where, t)
				ok = false
			}
		}
		if !s.Hazard.Valid() {
			cp.errorf("%s: unknown hazard %q", where, s.Hazard)
			ok = false
		}
		if s.Weight < 0 {
			cp.errorf("%s: negative weight", where)
			ok = false
		}
		if s.Urgency == "" && s.Trade == "" && s.Tag == "" && len(s.Context) == 0 {
			cp.errorf("%s: sets none of urgency, trade, context or tag", where)
			ok = false
		}
		if len(s.Phrases) == 0 {
			cp.errorf("%s: no phrases", where)
			ok = false
		}
		if !ok {
			continue
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
		c.signals = append(c.signals, cs)
	}
	if len(c.tags) > triMaxTags {
		cp.errorf("signals: %d tags, at most %d", len(c.tags), triMaxTags)
	}
}

func (cp *triCompiler) combos() {
	c := cp.c
	tagIdx := map[string]int{}
	for i, t := range c.tags {
		tagIdx[t] = i
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
		cc := triCombo{
			name: r.Name, sentence: r.Sentence, urgency: r.Urgency, trade: r.Trade, hazard: r.Hazard,
			weight: r.Weight, weak: r.Weak, reason: r.Reason,
		}
		if cc.weight == 0 {
			cc.weight = 1
		}
		if !r.Urgency.Valid() {
			cp.errorf("%s: unknown urgency %q", where, r.Urgency)
		}
		if r.Trade != "" && !r.Trade.Valid() {
			cp.errorf("%s: unknown trade %q", where, r.Trade)
		}
		if !r.Hazard.Valid() {
			cp.errorf("%s: unknown hazard %q", where, r.Hazard)
		}
		if len(r.All) == 0 {
			cp.errorf("%s: no tags in all", where)
		}
		mask := func(list []string, idx *[]int) uint64 {
			var m uint64
			for _, t := range list {
				k, ok := tagIdx[t]
				if !ok || k >= triMaxTags {
					cp.errorf("%s: unknown tag %q", where, t)
					continue
				}
				m |= 1 << k
				if idx != nil {
					*idx = append(*idx, k)
				}
			}
			return m
		}
		cc.all = mask(r.All, &cc.allTags)
		cc.any = mask(r.Any, &cc.anyTagIdx)
		cc.none = mask(r.None, nil)
		c.combos = append(c.combos, cc)
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

// addPhrase compiles one phrase into patterns.
func (cp *triCompiler) addPhrase(p string, kind triPatKind, owner int32, where string) {
	variants, err := cp.parse(p)
	if err != nil {
		cp.errorf("%s: phrase %q: %w", where, p, err)
		return
	}
	for _, v := range variants {
		cp.c.patterns = append(cp.c.patterns, triPattern{slots: v, kind: kind, owner: owner})
	}
}

// parse compiles a phrase into its variants (one per choice of a multi-word
// alternative), with aliases joined.
func (cp *triCompiler) parse(p string) ([][]triSlot, error) {
	fields, err := triFields(p)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, errors.New("empty")
	}
	variants := [][]triSlot{nil}
	gap := -1 // -1: no gap pending
	for i, f := range fields {
		if f[0] == '~' {
			if i == 0 || i == len(fields)-1 || gap >= 0 {
				return nil, errors.New("a gap must stand between two words")
			}
			gap = triDefaultGap
			if len(f) > 1 {
				n, err := strconv.Atoi(f[1:])
				if err != nil || n < 1 || n > triMaxGap {
					return nil, fmt.Errorf("bad gap %q", f)
				}
				gap = n
			}
			continue
		}
		g := uint8(max(gap, 0))
		gap = -1
		var alts [][]triSlot
		switch f[0] {
		case '@':
			alts, err = cp.group(f[1:])
		case '(':
			alts, err = cp.choice(f[1 : len(f)-1])
		default:
			var s triSlot
			s, err = cp.alternatives(f)
			alts = [][]triSlot{{s}}
		}
		if err != nil {
			return nil, err
		}
		if variants, err = triAppendAlts(variants, alts, g); err != nil {
			return nil, err
		}
	}
	for k, v := range variants {
		variants[k] = cp.joinSlots(v)
	}
	return variants, nil
}

// triFields splits a phrase at spaces, keeping each "(a b|c)" choice whole.
func triFields(p string) ([]string, error) {
	var out []string
	depth, start := 0, -1
	for i, r := range p {
		switch {
		case r == '(':
			if depth == 0 && start < 0 {
				start = i
			}
			depth++
		case r == ')':
			depth--
			if depth < 0 {
				return nil, errors.New("unbalanced parentheses")
			}
		case r == ' ' || r == '\t' || r == '\n':
			if depth == 0 && start >= 0 {
				out = append(out, p[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if depth != 0 {
		return nil, errors.New("unbalanced parentheses")
	}
	if start >= 0 {
		out = append(out, p[start:])
	}
	for _, f := range out {
		if strings.Contains(f, "(") && (f[0] != '(' || f[len(f)-1] != ')') {
			return nil, fmt.Errorf("bad choice %q: write (a b|c) apart from other words", f)
		}
	}
	return out, nil
}

// choice compiles the alternatives of "(a b|c|@group)", each a phrase.
func (cp *triCompiler) choice(inner string) ([][]triSlot, error) {
	var out [][]triSlot
	depth, start := 0, 0
	for i := 0; i <= len(inner); i++ {
		if i < len(inner) {
			switch inner[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				continue
			case '|':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		alt := strings.TrimSpace(inner[start:i])
		start = i + 1
		if alt == "" {
			return nil, errors.New("empty alternative")
		}
		v, err := cp.parse(alt)
		if err != nil {
			return nil, err
		}
		out = append(out, v...)
	}
	return out, nil
}

// triAppendAlts appends a choice of alternatives, after gap skipped tokens,
// to every variant.
func triAppendAlts(variants, alts [][]triSlot, gap uint8) ([][]triSlot, error) {
	if merged, ok := triMergeSingle(alts); ok {
		merged.gap = gap
		for k := range variants {
			variants[k] = append(variants[k], merged)
		}
		return variants, nil
	}
	var next [][]triSlot
	for _, v := range variants {
		for _, alt := range alts {
			nv := append(slices.Clone(v), alt...)
			nv[len(v)] = triSlot{terms: alt[0].terms, gap: gap, lit: alt[0].lit}
			next = append(next, nv)
		}
	}
	if len(next) > triMaxVariants {
		return nil, errors.New("too many combinations of alternatives")
	}
	return next, nil
}

func (cp *triCompiler) alternatives(f string) (triSlot, error) {
	var s triSlot
	alts := strings.Split(f, "|")
	for _, a := range alts {
		switch {
		case a == "":
			return s, errors.New("empty alternative")
		case a[0] == '#':
			id, ok := cp.c.vocab[a]
			if !ok {
				return s, fmt.Errorf("unknown number class %q", a)
			}
			s.terms = append(s.terms, id)
		case strings.HasSuffix(a, "*"):
			w := triNormWord(strings.TrimSuffix(a, "*"))
			if !triCheckWord(w) {
				return s, fmt.Errorf("bad word %q", a)
			}
			for _, form := range triInflections(w) {
				s.terms = append(s.terms, cp.word(form))
			}
		default:
			w := triNormWord(a)
			if !triCheckWord(w) {
				return s, fmt.Errorf("bad word %q", a)
			}
			s.terms = append(s.terms, cp.word(w))
		}
	}
	s.lit = len(alts) == 1 && len(s.terms) == 1 && alts[0][0] != '#' && !strings.HasSuffix(alts[0], "*")
	slices.Sort(s.terms)
	s.terms = slices.Compact(s.terms)
	return s, nil
}

func (cp *triCompiler) group(name string) ([][]triSlot, error) {
	if v, ok := cp.groups[name]; ok {
		return v, nil
	}
	phrases, ok := cp.r.Groups[name]
	if !ok {
		return nil, fmt.Errorf("unknown group @%s", name)
	}
	if cp.building[name] {
		return nil, fmt.Errorf("group @%s refers to itself", name)
	}
	cp.building[name] = true
	defer delete(cp.building, name)
	var out [][]triSlot
	for _, p := range phrases {
		if cp.disabled[p] {
			continue
		}
		v, err := cp.parse(p)
		if err != nil {
			return nil, fmt.Errorf("group @%s: phrase %q: %w", name, p, err)
		}
		out = append(out, v...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("group @%s is empty", name)
	}
	cp.groups[name] = out
	return out, nil
}

// triMergeSingle folds a group whose every alternative is one triSlot into one triSlot.
func triMergeSingle(gv [][]triSlot) (triSlot, bool) {
	var s triSlot
	for _, v := range gv {
		if len(v) != 1 {
			return triSlot{}, false
		}
		s.terms = append(s.terms, v[0].terms...)
	}
	slices.Sort(s.terms)
	s.terms = slices.Compact(s.terms)
	s.lit = len(gv) == 1 && gv[0][0].lit
	return s, true
}

// joinSlots replaces runs of literal words that form a multi-word alias by
// the alias's word, as the tokenizer does with the message.
func (cp *triCompiler) joinSlots(v []triSlot) []triSlot {
	joins := cp.c.joins
	out := v[:0:0]
	for i := 0; i < len(v); {
		s := v[i]
		if s.lit && int(s.terms[0]) < len(joins) {
			done := false
			for _, j := range joins[s.terms[0]] {
				if i+len(j.seq) > len(v) {
					continue
				}
				ok := true
				for k := 1; k < len(j.seq); k++ {
					n := v[i+k]
					if !n.lit || n.gap != 0 || n.terms[0] != j.seq[k] {
						ok = false
						break
					}
				}
				if ok {
					out = append(out, triSlot{terms: []int32{j.to}, gap: s.gap, lit: true})
					i += len(j.seq)
					done = true
					break
				}
			}
			if done {
				continue
			}
		}
		out = append(out, s)
		i++
	}
	return out
}

// triInflections lists w and its common inflected and texting forms: leak →
// leaks, leaked, leaking, leakin; smoke → smoking; drip → dripping; dry → dried.
func triInflections(w string) []string {
	out := []string{w, w + "s", w + "es", w + "ed", w + "ing", w + "in"}
	n := len(w)
	if n < 2 {
		return out
	}
	last := w[n-1]
	if last == 'e' {
		stem := w[:n-1]
		out = append(out, w+"d", stem+"ing", stem+"in")
	}
	if last == 'y' && !triVowel(w[n-2]) {
		stem := w[:n-1]
		out = append(out, stem+"ies", stem+"ied")
	}
	if n >= 3 && n <= 5 && !triVowel(last) && triVowel(w[n-2]) && !triVowel(w[n-3]) && !strings.ContainsRune("wxy", rune(last)) {
		d := w + string(last)
		out = append(out, d+"ing", d+"ed", d+"in")
	}
	return out
}

func triVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }
