package dispatch_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"dispatchbot/dispatch"
)

// benchRoster returns 200 technicians holding 1,000 open jobs between them,
// spread over Monday at random places in and around central London. Every
// technician does plumbing and serves SW1 (or everywhere), so each is
// looked at in full.
func benchRoster(tb testing.TB) []dispatch.TechState {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	place := func() dispatch.LatLon {
		return dispatch.LatLon{Lat: 51.40 + rng.Float64()*0.2, Lon: -0.30 + rng.Float64()*0.4}
	}
	areas := []string{"SW3", "W1", "N1", "E1", "SE1", "NW1"}
	others := []dispatch.Trade{dispatch.Electrical, dispatch.HVAC, dispatch.Appliance, dispatch.General}
	techs := make([]dispatch.TechState, 200)
	for i := range techs {
		t := dispatch.TechState{
			Tech: dispatch.Tech{
				ID:     "tech-" + strconv.Itoa(i),
				Trades: []dispatch.Trade{dispatch.Plumbing, others[rng.IntN(len(others))]},
				Hours:  rankWeekdays(7, 19),
			},
			Home:   place(),
			OnDuty: true,
			OnCall: i%10 == 0,
		}
		if i%2 == 0 {
			t.Areas = []string{"SW1", areas[rng.IntN(len(areas))], areas[rng.IntN(len(areas))]}
		}
		techs[i] = t
	}
	for n := range 1000 {
		t := &techs[rng.IntN(len(techs))]
		start := rankAt(7, 0).Add(time.Duration(rng.IntN(10*4)) * 15 * time.Minute)
		p := place()
		t.Jobs = append(t.Jobs, dispatch.Job{
			ID: dispatch.JobID(int64(2000 + n)), Status: dispatch.StatusAssigned, Urgency: "routine",
			Trade: dispatch.Plumbing, Postcode: "SW1A 1AA", Tech: t.ID,
			SlotStart: start, SlotEnd: start.Add(2 * time.Hour), Lat: p.Lat, Lon: p.Lon,
		})
		t.JobsToday++
	}
	return techs
}

// BenchmarkRank ranks 200 technicians holding 1,000 open jobs for one job.
func BenchmarkRank(b *testing.B) {
	techs := benchRoster(b)
	for _, c := range []struct {
		name string
		job  dispatch.Job
		now  time.Time
	}{
		{"slot", rankJob(12), rankAt(8, 0)},
		{"emergency", rankEmergency(), rankAt(11, 0)},
	} {
		b.Run(c.name, func(b *testing.B) {
			if len(dispatch.Rank(c.job, techs, c.now)) == 0 {
				b.Fatalf("Rank(%s) found nobody; the benchmark would measure nothing", c.name)
			}
			b.ReportAllocs()
			for b.Loop() {
				dispatch.Rank(c.job, techs, c.now)
			}
		})
	}
}
