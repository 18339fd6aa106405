package conversation

import (
	"unicode"
	"unicode/utf8"
)

// Bounds on the work per message; text past them is not graded. Customer
// texts are far shorter.
const (
	triMaxBytes   = 4096
	triMaxTokens  = 400
	triMaxMatches = 1000
	triMaxSteps   = 200000 // matchRest calls: bounds the backtracking of gaps
)

// triToken is one word of a message: its terms (the word, the stem of a
// plural or possessive, number classes), flags and place.
type triToken struct {
	terms  [6]int32
	n      uint8
	flags  uint8
	a, b   int32 // byte span in triScratch.low
	sent   int32
	clause int32
}

// has reports whether any of the token's terms is in the sorted set terms.
func (t *triToken) has(terms []int32) bool {
	for k := range t.n {
		if triIn(terms, t.terms[k]) {
			return true
		}
	}
	return false
}

// triIn reports whether the sorted set holds x.
func triIn(set []int32, x int32) bool {
	if len(set) <= 8 {
		for _, v := range set {
			if v == x {
				return true
			}
		}
		return false
	}
	lo, hi := 0, len(set)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if set[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(set) && set[lo] == x
}

// triMatch is one occurrence of a pattern.
type triMatch struct {
	pat        int32
	start, end int32 // token indices, inclusive
}

// triScratch is the working memory of one Grade call, pooled so that grading
// allocates little.
type triScratch struct {
	low      []byte
	word     []byte
	toks     []triToken
	question []bool // by sentence: ends with '?'
	matches  []triMatch
	negBy    []int32
	overBy   []int32
	overAft  []int32
	sentTags []uint64 // tags present, by sentence
	cands    []triCand
	votes    []triVote
	state    []triState
	kwAt     []bool   // a trade keyword match starts at this token
	used     []bool   // the token is inside a matched phrase, after its start
	present  []uint64 // bit set of the terms in the message
	steps    int
}

func (s *triScratch) reset() {
	s.low = s.low[:0]
	s.toks = s.toks[:0]
	s.question = s.question[:0]
	s.matches = s.matches[:0]
	s.cands = s.cands[:0]
	s.votes = s.votes[:0]
	s.state = s.state[:0]
	s.steps = 0
}

// triAlnum reports whether c belongs to a word of the lowered text, where
// every byte of a non-ASCII rune is a letter's.
func triAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }
func triDigit(c byte) bool { return c >= '0' && c <= '9' }

// triLower writes text lowercased into s.low, with typographic apostrophes as
// "'", dashes as clause breaks and symbols (emoji, degree signs) as spaces.
func triLower(s *triScratch, text string) {
	if len(text) > triMaxBytes {
		text = text[:triMaxBytes]
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			s.low = append(s.low, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == '’' || r == '‘' || r == 'ʼ' || r == '´':
			s.low = append(s.low, '\'')
		case r == '–' || r == '—':
			s.low = append(s.low, ',')
		case r == '−':
			s.low = append(s.low, '-')
		case r == '…':
			s.low = append(s.low, '.')
		case unicode.IsLetter(r):
			s.low = utf8.AppendRune(s.low, unicode.ToLower(r))
		default:
			s.low = append(s.low, ' ')
		}
	}
}

// tokenize splits text into tokens carrying their terms, sentence and clause.
func (c *triCompiled) tokenize(s *triScratch, text string) {
	triLower(s, text)
	low := s.low
	sent, clause := int32(0), int32(0)
	s.question = append(s.question, false)
	tokensInSent := false
	sentStart := 0
	endSentence := func(q bool) {
		if !tokensInSent {
			return
		}
		// A one-word exclamation ("Gas!! smell everywhere") heads the next
		// sentence rather than standing alone: only the clause ends.
		if !q && len(s.toks)-sentStart == 1 {
			clause++
			return
		}
		sentStart = len(s.toks)
		if q {
			s.question[sent] = true
		}
		sent++
		clause++
		s.question = append(s.question, false)
		tokensInSent = false
	}
	for i := 0; i < len(low) && len(s.toks) < triMaxTokens; {
		ch := low[i]
		if triAlnum(ch) {
			j := i
			for j < len(low) && (triAlnum(low[j]) || low[j] == '\'' && j+1 < len(low) && triAlnum(low[j+1])) {
				j++
			}
			c.addWords(s, i, j, sent, clause)
			tokensInSent = true
			i = j
			continue
		}
		switch ch {
		case '.':
			if i > 0 && i+1 < len(low) && triDigit(low[i-1]) && triDigit(low[i+1]) {
				break // decimal point
			}
			endSentence(false)
		case '!', ';', '\n':
			endSentence(false)
		case '?':
			endSentence(true)
		case ',', ':':
			clause++
		case '-':
			if i+1 < len(low) && low[i+1] == ' ' && i > 0 && low[i-1] == ' ' {
				clause++
			}
		case '&':
			if id, ok := c.vocab["and"]; ok {
				s.toks = append(s.toks, triToken{terms: [6]int32{id}, n: 1, flags: c.flags[id], a: int32(i), b: int32(i + 1), sent: sent, clause: clause})
			}
		}
		i++
	}
	c.applyJoins(s)
}

// addWords adds the tokens of low[i:j], splitting letters from digits and
// dropping apostrophes ("isn't" → "isnt", "3yo" → "3", "yo").
func (c *triCompiled) addWords(s *triScratch, i, j int, sent, clause int32) {
	low := s.low
	for i < j && len(s.toks) < triMaxTokens {
		digits := triDigit(low[i])
		k := i
		s.word = s.word[:0]
		for k < j && (low[k] == '\'' || triDigit(low[k]) == digits) {
			if low[k] != '\'' {
				s.word = append(s.word, low[k])
			}
			k++
		}
		t := triToken{a: int32(i), b: int32(k), sent: sent, clause: clause}
		if digits {
			neg := i > 0 && low[i-1] == '-' && (i < 2 || !triAlnum(low[i-2]))
			if neg {
				t.a--
			}
			c.number(&t, s.word, neg)
		} else {
			c.wordTerms(s, &t)
		}
		s.toks = append(s.toks, t)
		i = k
	}
}

// wordTerms sets the terms of the word in s.word. A word ending in "s" also
// carries the term of its stem, as "power's" and "powers" both mean power.
func (c *triCompiled) wordTerms(s *triScratch, t *triToken) {
	w := s.word
	id, ok := c.vocab[string(w)]
	if !ok {
		id, ok = c.fuzzyTerm(s)
	}
	if ok {
		t.terms[0], t.n, t.flags = id, 1, c.flags[id]
	}
	if n := len(w); n > 3 && w[n-1] == 's' && w[n-2] != 's' {
		if stem, found := c.vocab[string(w[:n-1])]; found && (!ok || stem != id) {
			t.terms[t.n] = stem
			if t.n == 0 {
				t.flags = c.flags[stem]
			}
			t.n++
		}
	}
}

// number sets the terms of a number: itself if a rule names it, #num, and
// the classes its value falls in.
func (c *triCompiled) number(t *triToken, digits []byte, neg bool) {
	if id, ok := c.vocab[string(digits)]; ok {
		t.terms[t.n] = id
		t.n++
	}
	t.terms[t.n] = c.numTerm
	t.n++
	if len(digits) > 6 {
		return
	}
	v := 0.0
	for _, d := range digits {
		v = v*10 + float64(d-'0')
	}
	if neg {
		v = -v
	}
	for _, nc := range c.numClasses {
		if v >= nc.min && v <= nc.max && int(t.n) < len(t.terms) {
			t.terms[t.n] = nc.term
			t.n++
		}
	}
}

// fuzzyTerm finds a Fuzzy word one edit away from the unknown s.word.
func (c *triCompiled) fuzzyTerm(s *triScratch) (int32, bool) {
	w := s.word
	if len(c.fuzzy) == 0 || len(w) < 5 || len(w) > 20 {
		return 0, false
	}
	if id, ok := c.fuzzy[string(w)]; ok {
		return id, true
	}
	var buf [20]byte
	for i := range w {
		d := append(append(buf[:0], w[:i]...), w[i+1:]...)
		if id, ok := c.fuzzy[string(d)]; ok {
			return id, true
		}
	}
	return 0, false
}

// applyJoins replaces multi-word aliases ("fuse box") by their word in place.
func (c *triCompiled) applyJoins(s *triScratch) {
	toks := s.toks
	w := 0
	for r := 0; r < len(toks); {
		t := toks[r]
		if n, to, ok := c.joinAt(toks, r); ok {
			last := toks[r+n-1]
			toks[w] = triToken{terms: [6]int32{to}, n: 1, flags: c.flags[to], a: t.a, b: last.b, sent: t.sent, clause: t.clause}
			w++
			r += n
			continue
		}
		toks[w] = t
		w++
		r++
	}
	s.toks = toks[:w]
}

// joinAt finds the longest multi-word alias starting at token r, within one
// clause.
func (c *triCompiled) joinAt(toks []triToken, r int) (int, int32, bool) {
	t := &toks[r]
	for k := range t.n {
		if int(t.terms[k]) >= len(c.joins) {
			continue
		}
		for _, j := range c.joins[t.terms[k]] {
			if r+len(j.seq) > len(toks) {
				continue
			}
			ok := true
			for q := 1; q < len(j.seq) && ok; q++ {
				n := &toks[r+q]
				ok = n.clause == t.clause && n.has(j.seq[q:q+1])
			}
			if ok {
				return len(j.seq), j.to, true
			}
		}
	}
	return 0, 0, false
}

// matchAll finds every pattern occurrence, anchored at each token, in token
// order. Pathological text (hundreds of repeated trigger words) stops at a
// bound on matches and matching steps instead of taking long.
func (c *triCompiled) matchAll(s *triScratch) {
	toks := s.toks
	s.present = s.present[:0]
	for range (len(c.words) + 63) / 64 {
		s.present = append(s.present, 0)
	}
	for i := range toks {
		for _, t := range toks[i].terms[:toks[i].n] {
			s.present[t>>6] |= 1 << (t & 63)
		}
	}
	for i := range toks {
		t := &toks[i]
		for k := range t.n {
			for _, pi := range c.first[t.terms[k]] {
				if len(s.matches) >= triMaxMatches || s.steps >= triMaxSteps {
					return
				}
				if !s.mayMatch(c, pi) {
					continue
				}
				if end, ok := c.matchRest(s, &c.patterns[pi], 1, i+1, t.sent); ok {
					s.matches = append(s.matches, triMatch{pat: pi, start: int32(i), end: int32(end)})
				}
			}
		}
	}
}

// mayMatch reports whether the most telling later slots of pattern pi have a
// term somewhere in the message: a cheap test that spares most backtracking.
func (s *triScratch) mayMatch(c *triCompiled, pi int32) bool {
	pre := c.pre[pi]
	if pre.a >= 0 && s.present[pre.a>>6]&(1<<(pre.a&63)) == 0 ||
		pre.b >= 0 && s.present[pre.b>>6]&(1<<(pre.b&63)) == 0 {
		return false
	}
	for _, key := range c.patterns[pi].keys {
		found := false
		for _, t := range key {
			if s.present[t>>6]&(1<<(t&63)) != 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// matchRest matches slots[si:] from token ti within one sentence; a gap never
// skips a negating word, so "water, nothing near the fuse box" is no match.
func (c *triCompiled) matchRest(s *triScratch, p *triPattern, si, ti int, sent int32) (int, bool) {
	if si == len(p.slots) {
		return ti - 1, true
	}
	s.steps++
	if s.steps >= triMaxSteps {
		return 0, false
	}
	toks := s.toks
	sl := &p.slots[si]
	for skip := 0; skip <= int(sl.gap); skip++ {
		j := ti + skip
		if j >= len(toks) || toks[j].sent != sent {
			return 0, false
		}
		if skip > 0 && toks[j-1].flags&(triFlagNeg|triFlagOver) != 0 {
			return 0, false
		}
		if toks[j].has(sl.terms) {
			if end, ok := c.matchRest(s, p, si+1, j+1, sent); ok {
				return end, true
			}
		}
	}
	return 0, false
}
