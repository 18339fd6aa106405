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
