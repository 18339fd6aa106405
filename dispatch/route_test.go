package dispatch_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/dispatch"
)

// routeDepart is a Monday morning in UTC.
var routeDepart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// kmAt returns the point x km east and y km north of a spot in London, on
// a local flat approximation that is good to well under 1% for a few km.
func kmAt(x, y float64) dispatch.LatLon {
	const lat0, lon0, kmPerDeg = 51.5, -0.1, 6371.0088 * math.Pi / 180
	return dispatch.LatLon{
		Lat: lat0 + y/kmPerDeg,
		Lon: lon0 + x/(kmPerDeg*math.Cos(lat0*math.Pi/180)),
	}
}

// at returns routeDepart plus h hours.
func at(h float64) time.Time {
	return routeDepart.Add(time.Duration(h * float64(time.Hour)))
}

func TestDistance(t *testing.T) {
	cases := []struct {
		name string
		a, b dispatch.LatLon
		want float64
		tol  float64
	}{
		{"London to Manchester", dispatch.LatLon{Lat: 51.5074, Lon: -0.1278}, dispatch.LatLon{Lat: 53.4808, Lon: -2.2426}, 262, 2},
		{"same point", dispatch.LatLon{Lat: 51.5, Lon: -0.1}, dispatch.LatLon{Lat: 51.5, Lon: -0.1}, 0, 0},
		{"one degree along a meridian", dispatch.LatLon{Lat: 10, Lon: 5}, dispatch.LatLon{Lat: 11, Lon: 5}, 111.195, 0.001},
		{"antipodes", dispatch.LatLon{Lat: 0, Lon: 0}, dispatch.LatLon{Lat: 0, Lon: 180}, 20015.1, 0.1},
		{"across the date line", dispatch.LatLon{Lat: 0, Lon: 179.5}, dispatch.LatLon{Lat: 0, Lon: -179.5}, 111.195, 0.001},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := dispatch.Distance(c.a, c.b)
			if math.Abs(got-c.want) > c.tol {
				t.Errorf("Distance(%v, %v) = %.3f km, want %.3f ± %g", c.a, c.b, got, c.want, c.tol)
			}
			if back := dispatch.Distance(c.b, c.a); math.Abs(back-got) > 1e-9 {
				t.Errorf("Distance(%v, %v) = %.9f, but the other way %.9f", c.b, c.a, back, got)
			}
		})
	}
}

func TestPlanRoute(t *testing.T) {
	home := kmAt(0, 0)
	cases := []struct {
		name      string
		q         dispatch.RouteQuery
		wantOrder []string
		wantLate  []string
		wantKm    float64
		wantAt    map[string]time.Time // a few arrivals worth pinning
	}{
		{
			name:   "no stops",
			q:      dispatch.RouteQuery{Start: home, Depart: routeDepart},
			wantKm: 0,
		},
		{
			name: "one stop at the default 30 km/h",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "a", At: kmAt(0, 15)},
			}},
			wantOrder: []string{"a"},
			wantKm:    15,
			wantAt:    map[string]time.Time{"a": at(0.5)},
		},
		{
			name: "two stops on a line, far one given first",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Speed: 60, Stops: []dispatch.Stop{
				{ID: "far", At: kmAt(0, 20)},
				{ID: "near", At: kmAt(0, 10)},
			}},
			wantOrder: []string{"near", "far"},
			wantKm:    20,
			wantAt:    map[string]time.Time{"near": at(10.0 / 60), "far": at(20.0 / 60)},
		},
		{
			name: "points on a line, shuffled",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "s3", At: kmAt(0, 3)}, {ID: "s1", At: kmAt(0, 1)}, {ID: "s5", At: kmAt(0, 5)},
				{ID: "s2", At: kmAt(0, 2)}, {ID: "s4", At: kmAt(0, 4)},
			}},
			wantOrder: []string{"s1", "s2", "s3", "s4", "s5"},
			wantKm:    5,
		},
		{
			name: "points on both sides: the short side first",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "e2", At: kmAt(2, 0)}, {ID: "w1", At: kmAt(-1, 0)}, {ID: "e4", At: kmAt(4, 0)},
			}},
			wantOrder: []string{"w1", "e2", "e4"},
			wantKm:    6,
		},
		{
			name: "service time and a wait for a window",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "a", At: kmAt(0, 15), Service: time.Hour},
				{ID: "b", At: kmAt(0, 30), Window: dispatch.Window{Start: at(3), End: at(5)}},
			}},
			wantOrder: []string{"a", "b"},
			wantKm:    30,
			wantAt:    map[string]time.Time{"a": at(0.5), "b": at(3)},
		},
		{
			name: "a window forces the far stop first",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "a", At: kmAt(0, 5), Service: 30 * time.Minute},
				{ID: "b", At: kmAt(0, 10), Service: 30 * time.Minute},
				{ID: "c", At: kmAt(0, 15), Service: 30 * time.Minute, Window: dispatch.Window{Start: at(0), End: at(0.75)}},
			}},
			wantOrder: []string{"c", "b", "a"}, // a, b, c would be 15 km but reach c at 09:30
			wantKm:    25,
			wantAt:    map[string]time.Time{"c": at(0.5), "b": at(1 + 1.0/6), "a": at(1 + 5.0/6)},
		},
		{
			name: "windows in the opposite order to the line",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "a", At: kmAt(0, 1), Window: dispatch.Window{Start: at(4), End: at(5)}},
				{ID: "b", At: kmAt(0, 2), Window: dispatch.Window{Start: at(2), End: at(3)}},
				{ID: "c", At: kmAt(0, 3), Window: dispatch.Window{Start: at(0), End: at(1)}},
			}},
			wantOrder: []string{"c", "b", "a"},
			wantKm:    5,
			wantAt:    map[string]time.Time{"c": at(0.1), "b": at(2), "a": at(4)},
		},
		{
			name: "a window already closed stays late, the rest keep theirs",
			q: dispatch.RouteQuery{Start: home, Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "gone", At: kmAt(0, -1), Window: dispatch.Window{Start: at(-2), End: at(-1)}},
				{ID: "soon", At: kmAt(0, 6), Window: dispatch.Window{End: at(0.25)}},
			}},
			wantOrder: []string{"soon", "gone"}, // gone first would reach soon at 08:16
			wantLate:  []string{"gone"},
			wantKm:    13,
		},
		{
			name: "2-opt removes a crossing",
			q: dispatch.RouteQuery{Start: kmAt(-1, 0), Depart: routeDepart, Stops: []dispatch.Stop{
				{ID: "a", At: kmAt(0, 0)}, {ID: "d", At: kmAt(3, 1)}, {ID: "b", At: kmAt(0, 1)}, {ID: "c", At: kmAt(3, 0)},
			}},
			wantOrder: []string{"a", "b", "d", "c"},
			wantKm:    6,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := dispatch.PlanRoute(c.q)
			if diff := cmp.Diff(c.wantOrder, got.Order); diff != "" {
				t.Errorf("PlanRoute order (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.wantLate, got.Late); diff != "" {
				t.Errorf("PlanRoute late (-want +got):\n%s", diff)
			}
			if math.Abs(got.Km-c.wantKm) > 0.01*c.wantKm+1e-9 {
				t.Errorf("PlanRoute km = %.3f, want %.3f", got.Km, c.wantKm)
			}
			if got.Arrive == nil || len(got.Arrive) != len(c.q.Stops) {
				t.Errorf("PlanRoute arrivals = %v, want one for each of %d stops", got.Arrive, len(c.q.Stops))
			}
			for id, want := range c.wantAt {
				if d := got.Arrive[id].Sub(want); d < -time.Second || d > time.Second {
					t.Errorf("PlanRoute arrival at %s = %v, want %v", id, got.Arrive[id], want)
				}
			}
			checkRoute(t, c.q, got)
		})
	}
}

// checkRoute checks that r visits every stop of q once and agrees with
// ScheduleRoute and RouteKm for its own order.
func checkRoute(tb testing.TB, q dispatch.RouteQuery, r dispatch.Route) {
	tb.Helper()
	var ids []string
	for _, s := range q.Stops {
		ids = append(ids, s.ID)
	}
	got := slices.Clone(r.Order)
	slices.Sort(got)
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		tb.Fatalf("PlanRoute order %v does not visit each of %v once", r.Order, ids)
	}
	again := dispatch.ScheduleRoute(q, r.Order)
	if diff := cmp.Diff(r, again, cmpopts.EquateEmpty()); diff != "" {
		tb.Errorf("ScheduleRoute of PlanRoute's order differs (-plan +schedule):\n%s", diff)
	}
	if km := dispatch.RouteKm(q.Start, q.Stops, r.Order); math.Abs(km-r.Km) > 1e-9 {
		tb.Errorf("RouteKm(PlanRoute order) = %v, want %v", km, r.Km)
	}
}

func TestPlanRoute_UncrossesLegs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for n := range 60 {
		q := randomRoute(rng, 8+n%10, false)
		r := dispatch.PlanRoute(q)
		pts := []dispatch.LatLon{q.Start}
		for _, id := range r.Order {
			pts = append(pts, stopByID(t, q.Stops, id).At)
		}
		for i := 0; i+1 < len(pts); i++ {
			for j := i + 2; j+1 < len(pts); j++ {
				if crosses(pts[i], pts[i+1], pts[j], pts[j+1]) {
					t.Errorf("instance %d: legs %d and %d of %v cross", n, i, j, r.Order)
				}
			}
		}
	}
}

func TestPlanRoute_NeverMoreLateThanGiven(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		q := randomRoute(rng, 1+n%15, true)
		var given []string
		for _, s := range q.Stops {
			given = append(given, s.ID)
		}
		base := dispatch.ScheduleRoute(q, given)
		got := dispatch.PlanRoute(q)
		if len(got.Late) > len(base.Late) {
			t.Errorf("instance %d: PlanRoute has %d late stops %v, the given order %d %v",
				n, len(got.Late), got.Late, len(base.Late), base.Late)
		}
		if len(got.Late) == len(base.Late) && got.Km > base.Km+1e-9 {
			t.Errorf("instance %d: PlanRoute drives %.3f km, the given order %.3f with as many late", n, got.Km, base.Km)
		}
		checkRoute(t, q, got)
	}
}

// TestPlanRoute_NearOptimal compares PlanRoute with the best of every order
// of a few stops without windows. A heuristic may miss the best order now
// and then, but not often and not by much.
func TestPlanRoute_NearOptimal(t *testing.T) {
	const instances = 500
	rng := rand.New(rand.NewPCG(3, 4))
	missed, worst := 0, 1.0
	for n := range instances {
		q := randomRoute(rng, 4+n%5, false)
		pts := []dispatch.LatLon{q.Start}
		for _, s := range q.Stops {
			pts = append(pts, s.At)
		}
		km := make([][]float64, len(pts))
		for a := range pts {
			for b := range pts {
				km[a] = append(km[a], dispatch.Distance(pts[a], pts[b]))
			}
		}
		best := math.Inf(1)
		permute(len(q.Stops), func(p []int) {
			d, at := 0.0, 0
			for _, i := range p {
				d += km[at][i+1]
				at = i + 1
			}
			best = min(best, d)
		})
		if got := dispatch.PlanRoute(q); got.Km > best+1e-9 {
			missed++
			worst = max(worst, got.Km/best)
		}
	}
	if missed > instances/100 || worst > 1.05 {
		t.Errorf("PlanRoute missed the shortest order in %d of %d instances, by up to %.1f%%; want at most 1%%, by up to 5%%",
			missed, instances, 100*(worst-1))
	}
}

func TestPlanRoute_Deterministic(t *testing.T) {
	// A square around the start: every tour has a twin of the same length.
	q := dispatch.RouteQuery{Start: kmAt(0, 0), Depart: routeDepart, Stops: []dispatch.Stop{
		{ID: "n", At: kmAt(0, 1)}, {ID: "e", At: kmAt(1, 0)}, {ID: "s", At: kmAt(0, -1)}, {ID: "w", At: kmAt(-1, 0)},
	}}
	first := dispatch.PlanRoute(q)
	for range 20 {
		if got := dispatch.PlanRoute(q); !slices.Equal(got.Order, first.Order) {
			t.Fatalf("PlanRoute order = %v, then %v", first.Order, got.Order)
		}
	}
}

func TestPlanRoute_SpeedAndBadInput(t *testing.T) {
	stops := []dispatch.Stop{{ID: "a", At: kmAt(0, 30)}}
	cases := []struct {
		speed float64
		want  time.Time
	}{
		{60, at(0.5)},
		{0, at(1)},
		{-5, at(1)},
		{math.NaN(), at(1)},
		{math.Inf(1), at(1)},
	}
	for _, c := range cases {
		r := dispatch.PlanRoute(dispatch.RouteQuery{Start: kmAt(0, 0), Depart: routeDepart, Speed: c.speed, Stops: stops})
		if d := r.Arrive["a"].Sub(c.want); d < -time.Second || d > time.Second {
			t.Errorf("PlanRoute at speed %v: arrive %v, want %v", c.speed, r.Arrive["a"], c.want)
		}
	}
	// Bad coordinates must not hang or panic.
	nan := dispatch.LatLon{Lat: math.NaN(), Lon: 1}
	r := dispatch.PlanRoute(dispatch.RouteQuery{Start: nan, Stops: []dispatch.Stop{{ID: "x", At: nan}, {ID: "y"}, {ID: "z", At: kmAt(1, 1)}}})
	if len(r.Order) != 3 {
		t.Errorf("PlanRoute with NaN coordinates order = %v, want 3 stops", r.Order)
	}
}

func TestScheduleRouteAndRouteKm(t *testing.T) {
	q := dispatch.RouteQuery{Start: kmAt(0, 0), Depart: routeDepart, Stops: []dispatch.Stop{
		{ID: "a", At: kmAt(0, 3), Service: 20 * time.Minute},
		{ID: "b", At: kmAt(0, 6), Window: dispatch.Window{End: at(0.25)}},
	}}
	order := []string{"a", "nope", "b"}
	r := dispatch.ScheduleRoute(q, order)
	if diff := cmp.Diff([]string{"a", "b"}, r.Order); diff != "" {
		t.Errorf("ScheduleRoute order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b"}, r.Late); diff != "" {
		t.Errorf("ScheduleRoute late (-want +got):\n%s", diff)
	}
	if want := at(0.1 + 1.0/3 + 0.1); r.Arrive["b"].Sub(want).Abs() > time.Second {
		t.Errorf("ScheduleRoute arrival at b = %v, want %v", r.Arrive["b"], want)
	}
	if km := dispatch.RouteKm(q.Start, q.Stops, order); math.Abs(km-6) > 0.01 {
		t.Errorf("RouteKm(%v) = %.3f, want 6", order, km)
	}
	if km := dispatch.RouteKm(q.Start, q.Stops, nil); km != 0 {
		t.Errorf("RouteKm(nil) = %v, want 0", km)
	}
}

// randomRoute returns a query with n stops scattered over a 20 km square,
// with booked two-hour windows through the day if windows is set.
func randomRoute(rng *rand.Rand, n int, windows bool) dispatch.RouteQuery {
	q := dispatch.RouteQuery{Start: kmAt(10, 10), Depart: routeDepart}
	for i := range n {
		s := dispatch.Stop{
			ID:      fmt.Sprintf("J-%d", 1000+i),
			At:      kmAt(rng.Float64()*20, rng.Float64()*20),
			Service: time.Duration(15+rng.IntN(46)) * time.Minute,
		}
		if windows && rng.IntN(3) > 0 {
			start := at(float64(rng.IntN(8)))
			s.Window = dispatch.Window{Start: start, End: start.Add(2 * time.Hour)}
		}
		q.Stops = append(q.Stops, s)
	}
	return q
}

func stopByID(tb testing.TB, stops []dispatch.Stop, id string) dispatch.Stop {
	tb.Helper()
	for _, s := range stops {
		if s.ID == id {
			return s
		}
	}
	tb.Fatalf("no stop %q", id)
	return dispatch.Stop{}
}

// crosses reports whether segments ab and cd properly cross, treating
// latitude and longitude as plane coordinates (fine for a city).
func crosses(a, b, c, d dispatch.LatLon) bool {
	side := func(p, q, r dispatch.LatLon) float64 {
		return (q.Lon-p.Lon)*(r.Lat-p.Lat) - (q.Lat-p.Lat)*(r.Lon-p.Lon)
	}
	d1, d2 := side(c, d, a), side(c, d, b)
	d3, d4 := side(a, b, c), side(a, b, d)
	return d1*d2 < 0 && d3*d4 < 0
}

// permute calls f with every permutation of 0..n-1 (Heap's algorithm).
func permute(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k <= 1 {
			f(p)
			return
		}
		for i := range k - 1 {
			gen(k - 1)
			if k%2 == 0 {
				p[i], p[k-1] = p[k-1], p[i]
			} else {
				p[0], p[k-1] = p[k-1], p[0]
			}
		}
		gen(k - 1)
	}
	gen(n)
}

// BenchmarkPlanRoute plans a day of 20 stops in a 20 km square: without
// windows, and with two-hour windows on two stops in three, more work than
// fits in the day so that some stops are late whatever the order.
func BenchmarkPlanRoute(b *testing.B) {
	for _, windows := range []bool{false, true} {
		q := randomRoute(rand.New(rand.NewPCG(9, 9)), 20, windows)
		b.Run(fmt.Sprintf("windows=%v", windows), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dispatch.PlanRoute(q)
			}
		})
	}
}
