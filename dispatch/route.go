package dispatch

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// LatLon is a point on the map in degrees.
type LatLon struct {
	Lat, Lon float64
}

// earthRadiusKm is the mean radius of the Earth (IUGG).
const earthRadiusKm = 6371.0088

// Distance returns the great-circle (haversine) distance between a and b
// in kilometres.
func Distance(a, b LatLon) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	h = min(max(h, 0), 1) // rounding can push h a hair outside [0, 1]
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(h))
}

// DefaultSpeed is the average driving speed in km/h that PlanRoute assumes
// when RouteQuery.Speed is not positive: urban traffic.
const DefaultSpeed = 30

// Stop is one place a technician visits in a day.
type Stop struct {
	ID      string // unique within a query
	At      LatLon
	Window  Window        // booked arrival window; a zero Start or End leaves that side open
	Service time.Duration // time on site
}

// RouteQuery asks for the visiting order of a technician's stops.
type RouteQuery struct {
	Start  LatLon    // home base or current position
	Depart time.Time // when the technician sets off from Start; needed when a stop has a window
	Speed  float64   // km/h; not positive means DefaultSpeed
	Stops  []Stop
}

// Route is a technician's day in visiting order. It ends at the last stop:
// the drive home is not counted.
type Route struct {
	Order []string // stop IDs in visiting order
	// Arrive holds when work starts at each stop: the arrival, or the
	// window's start after waiting for it. It is never nil.
	Arrive map[string]time.Time
	Km     float64  // total drive
	Late   []string // stops reached after their window ends, in visiting order
}

// PlanRoute orders q.Stops to cut driving while keeping booked windows. A
// technician who arrives before a window opens waits for it. Routes compare
// by the number of late stops first, then by distance.
//
// It builds a few starting orders (nearest stop in time, which without
// windows is the nearest by distance; earliest-closing window first; and
// the order given) and improves each with 2-opt, Or-opt and swap moves;
// then it perturbs the best route a few times (a double bridge) and
// improves it again. A move is taken only if it makes fewer stops late, or
// keeps the same stops late and shortens the drive, so the result never has
// more late stops than q.Stops in the order given. Ties are broken by stop
// ID and the perturbations are seeded, so the result is deterministic. It
// is meant for a day's work, up to a few dozen stops.
func PlanRoute(q RouteQuery) Route {
	n := len(q.Stops)
	if n == 0 {
		return Route{Arrive: map[string]time.Time{}}
	}
	p := newPlanner(q)
	given := make([]int, n)
	for i := range given {
		given[i] = i
	}
	var best []int
	var bestEval routeEval
	for _, s := range [][]int{p.nearestInTime(), p.earliestDeadline(), given} {
		if o, e := p.improve(s); best == nil || e.better(bestEval) {
			best, bestEval = o, e
		}
	}
	if n < 4 {
		return p.route(best)
	}
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	kick := make([]int, 0, n)
	for range routeKicks(n) {
		// Double bridge: A B C D becomes A C B D, which no single move
		// above undoes.
		a := rng.IntN(n - 1)
		b := a + 1 + rng.IntN(n-a-1)
		c := b + 1 + rng.IntN(n-b)
		kick = append(kick[:0], best[:a]...)
		kick = append(kick, best[b:c]...)
		kick = append(kick, best[a:b]...)
		kick = append(kick, best[c:]...)
		if o, e := p.improve(kick); e.better(bestEval) {
			best, bestEval = o, e
		}
	}
	return p.route(best)
}

// ScheduleRoute times q.Stops visited in the given order of stop IDs, with
// the rules of PlanRoute; unknown IDs are skipped.
func ScheduleRoute(q RouteQuery, order []string) Route {
	p := newPlanner(q)
	return p.route(p.indices(order))
}

// RouteKm returns the drive in km from start through the stops named by
// order, in that order; unknown IDs are skipped.
func RouteKm(start LatLon, stops []Stop, order []string) float64 {
	at := make(map[string]LatLon, len(stops))
	for _, s := range stops {
		if _, dup := at[s.ID]; !dup {
			at[s.ID] = s.At
		}
	}
	km, pos := 0.0, start
	for _, id := range order {
		p, ok := at[id]
		if !ok {
			continue
		}
		km += Distance(pos, p)
		pos = p
	}
	return km
}

// routeKicks returns how many times PlanRoute perturbs its best route of n
// stops and searches again: each costs about one more search, so short
// routes get more.
func routeKicks(n int) int {
	return min(max(120/n, 6), 20)
}

// kmEpsilon is the least saving in km that counts as shorter, so rounding
// noise cannot make a move look better.
const kmEpsilon = 1e-9

// maxRoutePasses bounds local search, which otherwise ends when no move
// helps; each pass that goes on has improved the route.
const maxRoutePasses = 100

// routePlanner holds a query with its distances, drive times and windows
// precomputed. Times are nanoseconds after q.Depart. Node 0 is the start
// and node i+1 is stop i; km and drive are node-by-node matrices.
type routePlanner struct {
	q      RouteQuery
	w      int       // nodes: stops + 1
	km     []float64 // km[a*w+b]
	drive  []int64   // drive[a*w+b]
	opens  []int64   // when each stop's window opens; math.MinInt64 if it has no start
	closes []int64   // when each stop's window closes; math.MaxInt64 if it has no end
	svc    []int64   // time on site at each stop
}

// routeEval is the cost of one order.
type routeEval struct {
	late int
	km   float64
}

// better reports whether e beats o: fewer late stops, or as many and a
// shorter drive.
func (e routeEval) better(o routeEval) bool {
	return e.late < o.late || (e.late == o.late && e.km < o.km-kmEpsilon)
}

// newPlanner precomputes q for PlanRoute and ScheduleRoute.
func newPlanner(q RouteQuery) *routePlanner {
	speed := q.Speed
	if !(speed > 0) || math.IsInf(speed, 1) {
		speed = DefaultSpeed
	}
	n := len(q.Stops)
	w := n + 1
	p := &routePlanner{
		q: q, w: w,
		km: make([]float64, w*w), drive: make([]int64, w*w),
		opens: make([]int64, n), closes: make([]int64, n), svc: make([]int64, n),
	}
	at := func(a int) LatLon {
		if a == 0 {
			return q.Start
		}
		return q.Stops[a-1].At
	}
	for a := range w {
		for b := range w {
			d := Distance(at(a), at(b))
			p.km[a*w+b] = d
			p.drive[a*w+b] = driveNanos(d, speed)
		}
	}
	for i, s := range q.Stops {
		p.opens[i], p.closes[i] = math.MinInt64, math.MaxInt64
		if !s.Window.Start.IsZero() {
			p.opens[i] = int64(s.Window.Start.Sub(q.Depart))
		}
		if !s.Window.End.IsZero() {
			p.closes[i] = int64(s.Window.End.Sub(q.Depart))
		}
		p.svc[i] = int64(max(s.Service, 0))
	}
	return p
}

// driveNanos converts km at speed km/h to nanoseconds, bounded so that bad
// coordinates cannot overflow.
func driveNanos(km, speed float64) int64 {
	h := km / speed
	if !(h >= 0) {
		return 0
	}
	const maxHours = 24 * 365
	return int64(min(h, maxHours) * float64(time.Hour))
}

// satAdd adds d ≥ 0 to t ≥ 0 without overflowing.
func satAdd(t, d int64) int64 {
	if t > math.MaxInt64-d {
		return math.MaxInt64
	}
	return t + d
}

// indices maps stop IDs to indices into q.Stops, skipping unknown ones.
func (p *routePlanner) indices(order []string) []int {
	idx := make(map[string]int, len(p.q.Stops))
	for i, s := range p.q.Stops {
		if _, dup := idx[s.ID]; !dup {
			idx[s.ID] = i
		}
	}
	out := make([]int, 0, len(order))
	for _, id := range order {
		if i, ok := idx[id]; ok {
			out = append(out, i)
		}
	}
	return out
}

// reach returns when work at stop i can start if the technician leaves
// node at time t, and whether that is late.
func (p *routePlanner) reach(node, i int, t int64) (int64, bool) {
	t = max(satAdd(t, p.drive[node*p.w+i+1]), p.opens[i])
	return t, t > p.closes[i]
}

// route times order in full.
func (p *routePlanner) route(order []int) Route {
	r := Route{Arrive: make(map[string]time.Time, len(order))}
	t, node := int64(0), 0
	for _, i := range order {
		r.Km += p.km[node*p.w+i+1]
		var late bool
		t, late = p.reach(node, i, t)
		id := p.q.Stops[i].ID
		r.Order = append(r.Order, id)
		r.Arrive[id] = p.q.Depart.Add(time.Duration(t))
		if late {
			r.Late = append(r.Late, id)
		}
		t = satAdd(t, p.svc[i])
		node = i + 1
	}
	return r
}

// greedy builds an order by repeatedly taking the unvisited stop with the
// smallest key, compared element by element, given the current node and
// time; ties go to the lower stop ID, then the lower index.
func (p *routePlanner) greedy(key func(node, i int, t int64) [3]float64) []int {
	n := len(p.q.Stops)
	done := make([]bool, n)
	order := make([]int, 0, n)
	t, node := int64(0), 0
	for range n {
		best := -1
		var bk [3]float64
		for i := range n {
			if done[i] {
				continue
			}
			k := key(node, i, t)
			c := slices.Compare(k[:], bk[:])
			if best < 0 || c < 0 || (c == 0 && p.q.Stops[i].ID < p.q.Stops[best].ID) {
				best, bk = i, k
			}
		}
		done[best] = true
		order = append(order, best)
		t, _ = p.reach(node, best, t)
		t = satAdd(t, p.svc[best])
		node = best + 1
	}
	return order
}

// lateRank is 1 for a stop that would be late and 0 for one that would
// not, so that a greedy key puts every stop still reachable in its window
// first.
func lateRank(late bool) float64 {
	if late {
		return 1
	}
	return 0
}

// nearestInTime takes next the stop where work can start soonest,
// preferring the window that closes first on a tie.
func (p *routePlanner) nearestInTime() []int {
	return p.greedy(func(node, i int, t int64) [3]float64 {
		at, late := p.reach(node, i, t)
		return [3]float64{lateRank(late), float64(at - t), float64(p.closes[i])}
	})
}

// earliestDeadline takes next the stop whose window closes first; stops
// without a window come after those with one, nearest first.
func (p *routePlanner) earliestDeadline() []int {
	return p.greedy(func(node, i int, t int64) [3]float64 {
		_, late := p.reach(node, i, t)
		return [3]float64{lateRank(late), float64(p.closes[i]), p.km[node*p.w+i+1]}
	})
}

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
