package dispatch_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/dispatch"
)

// rankMonday is midnight at the start of Monday 1 June 2026, UTC.
var rankMonday = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// rankSite is where the job being matched is.
var rankSite = dispatch.LatLon{Lat: 51.5, Lon: -0.12}

// rankAt returns hh:mm on rankMonday.
func rankAt(h, m int) time.Time {
	return rankMonday.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// rankNorth returns the point km kilometres due north of rankSite.
func rankNorth(km float64) dispatch.LatLon {
	return dispatch.LatLon{Lat: rankSite.Lat + km/111.19508, Lon: rankSite.Lon}
}

// rankWeekdays returns working hours of from:00 to to:00, Monday to Friday.
func rankWeekdays(from, to int) dispatch.Week {
	var w dispatch.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = []dispatch.Span{{From: time.Duration(from) * time.Hour, To: time.Duration(to) * time.Hour}}
	}
	return w
}

type rankMod func(*dispatch.TechState)

// rankTech returns an on-duty plumber who works weekdays 08:00-17:00
// everywhere, with no home known, changed by mods.
func rankTech(id string, mods ...rankMod) dispatch.TechState {
	ts := dispatch.TechState{
		Tech:   dispatch.Tech{ID: id, Trades: []dispatch.Trade{dispatch.Plumbing}, Hours: rankWeekdays(8, 17)},
		OnDuty: true,
	}
	for _, m := range mods {
		m(&ts)
	}
	return ts
}

func modTrades(tr ...dispatch.Trade) rankMod { return func(t *dispatch.TechState) { t.Trades = tr } }
func modAreas(a ...string) rankMod           { return func(t *dispatch.TechState) { t.Areas = a } }
func modHome(p dispatch.LatLon) rankMod      { return func(t *dispatch.TechState) { t.Home = p } }
func modHours(w dispatch.Week) rankMod       { return func(t *dispatch.TechState) { t.Hours = w } }
func modJobsToday(n int) rankMod             { return func(t *dispatch.TechState) { t.JobsToday = n } }
func modHolding(j ...dispatch.Job) rankMod {
	return func(t *dispatch.TechState) { t.Jobs = append(t.Jobs, j...) }
}

var (
	modOffDuty  rankMod = func(t *dispatch.TechState) { t.OnDuty = false }
	modOnCall   rankMod = func(t *dispatch.TechState) { t.OnCall = true }
	modDeclined rankMod = func(t *dispatch.TechState) { t.Declined = true }
)

// rankJob returns job J-1, routine plumbing at rankSite in SW1A 1AA, booked
// from h:00 for two hours on rankMonday.
func rankJob(h int) dispatch.Job {
	return dispatch.Job{ID: "J-1", Status: "new", Urgency: "routine", Trade: dispatch.Plumbing,
		Postcode: "SW1A 1AA", SlotStart: rankAt(h, 0), SlotEnd: rankAt(h+2, 0), Lat: rankSite.Lat, Lon: rankSite.Lon}
}

// rankEmergency returns job J-1, an emergency plumbing job at rankSite with no slot.
func rankEmergency() dispatch.Job {
	j := rankJob(0)
	j.Urgency, j.SlotStart, j.SlotEnd = "emergency", time.Time{}, time.Time{}
	return j
}

// rankBooked returns assigned job id of urgency from h:00 for two hours on
// rankMonday at p.
func rankBooked(id string, h int, urgency string, p dispatch.LatLon) dispatch.Job {
	return dispatch.Job{ID: id, Status: "assigned", Urgency: urgency, Trade: dispatch.Plumbing,
		SlotStart: rankAt(h, 0), SlotEnd: rankAt(h+2, 0), Lat: p.Lat, Lon: p.Lon}
}

// rankOther returns j as another job, J-99.
func rankOther(j dispatch.Job) dispatch.Job { j.ID = "J-99"; return j }

func rankStatus(j dispatch.Job, st string) dispatch.Job { j.Status = st; return j }

func rankIDs(cs []dispatch.Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Tech)
	}
	return out
}

func TestRank_who(t *testing.T) {
	unlocated := func(j dispatch.Job) dispatch.Job { j.Lat, j.Lon = 0, 0; return j }
	withTrade := func(j dispatch.Job, tr dispatch.Trade) dispatch.Job { j.Trade = tr; return j }
	offered := rankJob(10)
	offered.Offers = []dispatch.Offer{
		{Tech: "alice", At: rankAt(9, 0), Expires: rankAt(9, 5), Answer: "no"},
		{Tech: "bob", At: rankAt(9, 5), Expires: rankAt(9, 10), Answer: "expired"},
	}
	saturday := rankJob(10)
	saturday.SlotStart, saturday.SlotEnd = saturday.SlotStart.AddDate(0, 0, 5), saturday.SlotEnd.AddDate(0, 0, 5)
	cases := []struct {
		name  string
		job   dispatch.Job
		techs []dispatch.TechState
		now   time.Time
		want  []string
	}{
		{"trade", rankJob(10), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modTrades(dispatch.Electrical)),
		}, rankAt(8, 0), []string{"alice"}},
		{"general work when nobody lists general", withTrade(rankJob(10), dispatch.General), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modTrades(dispatch.Electrical)),
		}, rankAt(8, 0), []string{"alice", "bob"}},
		{"general work goes to who lists it", withTrade(rankJob(10), dispatch.General), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modTrades(dispatch.Electrical, dispatch.General)),
		}, rankAt(8, 0), []string{"bob"}},
		{"no trade is general work", withTrade(rankJob(10), ""), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modTrades(dispatch.General)),
		}, rankAt(8, 0), []string{"bob"}},
		{"area", rankJob(10), []dispatch.TechState{
			rankTech("alice", modAreas("SW1")), rankTech("bob", modAreas("W1", "SW10")), rankTech("carol"),
		}, rankAt(8, 0), []string{"alice", "carol"}},
		{"declined", rankJob(10), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modDeclined),
		}, rankAt(8, 0), []string{"alice"}},
		{"offer declined or let expire", offered, []dispatch.TechState{
			rankTech("alice"), rankTech("bob"), rankTech("carol"),
		}, rankAt(9, 30), []string{"carol"}},
		{"slot past the end of the day", rankJob(16), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modHours(rankWeekdays(8, 20))),
		}, rankAt(8, 0), []string{"bob"}},
		{"slot before the day starts", rankJob(7), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modHours(rankWeekdays(7, 15))),
		}, rankAt(6, 0), []string{"bob"}},
		{"day off", saturday, []dispatch.TechState{rankTech("alice")}, rankAt(8, 0), nil},
		{"overlapping job", rankJob(10), []dispatch.TechState{
			rankTech("alice", modHolding(rankBooked("J-2", 11, "routine", rankSite))),
			rankTech("bob", modHolding(rankBooked("J-3", 8, "routine", rankSite), rankBooked("J-4", 12, "routine", rankSite))),
			rankTech("carol", modHolding(rankStatus(rankBooked("J-5", 10, "routine", rankSite), "done"))),
			rankTech("dave", modHolding(rankStatus(rankJob(10), "offered"))),
			rankTech("erin", modHolding(rankStatus(rankBooked("J-6", 9, "routine", rankSite), "on_site"))),
		}, rankAt(8, 0), []string{"bob", "carol", "dave"}},
		{"emergency in working hours", rankEmergency(), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modOffDuty), rankTech("carol", modOffDuty, modOnCall),
		}, rankAt(10, 0), []string{"alice"}},
		{"emergency after hours", rankEmergency(), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modOnCall), rankTech("carol", modOffDuty, modOnCall),
		}, rankAt(20, 0), []string{"bob", "carol"}},
		{"emergency on a weekend", rankEmergency(), []dispatch.TechState{
			rankTech("alice"), rankTech("bob", modOnCall),
		}, rankAt(10, 0).AddDate(0, 0, 5), []string{"bob"}},
		{"emergency needs a free tech", unlocated(rankEmergency()), []dispatch.TechState{
			rankTech("alice", modHolding(rankStatus(rankBooked("J-2", 11, "routine", rankSite), "en_route"))),
			rankTech("bob", modHolding(rankBooked("J-3", 11, "routine", rankSite))),
			rankTech("carol", modHolding(rankBooked("J-4", 12, "routine", rankSite))),
			rankTech("dave", modHolding(rankStatus(rankOther(unlocated(rankEmergency())), "on_site"))),
			rankTech("erin", modHolding(rankStatus(rankBooked("J-5", 7, "routine", rankSite), "on_site"))),
			rankTech("fay", modHolding(rankStatus(rankBooked("J-6", 8, "routine", rankSite), "done"))),
		}, rankAt(10, 0), []string{"carol", "fay"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rankIDs(dispatch.Rank(c.job, c.techs, c.now))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Rank(%s) (-want +got):\n%s", c.name, diff)
			}
		})
	}
}

func TestRank_order(t *testing.T) {
	unlocated := rankJob(10)
	unlocated.Lat, unlocated.Lon = 0, 0
	cases := []struct {
		name  string
		job   dispatch.Job
		techs []dispatch.TechState
		now   time.Time
		want  []string
	}{
		{"nearer first", rankJob(10), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5))), rankTech("bob", modHome(rankNorth(1))), rankTech("carol", modHome(rankNorth(3))),
		}, rankAt(8, 0), []string{"bob", "carol", "alice"}},
		{"fewer jobs first", rankJob(10), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(2)), modJobsToday(4)),
			rankTech("bob", modHome(rankNorth(2))),
			rankTech("carol", modHome(rankNorth(2)), modJobsToday(2)),
		}, rankAt(8, 0), []string{"bob", "carol", "alice"}},
		{"ties by ID", rankJob(10), []dispatch.TechState{
			rankTech("carol", modHome(rankNorth(2))), rankTech("alice", modHome(rankNorth(2))), rankTech("bob", modHome(rankNorth(2))),
		}, rankAt(8, 0), []string{"alice", "bob", "carol"}},
		{"from the previous job", rankJob(10), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(1)), modJobsToday(1)),
			rankTech("bob", modHome(rankNorth(20)), modJobsToday(1), modHolding(rankBooked("J-2", 8, "routine", rankNorth(0.5)))),
			rankTech("carol", modHome(rankNorth(30)), modJobsToday(1), modHolding(rankBooked("J-3", 14, "routine", rankSite))),
		}, rankAt(8, 0), []string{"bob", "alice", "carol"}},
		{"routine work weighs workload", rankJob(10), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(1)), modJobsToday(6)), rankTech("bob", modHome(rankNorth(6))),
		}, rankAt(8, 0), []string{"bob", "alice"}},
		{"emergency: distance dominates", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(1)), modJobsToday(6)), rankTech("bob", modHome(rankNorth(6))),
		}, rankAt(10, 0), []string{"alice", "bob"}},
		{"unknown job location is neutral", unlocated, []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(1)), modJobsToday(3)), rankTech("bob", modHome(rankNorth(20))),
		}, rankAt(8, 0), []string{"bob", "alice"}},
		{"unknown home is neutral", rankJob(10), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(30))), rankTech("bob"), rankTech("carol", modHome(rankNorth(1))),
		}, rankAt(8, 0), []string{"carol", "bob", "alice"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rankIDs(dispatch.Rank(c.job, c.techs, c.now))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Rank(%s) (-want +got):\n%s", c.name, diff)
			}
		})
	}
}

func TestRank_candidates(t *testing.T) {
	unlocated := rankEmergency()
	unlocated.Lat, unlocated.Lon = 0, 0
	techs := []dispatch.TechState{
		rankTech("alice", modHome(rankNorth(2)), modJobsToday(1), modOnCall),
		rankTech("bob", modHome(rankNorth(9)), modHolding(rankBooked("J-2", 15, "routine", rankNorth(0.5))), modOnCall),
	}
	near := func(km float64) float64 { return 1 / (1 + km/10) }
	light := func(n float64) float64 { return 1 / (1 + n/2) }
	cases := []struct {
		name string
		job  dispatch.Job
		want []dispatch.Candidate
	}{
		{"emergency after hours", rankEmergency(), []dispatch.Candidate{
			{Tech: "bob", Km: 0.5, Score: 0.9*near(0.5) + 0.1*light(0), Reasons: []string{"0.5 km from J-2", "0 jobs today", "on call"}},
			{Tech: "alice", Km: 2, Score: 0.9*near(2) + 0.1*light(1), Reasons: []string{"2.0 km from home", "1 job today", "on call"}},
		}},
		{"no location", unlocated, []dispatch.Candidate{
			{Tech: "bob", Km: -1, Score: 0.9*near(10) + 0.1*light(0), Reasons: []string{"distance unknown", "0 jobs today", "on call"}},
			{Tech: "alice", Km: -1, Score: 0.9*near(10) + 0.1*light(1), Reasons: []string{"distance unknown", "1 job today", "on call"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := dispatch.Rank(c.job, techs, rankAt(18, 0))
			if diff := cmp.Diff(c.want, got, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("Rank(%s) (-want +got):\n%s", c.name, diff)
			}
		})
	}
}

// TestRank_timeZone checks that working hours are read in now's location.
func TestRank_timeZone(t *testing.T) {
	sydney := time.FixedZone("AEST", 10*60*60)
	job := rankJob(0) // 00:00-02:00 UTC is 10:00-12:00 in Sydney
	techs := []dispatch.TechState{rankTech("alice")}
	for _, c := range []struct {
		loc  *time.Location
		want []string
	}{
		{time.UTC, nil},
		{sydney, []string{"alice"}},
	} {
		got := rankIDs(dispatch.Rank(job, techs, rankMonday.Add(-2*time.Hour).In(c.loc)))
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("Rank with now in %v (-want +got):\n%s", c.loc, diff)
		}
	}
}

func TestPreemptFor(t *testing.T) {
	routine := func(id string, h int) dispatch.Job { return rankBooked(id, h, "routine", rankSite) }
	urgent := func(id string, h int) dispatch.Job { return rankBooked(id, h, "urgent", rankSite) }
	urgentJob := rankEmergency()
	urgentJob.Urgency = "urgent"
	cases := []struct {
		name       string
		job        dispatch.Job
		techs      []dispatch.TechState
		now        time.Time
		wantTech   string
		wantBumped string
	}{
		{"nearest with a routine job", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(1)), modHolding(routine("J-3", 11))),
			rankTech("carol", modHome(rankNorth(3)), modHolding(routine("J-4", 11))),
		}, rankAt(10, 0), "bob", "J-3"},
		{"never an urgent job", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(1)), modHolding(urgent("J-3", 11))),
		}, rankAt(10, 0), "alice", "J-2"},
		{"never another emergency", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(1)), modHolding(rankStatus(rankOther(rankEmergency()), "en_route"))),
		}, rankAt(10, 0), "alice", "J-2"},
		{"not with an urgent job later in the block", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(1)), modHolding(routine("J-3", 9), urgent("J-4", 11))),
		}, rankAt(10, 0), "alice", "J-2"},
		{"only urgent jobs", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHolding(urgent("J-2", 11))),
			rankTech("bob", modHolding(urgent("J-3", 10))),
		}, rankAt(10, 0), "", ""},
		{"someone is free", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(1)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(9))),
		}, rankAt(10, 0), "", ""},
		{"not an emergency", urgentJob, []dispatch.TechState{
			rankTech("alice", modHolding(routine("J-2", 11))),
		}, rankAt(10, 0), "", ""},
		{"work on site is not bumped", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(1)), modHolding(rankStatus(routine("J-3", 9), "on_site"))),
		}, rankAt(10, 0), "alice", "J-2"},
		{"the job under way is finished, the next one moves", rankEmergency(), []dispatch.TechState{
			rankTech("bob", modHolding(routine("J-4", 11), rankStatus(routine("J-3", 9), "en_route"))),
		}, rankAt(10, 0), "bob", "J-4"},
		{"on site with nothing after: goes when done, nothing moves", rankEmergency(), []dispatch.TechState{
			rankTech("bob", modHome(rankNorth(1)), modHolding(rankStatus(routine("J-3", 9), "on_site"))),
			rankTech("carol", modHome(rankNorth(1)), modHolding(urgent("J-4", 10))),
		}, rankAt(10, 0), "bob", ""},
		{"on site at an urgent job: finished first", rankEmergency(), []dispatch.TechState{
			rankTech("bob", modHolding(rankStatus(urgent("J-3", 9), "on_site"), routine("J-4", 11))),
		}, rankAt(10, 0), "bob", "J-4"},
		{"one who can leave at once before a nearer one at work", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(1)), modHolding(rankStatus(routine("J-3", 9), "on_site"), routine("J-4", 11))),
		}, rankAt(10, 0), "alice", "J-2"},
		{"only qualified techs on duty", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(5)), modHolding(routine("J-2", 11))),
			rankTech("bob", modHome(rankNorth(0.5)), modOffDuty, modHolding(routine("J-3", 11))),
			rankTech("carol", modHome(rankNorth(0.5)), modTrades(dispatch.Electrical), modHolding(routine("J-4", 11))),
			rankTech("dave", modHome(rankNorth(0.5)), modDeclined, modHolding(routine("J-5", 11))),
		}, rankAt(10, 0), "alice", "J-2"},
		{"ties by workload, then ID", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modHome(rankNorth(2)), modJobsToday(3), modHolding(routine("J-2", 11))),
			rankTech("carol", modHome(rankNorth(2)), modJobsToday(1), modHolding(routine("J-3", 11))),
			rankTech("bob", modHome(rankNorth(2)), modJobsToday(1), modHolding(routine("J-4", 11))),
		}, rankAt(10, 0), "bob", "J-4"},
		{"on call after hours", rankEmergency(), []dispatch.TechState{
			rankTech("alice", modOnCall, modHolding(routine("J-2", 20))),
			rankTech("bob", modHolding(routine("J-3", 20))),
		}, rankAt(20, 0), "alice", "J-2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tech, bumped, ok := dispatch.PreemptFor(c.job, c.techs, c.now)
			if tech != c.wantTech || bumped.ID != c.wantBumped || ok != (c.wantTech != "") {
				t.Errorf("PreemptFor(%s) = %q, %q, %v, want %q, %q, %v",
					c.name, tech, bumped.ID, ok, c.wantTech, c.wantBumped, c.wantTech != "")
			}
		})
	}
}
