package conversation

import (
	"slices"
	"strings"

	"dispatchbot/dispatch"
)

// triState is what became of one phrase match.
type triState uint8

const (
	triActive     triState = iota
	triNegated             // "no gas smell"
	triEnded               // "the leak has stopped": gone for urgency, kept as a fact
	triSuppressed          // inside a longer match of the same kind, or a duplicate
	triCancelled           // an unless phrase applies: graded as the signal's otherwise
)

// triCand is one piece of evidence for a grade: a signal match or a combo.
type triCand struct {
	level    Urgency
	trade    dispatch.Trade
	hazard   Hazard
	weight   float64
	weak     bool
	question bool
	m        int32 // match index, or -1 for a combo
	combo    int32 // combo index, or -1
}

type triVote struct {
	trade dispatch.Trade
	w     float64
}

// triMaxReasons keeps Grade.Reasons short enough to read at a glance.
const triMaxReasons = 6

// owner is the signal a match belongs to, nil for an ending phrase.
func (c *triCompiled) owner(m triMatch) *triSignal {
	p := &c.patterns[m.pat]
	if p.owner < 0 {
		return nil
	}
	return &c.signals[p.owner]
}

// signalMatch returns the signal of match i if it is a signal phrase (not an
// unless or ending phrase).
func (c *triCompiled) signalMatch(s *triScratch, i int) *triSignal {
	p := &c.patterns[s.matches[i].pat]
	if p.kind != triPatSignal {
		return nil
	}
	return &c.signals[p.owner]
}

// decide turns the matches into a Grade: the highest level any evidence
// reaches, the trade that evidence points at, and how sure that is.
func (c *triCompiled) decide(s *triScratch) Grade {
	c.scopes(s)
	c.states(s)
	all, first := c.tagged(s)
	c.candidates(s, all, &first)

	g := Grade{Urgency: Routine, Trade: dispatch.General, Reasons: []string{}}
	top := 0
	for _, cd := range s.cands {
		top = max(top, cd.level.rank())
	}
	if top == 0 {
		c.keywordVotes(s)
		if t, _, ok := s.bestVote(); ok {
			g.Trade = t
		}
		if len(s.matches) > 0 {
			g.Reasons = c.reasons(s, string(s.low), 0, &first)
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
		allWeak = allWeak && cd.weak
		allQuestion = allQuestion && cd.question
		if cd.trade != "" {
			s.addVote(cd.trade, cd.weight)
		}
		if g.Urgency == Emergency && cd.hazard.rank() > g.Hazard.rank() {
			g.Hazard = cd.hazard
		}
	}
	// A routine job is named by what it is about; urgent work by the problem.
	if g.Urgency == Routine || len(s.votes) == 0 {
		c.keywordVotes(s)
	}
	t, conflict, ok := s.bestVote()
	if ok {
		g.Trade = t
	}
	g.Confident = ok && !allWeak && !conflict && !(g.Urgency == Emergency && allQuestion)
	g.Reasons = c.reasons(s, string(s.low), top, &first)
	return g
}

// scopes marks the tokens that negating and ending words reach.
func (c *triCompiled) scopes(s *triScratch) {
	n := len(s.toks)
	s.negBy = triFill(s.negBy, n)
	s.overBy = triFill(s.overBy, n)
	s.overAft = triFill(s.overAft, n)
	toks := s.toks
	// A negating word inside a matched phrase ("ac not working") belongs to
	// that phrase and negates nothing after it ("... its 97 out").
	s.used = s.used[:0]
	for range n {
		s.used = append(s.used, false)
	}
	for i, m := range s.matches {
		if sig := c.signalMatch(s, i); sig != nil && !sig.keyword() {
			for j := m.start + 1; j <= m.end; j++ {
				s.used[j] = true
			}
		}
	}
	for j := range toks {
		f := toks[j].flags & (triFlagNeg | triFlagOver)
		if s.used[j] {
			f &^= triFlagNeg
		}
		if f == 0 {
			continue
		}
		for k := j + 1; k <= j+c.window && k < n; k++ {
			if toks[k].clause != toks[j].clause || toks[k].flags&triFlagBreak != 0 {
				break
			}
			if f&triFlagNeg != 0 && s.negBy[k] < 0 {
				s.negBy[k] = int32(j)
			}
			if f&triFlagOver != 0 && s.overBy[k] < 0 {
				s.overBy[k] = int32(j)
			}
		}
	}
	for _, m := range s.matches {
		if c.patterns[m.pat].kind != triPatOverAfter {
			continue
		}
		if c.insideGraded(s, m) {
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

// insideGraded reports whether the ending phrase o lies inside a longer
// graded phrase that began before it: "has gone" in "switch has gone brown"
// describes the hazard, it does not end it.
func (c *triCompiled) insideGraded(s *triScratch, o triMatch) bool {
	for i, m := range s.matches {
		if m.start >= o.start {
			break
		}
		if m.end < o.end {
			continue
		}
		if sig := c.signalMatch(s, i); sig != nil && sig.urgency != "" && !sig.keyword() {
			return true
		}
	}
	return false
}

func triFill(b []int32, n int) []int32 {
	b = b[:0]
	for range n {
		b = append(b, -1)
	}
	return b
}

// states decides for each match whether it is active, negated, ended,
// suppressed by a longer reading, or cancelled by an unless phrase.
func (c *triCompiled) states(s *triScratch) {
	ms := s.matches
	for _, m := range ms {
		st := triActive
		switch {
		case s.negBy[m.start] >= 0:
			st = triNegated
		case s.overBy[m.start] >= 0 || s.overAft[m.end] >= 0:
			st = triEnded
		}
		s.state = append(s.state, st)
	}
	// Matches come in order of their start, so a match that contains match i
	// starts at most the longest phrase span before it.
	const span = 4 * triMaxGap
	for i, m := range ms {
		sig := c.signalMatch(s, i)
		if sig == nil {
			continue
		}
		for j := i - 1; j >= 0 && ms[j].start >= m.start-span && s.state[i] != triSuppressed; j-- {
			c.suppress(s, i, j, sig)
		}
		for j := i + 1; j < len(ms) && ms[j].start == m.start && s.state[i] != triSuppressed; j++ {
			c.suppress(s, i, j, sig)
		}
	}
	var unless []int
	for j := range ms {
		if c.patterns[ms[j].pat].kind == triPatUnless {
			unless = append(unless, j)
		}
	}
	for i, m := range ms {
		sig := c.signalMatch(s, i)
		if sig == nil || s.state[i] != triActive || !sig.hasUnless {
			continue
		}
		owner := c.patterns[m.pat].owner
		sent := s.toks[m.start].sent
		for _, j := range unless {
			o := ms[j]
			if c.patterns[o.pat].owner != owner {
				continue
			}
			// "can't turn it off" is no unless; "won't close properly" is.
			if s.state[j] == triNegated && s.negBy[o.start] >= o.start-1 {
				continue
			}
			if d := s.toks[o.start].sent - sent; d >= -2 && d <= 2 {
				s.state[i] = triCancelled
				break
			}
		}
	}
	s.kwAt = s.kwAt[:0]
	for range s.toks {
		s.kwAt = append(s.kwAt, false)
	}
	for i, m := range ms {
		if sig := c.signalMatch(s, i); sig != nil && sig.keyword() && s.state[i] == triActive {
			s.kwAt[m.start] = true
		}
	}
}

// suppress marks match i suppressed if match j of the same kind is a longer
// reading of it ("tap is dripping" over "dripping") or its duplicate. A milder
// reading never hides an emergency.
func (c *triCompiled) suppress(s *triScratch, i, j int, sig *triSignal) {
	osig := c.signalMatch(s, j)
	if osig == nil || (osig.urgency != "") != (sig.urgency != "") || osig.keyword() != sig.keyword() {
		return
	}
	m, o := s.matches[i], s.matches[j]
	longer := o.start <= m.start && o.end >= m.end && o.end-o.start > m.end-m.start &&
		(sig.urgency != Emergency || osig.urgency == Emergency) && (sig.urgency != "" || sig.keyword())
	dup := o.start == m.start && o.end == m.end && osig == sig && j < i
	if longer || dup {
		s.state[i] = triSuppressed
	}
}

// tagged collects the tags present in the whole message and by sentence
// (into s.sentTags), with the first match of each tag. A fact that has ended
// ("flooded last night, now fixed") stays a fact; a negated one does not.
func (c *triCompiled) tagged(s *triScratch) (all uint64, first [triMaxTags]int32) {
	for i := range first {
		first[i] = -1
	}
	s.sentTags = s.sentTags[:0]
	for range s.question {
		s.sentTags = append(s.sentTags, 0)
	}
	for i, m := range s.matches {
		sig := c.signalMatch(s, i)
		if sig == nil || sig.tag < 0 {
			continue
		}
		switch s.state[i] {
		case triNegated:
			continue
		case triEnded:
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
		s.sentTags[s.toks[m.start].sent] |= bit
		if first[sig.tag] < 0 {
			first[sig.tag] = int32(i)
		}
	}
	return all, first
}

// candidates gathers the graded evidence: active signals, cancelled ones at
// their otherwise level, and the combos whose tags are present.
func (c *triCompiled) candidates(s *triScratch, all uint64, first *[triMaxTags]int32) {
	for i, m := range s.matches {
		sig := c.signalMatch(s, i)
		if sig == nil || sig.urgency == "" {
			continue
		}
		level, weight := sig.urgency, sig.weight
		switch s.state[i] {
		case triActive:
		case triCancelled:
			level, weight = sig.otherwise, weight/2 // contained: weaker evidence of the trade too
		default:
			continue
		}
		if level == "" {
			continue
		}
		s.cands = append(s.cands, triCand{
			level: level, trade: c.signalTrade(s, sig, m), hazard: sig.hazard, weight: weight,
			weak: sig.weak, question: s.question[s.toks[m.start].sent], m: int32(i), combo: -1,
		})
	}
	for ci := range c.combos {
		cb := &c.combos[ci]
		if all&cb.none != 0 || !cb.holds(all) {
			continue
		}
		if cb.sentence && !slices.ContainsFunc(s.sentTags, cb.holds) {
			continue
		}
		cd := triCand{level: cb.urgency, trade: cb.trade, hazard: cb.hazard, weight: cb.weight, weak: cb.weak, m: -1, combo: int32(ci)}
		for _, t := range cb.allTags {
			if cd.trade != "" {
				break
			}
			if mi := first[t]; mi >= 0 {
				m := s.matches[mi]
				cd.trade = c.signalTrade(s, c.owner(m), m)
			}
		}
		s.cands = append(s.cands, cd)
	}
}

// holds reports whether mask has all of the combo's All tags and one of its
// Any tags; None is checked against the whole message.
func (cb *triCombo) holds(mask uint64) bool {
	return mask&cb.all == cb.all && (cb.any == 0 || mask&cb.any != 0)
}

// signalTrade is the signal's trade, or the trade of the nearest keyword of
// one of its context trades: same clause before same sentence, the match's
// own subject ("outlet is black") first, other words inside it last, and of
// two adjacent keywords the second, which names the thing ("toaster socket").
func (c *triCompiled) signalTrade(s *triScratch, sig *triSignal, m triMatch) dispatch.Trade {
	if len(sig.context) == 0 {
		return sig.trade
	}
	best, bestDist, bestW := sig.trade, int32(1<<30), 0.0
	for i, k := range s.matches {
		ks := c.signalMatch(s, i)
		if ks == nil || !ks.keyword() || s.state[i] != triActive && s.state[i] != triEnded {
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
			d = 0
		default:
			d = 1 << 20
		}
		switch ks, ms := s.toks[k.start], s.toks[m.start]; {
		case ks.sent != ms.sent:
			d += 100
		case ks.clause != ms.clause && ks.clause != s.toks[m.end].clause:
			d += 4
		}
		if d < bestDist || d == bestDist && ks.weight > bestW {
			best, bestDist, bestW = ks.trade, d, ks.weight
		}
	}
	return best
}

// modifier reports whether keyword match i is directly followed by another
// keyword.
func (c *triCompiled) modifier(s *triScratch, i int) bool {
	next := int(s.matches[i].end) + 1
	return next < len(s.kwAt) && s.kwAt[next]
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

// keywordVotes adds the weights of the trade keywords found.
func (c *triCompiled) keywordVotes(s *triScratch) {
	for i := range s.matches {
		sig := c.signalMatch(s, i)
		if sig == nil || !sig.keyword() {
			continue
		}
		if st := s.state[i]; st == triActive || st == triEnded {
			s.addVote(sig.trade, sig.weight)
		}
	}
}

// reasons lists the evidence at the top level, then what a negation, an
// ending or an unless phrase took away from a higher level.
func (c *triCompiled) reasons(s *triScratch, low string, top int, first *[triMaxTags]int32) []string {
	out := []string{}
	add := func(r string) {
		if r != "" && len(out) < triMaxReasons && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	text := func(from int32, m triMatch) string {
		return strings.Join(strings.Fields(low[s.toks[from].a:s.toks[m.end].b]), " ")
	}
	say := func(mi int32) {
		m := s.matches[mi]
		r := c.owner(m).reason
		switch {
		case r == "":
			r = text(m.start, m)
		case strings.Contains(r, "%s"):
			r = strings.Replace(r, "%s", text(m.start, m), 1)
		}
		add(r)
	}
	for _, weak := range []bool{false, true} {
		for _, cd := range s.cands {
			if cd.level.rank() != top || cd.weak != weak {
				continue
			}
			if cd.m >= 0 {
				say(cd.m)
				continue
			}
			cb := &c.combos[cd.combo]
			add(cb.reason)
			for _, t := range cb.allTags {
				if mi := first[t]; mi >= 0 {
					say(mi)
				}
			}
		}
	}
	for i, m := range s.matches {
		sig := c.signalMatch(s, i)
		if sig == nil || sig.urgency.rank() <= top {
			continue
		}
		switch s.state[i] {
		case triNegated:
			add("negated: " + text(s.negBy[m.start], m))
		case triEnded:
			add("over: " + text(m.start, m))
		case triCancelled:
			add("contained: " + text(m.start, m))
		}
	}
	return out
}
