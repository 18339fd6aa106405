package dispatch

import (
	"slices"
)

// routeSearch is the state of local search on one order. cand always
// equals cur outside the stretch a move is trying.
type routeSearch struct {
	p    *routePlanner
	cur  []int
	cand []int
	eval routeEval
	late []bool          // which stops are late on cur
	pre  []routeProgress // pre[k]: after the first k stops of cur
}

// routeProgress is how far a route has got: the time work at the last stop
// ends and the stops late so far.
type routeProgress struct {
	t    int64
	late int
}

// improve applies 2-opt, Or-opt and swap moves to a copy of order until
// none helps, and returns the result with its cost. A move is taken if it
// makes fewer stops late, or keeps the same stops late and shortens the
// drive. Each move's change in km is worked out from the few legs it
// alters, and its timing only from the first stop it moves.
func (p *routePlanner) improve(order []int) ([]int, routeEval) {
	n := len(order)
	s := &routeSearch{
		p: p, cur: slices.Clone(order), cand: slices.Clone(order),
		late: make([]bool, n), pre: make([]routeProgress, n+1),
	}
	s.load()
	for range maxRoutePasses {
		improved := false
		// 2-opt: reverse cur[i..j]. The route is open, so j may be the end.
		for i := 0; i < n-1; i++ {
			for j := i + 1; j < n; j++ {
				a, b, c, e := s.node(i-1), s.node(i), s.node(j), s.node(j+1)
				delta := p.leg(a, c) + p.leg(b, e) - p.leg(a, b) - p.leg(c, e)
				if s.hopeless(i, delta) {
					continue
				}
				slices.Reverse(s.cand[i : j+1])
				improved = s.try(i, j+1, delta) || improved
			}
		}
		// Or-opt: move the run cur[i:i+l] so that it starts at k, either way round.
		for l := 1; l <= 3 && l < n; l++ {
			for i := 0; i+l <= n; i++ {
				for k := 0; k <= n-l; k++ {
					if k == i {
						continue
					}
					a, f, g, e := s.node(i-1), s.node(i), s.node(i+l-1), s.node(i+l)
					cut := p.leg(a, e) - p.leg(a, f) - p.leg(g, e)
					// x and y are the nodes either side of the gap at k once the run is out.
					x, y := s.node(k-1), s.node(k)
					if k > i {
						x, y = s.node(k+l-1), s.node(k+l)
					}
					lo, hi := min(i, k), max(i, k)+l
					base := cut - p.leg(x, y)
					if fwd := base + p.leg(x, f) + p.leg(g, y); !s.hopeless(lo, fwd) {
						orMove(s.cand, s.cur, i, l, k)
						improved = s.try(lo, hi, fwd) || improved
					}
					if l == 1 {
						continue
					}
					if rev := base + p.leg(x, g) + p.leg(f, y); !s.hopeless(lo, rev) {
						orMove(s.cand, s.cur, i, l, k)
						slices.Reverse(s.cand[k : k+l])
						improved = s.try(lo, hi, rev) || improved
					}
				}
			}
		}
		// Swap two stops that are not next to each other.
		for i := 0; i < n-2; i++ {
			for j := i + 2; j < n; j++ {
				pi, ci, ni := s.node(i-1), s.node(i), s.node(i+1)
				pj, cj, nj := s.node(j-1), s.node(j), s.node(j+1)
				delta := p.leg(pi, cj) + p.leg(cj, ni) + p.leg(pj, ci) + p.leg(ci, nj) -
					p.leg(pi, ci) - p.leg(ci, ni) - p.leg(pj, cj) - p.leg(cj, nj)
				if s.hopeless(i, delta) {
					continue
				}
				s.cand[i], s.cand[j] = s.cand[j], s.cand[i]
				improved = s.try(i, j+1, delta) || improved
			}
		}
		if !improved {
			break
		}
	}
	return s.cur, s.eval
}

// node returns the node at position k of cur: the start before the first
// stop, and -1 (no leg) after the last.
func (s *routeSearch) node(k int) int {
	switch {
	case k < 0:
		return 0
	case k >= len(s.cur):
		return -1
	}
	return s.cur[k] + 1
}

// load times cur in full.
func (s *routeSearch) load() {
	p := s.p
	s.eval = routeEval{}
	clear(s.late)
	t, node := int64(0), 0
	for k, i := range s.cur {
		s.eval.km += p.km[node*p.w+i+1]
		var late bool
		t, late = p.reach(node, i, t)
		if late {
			s.late[i] = true
			s.eval.late++
		}
		t = satAdd(t, p.svc[i])
		s.pre[k+1] = routeProgress{t: t, late: s.eval.late}
		node = i + 1
	}
}

// hopeless reports whether a move that changes cur from position lo on
// and the drive by delta km cannot win: unless it is shorter it must make
// fewer stops late, which it cannot do if every late stop comes before lo.
func (s *routeSearch) hopeless(lo int, delta float64) bool {
	return !(delta < -kmEpsilon) && s.pre[lo].late >= s.eval.late
}

// try times cand, which differs from cur only in cand[lo:hi] and drives
// delta km more, and takes it if it is better. Otherwise it puts cur back
// into cand[lo:hi].
func (s *routeSearch) try(lo, hi int, delta float64) bool {
	if s.better(lo, hi, delta) {
		copy(s.cur[lo:hi], s.cand[lo:hi])
		s.load()
		return true
	}
	copy(s.cand[lo:hi], s.cur[lo:hi])
	return false
}

// better reports whether cand, equal to cur outside cand[lo:hi], beats
// cur: fewer stops late, or the same stops late and delta < 0. Lateness
// only grows along a route, and a route that reaches a stop earlier is late
// at no more of the stops after it, so it stops as soon as the answer is
// known: often at the first stop after hi.
func (s *routeSearch) better(lo, hi int, delta float64) bool {
	p, worst := s.p, s.eval.late
	shorter := delta < -kmEpsilon
	t, late, fresh := s.pre[lo].t, s.pre[lo].late, 0
	node := 0
	if lo > 0 {
		node = s.cand[lo-1] + 1
	}
	for k := lo; k < len(s.cand); k++ {
		i := s.cand[k]
		var l bool
		t, l = p.reach(node, i, t)
		if l {
			late++
			if !s.late[i] {
				fresh++
			}
			if late > worst || (late == worst && (!shorter || fresh > 0)) {
				return false
			}
		}
		t = satAdd(t, p.svc[i])
		node = i + 1
		if k < hi {
			continue
		}
		// cand[:k+1] holds the same stops as cur[:k+1] and ends at the same
		// one; rest of cur's late stops come after it.
		before, was := s.pre[k+1].late, s.pre[k+1].t
		rest := worst - before
		switch {
		case t == was: // the same from here on
			return late+rest < worst || (late+rest == worst && fresh == 0 && shorter)
		case t < was && fresh == 0 && (shorter || late < before):
			return true // late at a subset of cur's late stops
		case t > was && (late+rest > worst || (late+rest == worst && (fresh > 0 || !shorter))):
			return false // late at least where cur is
		}
	}
	return late < worst || shorter
}

// leg returns the km from node a to node b, 0 if either is -1 (no node).
func (p *routePlanner) leg(a, b int) float64 {
	if a < 0 || b < 0 {
		return 0
	}
	return p.km[a*p.w+b]
}

// orMove writes into dst[lo:hi] the stretch of src with the run
// src[i:i+l] (l ≤ 3) taken out and put back so that it starts at index k,
// where lo = min(i, k) and hi = max(i, k)+l; dst equals src elsewhere.
func orMove(dst, src []int, i, l, k int) {
	var run [3]int
	copy(run[:l], src[i:i+l])
	if k < i {
		copy(dst[k+l:i+l], src[k:i])
	} else {
		copy(dst[i:k], src[i+l:k+l])
	}
	copy(dst[k:k+l], run[:l])
}
