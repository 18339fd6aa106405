package conversation

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// triSlot is one position of a compiled phrase: any of terms, after up to
// gap skipped tokens.
type triSlot struct {
	terms []int32 // sorted
	gap   uint8
	lit   bool // one exact word: candidate for joining into an alias
}

// triPatKind says what a pattern's match means.
type triPatKind uint8

const (
	triPatSignal    triPatKind = iota // a phrase of the owner signal
	triPatUnless                      // an unless phrase of the owner signal
	triPatOverAfter                   // a Negation.OverAfter phrase
)

// triPattern is one variant of a compiled phrase.
type triPattern struct {
	slots []triSlot
	kind  triPatKind
	owner int32     // index into triCompiled.signals; -1 for triPatOverAfter
	keys  [][]int32 // small later slots of several terms, for mayMatch
}

// triPre is the compact part of the pre-match test of a pattern: up to two
// words it cannot match without (-1 for none).
type triPre struct{ a, b int32 }

// newTriPattern builds a pattern and picks the slots that mayMatch tests:
// the two smallest after the first.
func newTriPattern(slots []triSlot, kind triPatKind, owner int32) (triPattern, triPre) {
	p, pre := triPattern{slots: slots, kind: kind, owner: owner}, triPre{-1, -1}
	rest := slices.Clone(slots[1:])
	slices.SortStableFunc(rest, func(a, b triSlot) int { return len(a.terms) - len(b.terms) })
	for _, sl := range rest[:min(2, len(rest))] {
		switch {
		case len(sl.terms) == 1 && pre.a < 0:
			pre.a = sl.terms[0]
		case len(sl.terms) == 1:
			pre.b = sl.terms[0]
		case len(sl.terms) <= 8:
			p.keys = append(p.keys, sl.terms)
		}
	}
	return p, pre
}

// addPhrase compiles one phrase into patterns.
func (cp *triCompiler) addPhrase(p string, kind triPatKind, owner int32, where string) {
	variants, err := cp.parse(p)
	if err != nil {
		cp.errorf("%s: phrase %q: %w", where, p, err)
		return
	}
	for _, v := range variants {
		p, pre := newTriPattern(v, kind, owner)
		cp.c.patterns = append(cp.c.patterns, p)
		cp.c.pre = append(cp.c.pre, pre)
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

// triMergeSingle folds alternatives that are each one slot into one slot.
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
