package conversation

import (
	"slices"
	"strings"

	"dispatchbot/dispatch"
)

// triState is what became of one phrase triMatch.
type triState uint8

const (
	triActive     triState = iota
	triNegated           // "no gas smell"
	triOverState              // "the leak has stopped": gone for urgency, kept as a fact
	triSuppressed        // inside a longer triMatch of the same kind, or a duplicate
	triCancelled         // an unless phrase applies; graded as the signal's otherwise
)

// triCand is one piece of evidence for a grade: a signal triMatch or a combo.
type triCand struct {
	level    Urgency
	trade    dispatch.Trade
	hazard   Hazard
	weight   float64
	weak     bool
	question bool
	m        int32 // triMatch index, or -1 for a combo
	combo    int32 // combo index, or -1
}

type triVote struct {
	trade dispatch.Trade
	w     float64
}

const triMaxReasons = 6

func (c *triCompiled) owner(m triMatch) *triSignal {
	p := &c.patterns[m.pat]
	if p.owner < 0 {
		return nil
	}
	return &c.signals[p.owner]
}

// decide turns the matches into a Grade.
func (c *triCompiled) decide(s *triScratch) Grade {
	c.scopes(s)
	c.states(s)
	all, bySent, first := c.tagged(s)
	c.candidates(s, all, bySent, first)

	g := Grade{Urgency: Routine, Trade: dispatch.General}
	low := string(s.low)
	top := 0
	for _, cd := range s.cands {
		top = max(top, cd.level.rank())
	}
	if top == 0 {
		if t, ok := c.keywordTrade(s); ok {
			g.Trade = t
		}
		return g
	}
	for _, u := range []Urgency{Routine, Urgent, Emergency} {
		if u.rank() == top {
			g.Urgency = u
		}
	}
	allWeak, allQuestion := true, true
	for _, cd := range s.cands {
		if cd.level.rank() != top {
			continue
		}
		if !cd.weak {
			allWeak = false
		}
		if !cd.question {
			allQuestion = false
		}
		if cd.trade != "" {
			s.addVote(cd.trade, cd.weight)
		}
		if g.Urgency == Emergency && cd.hazard.rank() > g.Hazard.rank() {
			g.Hazard = cd.hazard
		}
	}
	if g.Urgency == Routine || len(s.votes) == 0 {
		c.keywordVotes(s)
	}
	t, conflict, ok := s.bestVote()
	if ok {
		g.Trade = t
	}
	g.Confident = ok && !allWeak && !conflict && !(g.Urgency == Emergency && allQuestion)
	g.Reasons = c.reasons(s, low, top, first)
	return g
}

// scopes marks the tokens that negating and ending words reach.
func (c *triCompiled) scopes(s *triScratch) {
	n := len(s.toks)
	s.negBy = triFill(s.negBy, n)
	s.overBy = triFill(s.overBy, n)
	s.overAft = triFill(s.overAft, n)
	toks := s.toks
	for j := range toks {
		f := toks[j].flags & (triNeg | triOver)
		if f == 0 {
			continue
		}
		for k := j + 1; k <= j+c.window && k < n; k++ {
			if toks[k].clause != toks[j].clause || toks[k].flags&triBreak != 0 {
				break
			}
			if f&triNeg != 0 && s.negBy[k] < 0 {
				s.negBy[k] = int32(j)
			}
			if f&triOver != 0 && s.overBy[k] < 0 {
				s.overBy[k] = int32(j)
			}
		}
	}
	for _, m := range s.matches {
		if c.patterns[m.pat].kind != triPatOverAfter {
			continue
		}
		st := int(m.start)
		for k := st - 1; k >= 0 && k >= st-c.afterWindow; k-- {
			if toks[k].sent != toks[st].sent {
				break
			}
			if s.overAft[k] < 0 {
				s.overAft[k] = int32(st)
			}
		}
	}
}

func triFill(b []int32, n int) []int32 {
	b = b[:0]
	for range n {
		b = append(b, -1)
	}
	return b
}

// states decides for each triMatch whether it is active, negated, over,
// suppressed by a longer triMatch, or cancelled by an unless phrase.
func (c *triCompiled) states(s *triScratch) {
	ms := s.matches
	for _, m := range ms {
		st := triActive
		switch {
		case s.negBy[m.start] >= 0:
			st = triNegated
		case s.overBy[m.start] >= 0 || s.overAft[m.end] >= 0:
			st = triOverState
		}
		s.state = append(s.state, st)
	}
	for i, m := range ms {
		p := &c.patterns[m.pat]
		if p.kind != triPatSignal || s.state[i] == triSuppressed {
			continue
		}
		sig := &c.signals[p.owner]
		for j, o := range ms {
			if i == j || c.patterns[o.pat].kind != triPatSignal {
				continue
			}
			osig := c.owner(o)
			if (osig.urgency != "") != (sig.urgency != "") || osig.keyword() != sig.keyword() {
				continue
			}
			// A longer reading wins ("tap is dripping" over "dripping"), but never
			// over an emergency with a milder one.
			longer := o.start <= m.start && o.end >= m.end && o.end-o.start > m.end-m.start &&
				(sig.urgency != Emergency || osig.urgency == Emergency)
			dup := o.start == m.start && o.end == m.end && c.patterns[o.pat].owner == p.owner && j < i
			if (longer && (sig.urgency != "" || sig.keyword())) || dup {
				s.state[i] = triSuppressed
				break
			}
		}
	}
	for i, m := range ms {
		p := &c.patterns[m.pat]
		if p.kind != triPatSignal || s.state[i] != triActive || !c.signals[p.owner].hasUnless {
			continue
		}
		sent := s.toks[m.start].sent
		for j, o := range ms {
			op := &c.patterns[o.pat]
			if op.kind != triPatUnless || op.owner != p.owner || s.state[j] == triNegated {
				continue
			}
			if d := s.toks[o.start].sent - sent; d >= -2 && d <= 2 {
				s.state[i] = triCancelled
				break
			}
		}
	}
}

// tagged collects the tags present, overall and by sentence, with the first
// triMatch of each.
func (c *triCompiled) tagged(s *triScratch) (all uint64, bySent []uint64, first [triMaxTags]int32) {
	for i := range first {
		first[i] = -1
	}
	nsent := len(s.question)
	bySent = make([]uint64, nsent)
	for i, m := range s.matches {
		sig := c.owner(m)
		if sig == nil || sig.tag < 0 || c.patterns[m.pat].kind != triPatSignal {
			continue
		}
		switch s.state[i] {
		case triNegated:
			continue
		case triOverState:
			if sig.urgency != "" {
				continue
			}
		case triCancelled:
			if sig.otherwise == "" {
				continue
			}
		}
		bit := uint64(1) << sig.tag
		all |= bit
		if sn := s.toks[m.start].sent; int(sn) < nsent {
			bySent[sn] |= bit
		}
		if first[sig.tag] < 0 {
			first[sig.tag] = int32(i)
		}
	}
	return all, bySent, first
}

func (c *triCompiled) candidates(s *triScratch, all uint64, bySent []uint64, first [triMaxTags]int32) {
	for i, m := range s.matches {
		sig := c.owner(m)
		if sig == nil || sig.urgency == "" || c.patterns[m.pat].kind != triPatSignal {
			continue
		}
		level := sig.urgency
		switch s.state[i] {
		case triActive:
		case triCancelled:
			level = sig.otherwise
		default:
			continue
		}
		if level == "" {
			continue
		}
		s.cands = append(s.cands, triCand{
			level: level, trade: c.signalTrade(s, sig, m), hazard: sig.hazard, weight: sig.weight,
			weak: sig.weak, question: s.question[s.toks[m.start].sent], m: int32(i), combo: -1,
		})
	}
	for ci := range c.combos {
		cb := &c.combos[ci]
		if all&cb.none != 0 || all&cb.all != cb.all || (cb.any != 0 && all&cb.any == 0) {
			continue
		}
		if cb.sentence {
			ok := false
			for _, sm := range bySent {
				if sm&cb.all == cb.all && (cb.any == 0 || sm&cb.any != 0) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		cd := triCand{level: cb.urgency, trade: cb.trade, hazard: cb.hazard, weight: cb.weight, weak: cb.weak, m: -1, combo: int32(ci)}
		if cd.trade == "" {
			for _, t := range cb.allTags {
				if mi := first[t]; mi >= 0 {
					m := s.matches[mi]
					if cd.trade = c.signalTrade(s, c.owner(m), m); cd.trade != "" {
						break
					}
				}
			}
		}
		s.cands = append(s.cands, cd)
	}
}

// signalTrade is the signal's trade, or the trade of the nearest keyword of
// one of its context trades. Keywords outside the match come first, and of
// two adjacent keywords the second names the thing ("toaster socket").
func (c *triCompiled) signalTrade(s *triScratch, sig *triSignal, m triMatch) dispatch.Trade {
	if len(sig.context) == 0 {
		return sig.trade
	}
	best, bestDist, bestW := sig.trade, int32(1<<30), 0.0
	for i, k := range s.matches {
		ks := c.owner(k)
		if ks == nil || !ks.keyword() || s.state[i] != triActive && s.state[i] != triOverState || c.patterns[k.pat].kind != triPatSignal {
			continue
		}
		if !slices.Contains(sig.context, ks.trade) || c.modifier(s, i) {
			continue
		}
		var d int32
		switch {
		case k.end < m.start:
			d = m.start - k.end - 1
		case k.start > m.end:
			d = k.start - m.end - 1
		case k.start == m.start:
			d = 0 // the match names its subject first: "outlet is black"
		default:
			d = 1 << 20 // inside the match: only if nothing else names the thing
		}
		if s.toks[k.start].sent != s.toks[m.start].sent {
			d += 100
		}
		if d < bestDist || d == bestDist && ks.weight > bestW {
			best, bestDist, bestW = ks.trade, d, ks.weight
		}
	}
	return best
}

// modifier reports whether keyword match i is directly followed by another
// keyword, which then names the thing.
func (c *triCompiled) modifier(s *triScratch, i int) bool {
	k := s.matches[i]
	for j, o := range s.matches {
		if j == i || o.start != k.end+1 || s.state[j] != triActive {
			continue
		}
		if os := c.owner(o); os != nil && os.keyword() && c.patterns[o.pat].kind == triPatSignal {
			return true
		}
	}
	return false
}

func (s *triScratch) addVote(t dispatch.Trade, w float64) {
	for i := range s.votes {
		if s.votes[i].trade == t {
			s.votes[i].w += w
			return
		}
	}
	s.votes = append(s.votes, triVote{trade: t, w: w})
}

// bestVote returns the trade with most weight, and whether another trade tied.
func (s *triScratch) bestVote() (t dispatch.Trade, conflict, ok bool) {
	best := -1.0
	for _, v := range s.votes {
		switch {
		case v.w > best+1e-9:
			t, best, conflict = v.trade, v.w, false
		case v.w > best-1e-9:
			conflict = true
		}
	}
	return t, conflict, best > 0
}

func (c *triCompiled) keywordVotes(s *triScratch) {
	for i, m := range s.matches {
		sig := c.owner(m)
		if sig == nil || !sig.keyword() || c.patterns[m.pat].kind != triPatSignal {
			continue
		}
		if st := s.state[i]; st == triActive || st == triOverState {
			s.addVote(sig.trade, sig.weight)
		}
	}
}

func (c *triCompiled) keywordTrade(s *triScratch) (dispatch.Trade, bool) {
	c.keywordVotes(s)
	t, _, ok := s.bestVote()
	return t, ok
}

// reasons lists the evidence at the top level, then what was negated.
func (c *triCompiled) reasons(s *triScratch, low string, top int, first [triMaxTags]int32) []string {
	var out []string
	add := func(r string) {
		if r == "" || len(out) >= triMaxReasons {
			return
		}
		for _, o := range out {
			if o == r {
				return
			}
		}
		out = append(out, r)
	}
	text := func(m triMatch) string {
		return strings.TrimSpace(low[s.toks[m.start].a:s.toks[m.end].b])
	}
	say := func(mi int32) {
		m := s.matches[mi]
		sig := c.owner(m)
		r := sig.reason
		switch {
		case r == "":
			r = text(m)
		case strings.Contains(r, "%s"):
			r = strings.Replace(r, "%s", text(m), 1)
		}
		add(r)
	}
	for _, cd := range s.cands {
		if cd.level.rank() != top {
			continue
		}
		if cd.m >= 0 {
			say(cd.m)
			continue
		}
		cb := &c.combos[cd.combo]
		add(cb.reason)
		for _, t := range append(cb.allTags, cb.anyTagIdx...) {
			if mi := first[t]; mi >= 0 {
				say(mi)
			}
		}
	}
	for i, m := range s.matches {
		sig := c.owner(m)
		if sig == nil || sig.urgency.rank() <= top || c.patterns[m.pat].kind != triPatSignal {
			continue
		}
		switch s.state[i] {
		case triNegated:
			add("negated: " + strings.TrimSpace(low[s.toks[s.negBy[m.start]].a:s.toks[m.end].b]))
		case triOverState:
			add("over: " + text(m))
		case triCancelled:
			add("contained: " + text(m))
		}
	}
	return out
}
