package bot_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// The points of kpiHistory: ann's home, and two job sites.
var (
	kpiHome = dispatch.LatLon{Lat: 53.4800, Lon: -2.2400}
	kpiA    = dispatch.LatLon{Lat: 53.4800, Lon: -2.2000}
	kpiB    = dispatch.LatLon{Lat: 53.4500, Lon: -2.2400}
)

// kpiCompany has ann, whose home is known, and ben, whose home is not, in
// London time, which is UTC+1 in July.
func kpiCompany(tb testing.TB) *config.Company {
	tb.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		tb.Fatalf("load Europe/London: %v", err)
	}
	return &config.Company{ID: "acme", Location: london, Technicians: []config.Technician{
		{ID: "ann", Home: config.LatLon{Lat: kpiHome.Lat, Lon: kpiHome.Lon}},
		{ID: "ben"},
	}}
}

// kpiUTC is a UTC time on 7 July 2026 plus days.
func kpiUTC(days, h, m int) time.Time {
	return time.Date(2026, 7, 7+days, h, m, 0, 0, time.UTC)
}

// kpiJob builds a job whose audit moves through the statuses given, one at
// each time given.
func kpiJob(n int64, urgency, tech string, at dispatch.LatLon, steps ...any) dispatch.Job {
	j := dispatch.Job{ID: dispatch.JobID(n), Number: n, Urgency: urgency, Tech: tech, Status: dispatch.StatusNew,
		Lat: at.Lat, Lon: at.Lon}
	for i := 0; i+1 < len(steps); i += 2 {
		to, when := steps[i].(string), steps[i+1].(time.Time)
		j.Audit = append(j.Audit, dispatch.AuditEntry{At: when, From: j.Status, To: to})
		j.Status = to
	}
	return j
}

// kpiHistory is a history whose records and KPIs are worked out by hand
// in TestRecords and TestStats.
func kpiHistory() []dispatch.Job {
	slot := func(j dispatch.Job, start time.Time) dispatch.Job {
		j.SlotStart, j.SlotEnd = start, start.Add(2*time.Hour)
		return j
	}
	first := func(j dispatch.Job, at time.Time) dispatch.Job { j.FirstMessage = at; return j }

	j1 := kpiJob(1001, "routine", "ann", kpiA,
		dispatch.StatusOffered, kpiUTC(-1, 9, 5), dispatch.StatusAssigned, kpiUTC(-1, 9, 10),
		dispatch.StatusEnRoute, kpiUTC(0, 7, 0), dispatch.StatusOnSite, kpiUTC(0, 7, 20), dispatch.StatusDone, kpiUTC(0, 8, 30))
	j1 = first(slot(j1, kpiUTC(0, 7, 0)), kpiUTC(-1, 9, 0))
	j1.Feedback = 5

	// An emergency: no slot, no first message (Created counts), an offer
	// that ran out before the second was accepted.
	j2 := kpiJob(1002, "emergency", "ann", kpiB,
		dispatch.StatusOffered, kpiUTC(0, 10, 1), dispatch.StatusNew, kpiUTC(0, 10, 4),
		dispatch.StatusOffered, kpiUTC(0, 10, 4), dispatch.StatusAssigned, kpiUTC(0, 10, 6),
		dispatch.StatusEnRoute, kpiUTC(0, 10, 7), dispatch.StatusDone, kpiUTC(0, 11, 30))
	j2.Created = kpiUTC(0, 10, 0)

	// ben's home is unknown, so his first drive of the day is too.
	j3 := kpiJob(1003, "urgent", "ben", kpiA,
		dispatch.StatusOffered, kpiUTC(0, 8, 20), dispatch.StatusAssigned, kpiUTC(0, 8, 30),
		dispatch.StatusEnRoute, kpiUTC(0, 13, 0), dispatch.StatusOnSite, kpiUTC(0, 13, 10), dispatch.StatusDone, kpiUTC(0, 14, 0))
	j3 = first(slot(j3, kpiUTC(0, 13, 0)), kpiUTC(0, 8, 0))

	// Done with no en route or on site: done is when he set off.
	j4 := kpiJob(1004, "routine", "ben", kpiB,
		dispatch.StatusOffered, kpiUTC(-1, 12, 1), dispatch.StatusAssigned, kpiUTC(-1, 12, 2),
		dispatch.StatusDone, kpiUTC(0, 15, 0))
	j4 = first(slot(j4, kpiUTC(0, 14, 0)), kpiUTC(-1, 12, 0))
	j4.Feedback = 3

	j5 := kpiJob(1005, "routine", "", kpiA, dispatch.StatusCancelled, kpiUTC(-1, 14, 0))
	j5 = first(slot(j5, kpiUTC(0, 9, 0)), kpiUTC(-1, 13, 50))

	// Assigned, not started: nobody drove there.
	j6 := kpiJob(1006, "routine", "ann", kpiA,
		dispatch.StatusOffered, kpiUTC(-1, 13, 10), dispatch.StatusAssigned, kpiUTC(-1, 13, 20))
	j6 = first(slot(j6, kpiUTC(0, 15, 0)), kpiUTC(-1, 13, 0))

	// 23:30 UTC on the 7th is 00:30 on the 8th in London: a new day, so
	// ann drives from home again.
	j7 := kpiJob(1007, "routine", "ann", kpiB,
		dispatch.StatusOffered, kpiUTC(0, 12, 1), dispatch.StatusAssigned, kpiUTC(0, 12, 5),
		dispatch.StatusEnRoute, kpiUTC(0, 23, 10), dispatch.StatusOnSite, kpiUTC(0, 23, 40), dispatch.StatusDone, kpiUTC(1, 0, 10))
	j7 = first(slot(j7, kpiUTC(0, 23, 30)), kpiUTC(0, 12, 0))

	// Set off to but handed back: no technician, so no drive counted, and
	// it is not ann's previous job for j2.
	j8 := kpiJob(1008, "routine", "", kpiA,
		dispatch.StatusOffered, kpiUTC(0, 8, 0), dispatch.StatusAssigned, kpiUTC(0, 8, 1),
		dispatch.StatusEnRoute, kpiUTC(0, 9, 0), dispatch.StatusNew, kpiUTC(0, 9, 30))
	j8 = first(j8, kpiUTC(0, 7, 55))

	return []dispatch.Job{j1, j2, j3, j4, j5, j6, j7, j8}
}

func TestRecords(t *testing.T) {
	july7 := time.Date(2026, 7, 7, 0, 0, 0, 0, kpiCompany(t).Location)
	july8 := july7.AddDate(0, 0, 1)
	recs := bot.Records(kpiHistory(), kpiCompany(t))
	byID := map[string]dispatch.JobRecord{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	tests := []struct {
		name string
		want dispatch.JobRecord
	}{
		{"routine done, first drive from home", dispatch.JobRecord{ID: "J-1001", Tech: "ann", Urgency: "routine",
			FirstMessage: kpiUTC(-1, 9, 0), Accepted: kpiUTC(-1, 9, 10), Status: "done", Completed: kpiUTC(0, 8, 30),
			Feedback: 5, Km: dispatch.Distance(kpiHome, kpiA), Day: july7}},
		{"emergency: created stands for the first message, drive from the previous job", dispatch.JobRecord{
			ID: "J-1002", Tech: "ann", Urgency: "emergency", FirstMessage: kpiUTC(0, 10, 0), Accepted: kpiUTC(0, 10, 6),
			Status: "done", Completed: kpiUTC(0, 11, 30), Km: dispatch.Distance(kpiA, kpiB), Day: july7}},
		{"home unknown", dispatch.JobRecord{ID: "J-1003", Tech: "ben", Urgency: "urgent",
			FirstMessage: kpiUTC(0, 8, 0), Accepted: kpiUTC(0, 8, 30), Status: "done", Completed: kpiUTC(0, 14, 0), Day: july7}},
		{"done straight from assigned", dispatch.JobRecord{ID: "J-1004", Tech: "ben", Urgency: "routine",
			FirstMessage: kpiUTC(-1, 12, 0), Accepted: kpiUTC(-1, 12, 2), Status: "done", Completed: kpiUTC(0, 15, 0),
			Feedback: 3, Km: dispatch.Distance(kpiA, kpiB), Day: july7}},
		{"cancelled, never accepted", dispatch.JobRecord{ID: "J-1005", Urgency: "routine",
			FirstMessage: kpiUTC(-1, 13, 50), Status: "cancelled", Day: july7}},
		{"assigned, not started", dispatch.JobRecord{ID: "J-1006", Tech: "ann", Urgency: "routine",
			FirstMessage: kpiUTC(-1, 13, 0), Accepted: kpiUTC(-1, 13, 20), Status: "assigned", Day: july7}},
		{"slot on the next local day", dispatch.JobRecord{ID: "J-1007", Tech: "ann", Urgency: "routine",
			FirstMessage: kpiUTC(0, 12, 0), Accepted: kpiUTC(0, 12, 5), Status: "done", Completed: kpiUTC(1, 0, 10),
			Km: dispatch.Distance(kpiHome, kpiB), Day: july8}},
		{"handed back after setting off", dispatch.JobRecord{ID: "J-1008", Urgency: "routine",
			FirstMessage: kpiUTC(0, 7, 55), Accepted: kpiUTC(0, 8, 1), Status: "new"}},
	}
	if len(recs) != len(tests) {
		t.Fatalf("Records returned %d records, want %d", len(recs), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if recs[i].ID != tt.want.ID {
				t.Errorf("record %d is %s, want %s: order not kept", i, recs[i].ID, tt.want.ID)
			}
			if diff := cmp.Diff(tt.want, byID[tt.want.ID], cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStats(t *testing.T) {
	dAB := dispatch.Distance(kpiA, kpiB)
	annKm := dispatch.Distance(kpiHome, kpiA) + dAB + dispatch.Distance(kpiHome, kpiB)
	company, byTech := bot.Stats(kpiHistory(), kpiCompany(t))
	tests := []struct {
		name string
		got  dispatch.Stats
		want dispatch.Stats
	}{
		{"company", company, dispatch.Stats{
			Jobs: 8, Completed: 5, CompletionRate: 5.0 / 6, CancelledPct: 100.0 / 6,
			Feedback: 4, FeedbackCount: 2,
			TimeToAccept: map[string]dispatch.Durations{
				// 10, 6, 30, 2, 20, 5 and 6 minutes.
				dispatch.AllUrgencies: {N: 7, Mean: 79 * time.Minute / 7, P90: 30 * time.Minute, Max: 30 * time.Minute},
				"routine":             {N: 5, Mean: 43 * time.Minute / 5, P90: 20 * time.Minute, Max: 20 * time.Minute},
				"emergency":           {N: 1, Mean: 6 * time.Minute, P90: 6 * time.Minute, Max: 6 * time.Minute},
				"urgent":              {N: 1, Mean: 30 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
			},
			// ann: 1001 and 1002 on the 7th, 1007 on the 8th; ben: 1003 and 1004 on the 7th.
			JobsPerTechDay: 5.0 / 3,
			Km:             annKm + dAB,
		}},
		{"ann", byTech["ann"], dispatch.Stats{
			Jobs: 4, Completed: 3, CompletionRate: 1, Feedback: 5, FeedbackCount: 1,
			TimeToAccept: map[string]dispatch.Durations{
				dispatch.AllUrgencies: {N: 4, Mean: 41 * time.Minute / 4, P90: 20 * time.Minute, Max: 20 * time.Minute},
				"routine":             {N: 3, Mean: 35 * time.Minute / 3, P90: 20 * time.Minute, Max: 20 * time.Minute},
				"emergency":           {N: 1, Mean: 6 * time.Minute, P90: 6 * time.Minute, Max: 6 * time.Minute},
			},
			JobsPerTechDay: 1.5,
			Km:             annKm,
		}},
		{"ben", byTech["ben"], dispatch.Stats{
			Jobs: 2, Completed: 2, CompletionRate: 1, Feedback: 3, FeedbackCount: 1,
			TimeToAccept: map[string]dispatch.Durations{
				dispatch.AllUrgencies: {N: 2, Mean: 16 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
				"routine":             {N: 1, Mean: 2 * time.Minute, P90: 2 * time.Minute, Max: 2 * time.Minute},
				"urgent":              {N: 1, Mean: 30 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
			},
			JobsPerTechDay: 2,
			Km:             dAB,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
		})
	}
	if len(byTech) != 2 {
		t.Errorf("byTech has %d technicians, want ann and ben", len(byTech))
	}
	// The figures above are only as good as the distances: A and B are a
	// few kilometres apart.
	if dAB < 3 || dAB > 5 {
		t.Errorf("distance A to B = %.2f km, want about 4", dAB)
	}
}
