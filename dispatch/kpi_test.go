package dispatch_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dispatchbot/dispatch"
)

// kpiHistory is a small history of two days whose KPIs are worked out by
// hand in TestComputeStats and TestStatsByTech.
func kpiHistory(tb testing.TB) []dispatch.JobRecord {
	tb.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		tb.Fatalf("load Europe/London: %v", err)
	}
	day1 := time.Date(2026, 3, 2, 0, 0, 0, 0, london)
	day2 := time.Date(2026, 3, 3, 0, 0, 0, 0, london)
	on := func(day time.Time, h, m int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	return []dispatch.JobRecord{
		{ID: "J-1", Tech: "ann", Urgency: "emergency", FirstMessage: on(day1, 8, 0), Accepted: on(day1, 8, 5),
			Status: "done", Completed: on(day1, 9, 0), Feedback: 5, Km: 4, Day: day1},
		{ID: "J-2", Tech: "ann", Urgency: "emergency", FirstMessage: on(day1, 9, 0), Accepted: on(day1, 9, 15),
			Status: "done", Completed: on(day1, 11, 0), Feedback: 4, Km: 6, Day: day1},
		{ID: "J-3", Tech: "bob", Urgency: "urgent", FirstMessage: on(day1, 10, 0), Accepted: on(day1, 10, 30),
			Status: "done", Completed: on(day1, 13, 0), Km: 10, Day: day1},
		{ID: "J-4", Tech: "bob", Urgency: "routine", FirstMessage: on(day1, 8, 0), Accepted: on(day1, 10, 0),
			Status: "cancelled", Day: day2},
		{ID: "J-5", Tech: "ann", Urgency: "routine", FirstMessage: on(day1, 7, 0), Accepted: on(day1, 8, 0),
			Status: "no_show", Km: 3, Day: day2},
		{ID: "J-6", Urgency: "routine", FirstMessage: on(day2, 12, 0), Status: "cancelled", Day: day2},
		{ID: "J-7", Tech: "ann", Urgency: "urgent", FirstMessage: on(day2, 11, 0), Accepted: on(day2, 11, 10),
			Status: "done", Completed: on(day2, 12, 0), Feedback: 3, Km: 5, Day: day2},
		{ID: "J-8", Tech: "bob", Urgency: "emergency", FirstMessage: on(day2, 13, 0), Accepted: on(day2, 13, 40),
			Status: "assigned", Km: 2, Day: day2},
		// No Day: the day of Completed counts.
		{ID: "J-9", Tech: "ann", Urgency: "emergency", FirstMessage: on(day2, 14, 0), Accepted: on(day2, 14, 20),
			Status: "done", Completed: on(day2, 16, 0), Feedback: 1, Km: 7},
	}
}

// kpiOpts compares the float fields of Stats to within rounding.
var kpiOpts = cmpopts.EquateApprox(0, 1e-9)

func TestComputeStats(t *testing.T) {
	cancelled := []dispatch.JobRecord{
		{ID: "J-1", Tech: "ann", Urgency: "routine", Status: "cancelled", Km: 2,
			FirstMessage: routeDepart, Accepted: routeDepart.Add(30 * time.Minute)},
		{ID: "J-2", Urgency: "urgent", Status: "cancelled", FirstMessage: routeDepart},
		{ID: "J-3", Tech: "bob", Status: "cancelled", Feedback: 2},
	}
	messy := []dispatch.JobRecord{
		{ID: "J-1", Tech: "ann", Status: "done", Feedback: 9, Km: -3,
			FirstMessage: routeDepart, Accepted: routeDepart.Add(-time.Minute)}, // accepted before asked
		{ID: "J-2", Tech: "ann", Status: "done", Feedback: -1, Km: 1,
			FirstMessage: routeDepart, Accepted: routeDepart.Add(6 * time.Minute)}, // no urgency, no Day nor Completed
		{ID: "J-3", Status: "done", Km: 2}, // done by nobody
		{ID: "J-4", Tech: "bob", Status: "new", Accepted: routeDepart},
	}
	cases := []struct {
		name string
		recs []dispatch.JobRecord
		want dispatch.Stats
	}{
		{name: "empty", recs: nil, want: dispatch.Stats{}},
		{
			name: "known history",
			recs: kpiHistory(t),
			want: dispatch.Stats{
				Jobs:           9,
				Completed:      5,
				CompletionRate: 5.0 / 8,
				CancelledPct:   25,
				NoShowPct:      12.5,
				Feedback:       13.0 / 4,
				FeedbackCount:  4,
				TimeToAccept: map[string]dispatch.Durations{
					"emergency": {N: 4, Mean: 20 * time.Minute, P90: 40 * time.Minute, Max: 40 * time.Minute},
					"urgent":    {N: 2, Mean: 20 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
					"routine":   {N: 2, Mean: 90 * time.Minute, P90: 2 * time.Hour, Max: 2 * time.Hour},
					"all":       {N: 8, Mean: 37*time.Minute + 30*time.Second, P90: 2 * time.Hour, Max: 2 * time.Hour},
				},
				JobsPerTechDay: 5.0 / 3, // ann on both days, bob on the first
				Km:             37,
			},
		},
		{
			name: "all cancelled",
			recs: cancelled,
			want: dispatch.Stats{
				Jobs:          3,
				CancelledPct:  100,
				Feedback:      2,
				FeedbackCount: 1,
				TimeToAccept: map[string]dispatch.Durations{
					"routine": {N: 1, Mean: 30 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
					"all":     {N: 1, Mean: 30 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
				},
				Km: 2,
			},
		},
		{
			name: "bad data is left out",
			recs: messy,
			want: dispatch.Stats{
				Jobs:           4,
				Completed:      3,
				CompletionRate: 1,
				TimeToAccept: map[string]dispatch.Durations{
					"all": {N: 1, Mean: 6 * time.Minute, P90: 6 * time.Minute, Max: 6 * time.Minute},
				},
				JobsPerTechDay: 2, // ann's two on the zero day; the nobody's job is left out
				Km:             3,
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := dispatch.ComputeStats(c.recs)
			if diff := cmp.Diff(c.want, got, kpiOpts); diff != "" {
				t.Errorf("ComputeStats() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatsByTech(t *testing.T) {
	want := map[string]dispatch.Stats{
		"ann": {
			Jobs:           5,
			Completed:      4,
			CompletionRate: 0.8,
			NoShowPct:      20,
			Feedback:       13.0 / 4,
			FeedbackCount:  4,
			TimeToAccept: map[string]dispatch.Durations{
				"emergency": {N: 3, Mean: 13*time.Minute + 20*time.Second, P90: 20 * time.Minute, Max: 20 * time.Minute},
				"urgent":    {N: 1, Mean: 10 * time.Minute, P90: 10 * time.Minute, Max: 10 * time.Minute},
				"routine":   {N: 1, Mean: time.Hour, P90: time.Hour, Max: time.Hour},
				"all":       {N: 5, Mean: 22 * time.Minute, P90: time.Hour, Max: time.Hour},
			},
			JobsPerTechDay: 2,
			Km:             25,
		},
		"bob": {
			Jobs:           3,
			Completed:      1,
			CompletionRate: 0.5,
			CancelledPct:   50,
			TimeToAccept: map[string]dispatch.Durations{
				"emergency": {N: 1, Mean: 40 * time.Minute, P90: 40 * time.Minute, Max: 40 * time.Minute},
				"urgent":    {N: 1, Mean: 30 * time.Minute, P90: 30 * time.Minute, Max: 30 * time.Minute},
				"routine":   {N: 1, Mean: 2 * time.Hour, P90: 2 * time.Hour, Max: 2 * time.Hour},
				"all":       {N: 3, Mean: 63*time.Minute + 20*time.Second, P90: 2 * time.Hour, Max: 2 * time.Hour},
			},
			JobsPerTechDay: 1,
			Km:             12,
		},
	}
	if diff := cmp.Diff(want, dispatch.StatsByTech(kpiHistory(t)), kpiOpts); diff != "" {
		t.Errorf("StatsByTech() mismatch (-want +got):\n%s", diff)
	}
	if got := dispatch.StatsByTech(nil); got == nil || len(got) != 0 {
		t.Errorf("StatsByTech(nil) = %#v, want an empty map", got)
	}
}

func TestSummarize(t *testing.T) {
	mins := func(ms ...int) []time.Duration {
		var out []time.Duration
		for _, m := range ms {
			out = append(out, time.Duration(m)*time.Minute)
		}
		return out
	}
	cases := []struct {
		name string
		ds   []time.Duration
		want dispatch.Durations
	}{
		{"none", nil, dispatch.Durations{}},
		{"one", mins(7), dispatch.Durations{N: 1, Mean: 7 * time.Minute, P90: 7 * time.Minute, Max: 7 * time.Minute}},
		// Nearest rank: ⌈0.9·10⌉ = 9th smallest.
		{"ten, unsorted", mins(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), dispatch.Durations{N: 10, Mean: 5*time.Minute + 30*time.Second, P90: 9 * time.Minute, Max: 10 * time.Minute}},
		// ⌈0.9·11⌉ = 10th smallest.
		{"eleven", mins(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), dispatch.Durations{N: 11, Mean: 6 * time.Minute, P90: 10 * time.Minute, Max: 11 * time.Minute}},
		// ⌈0.9·20⌉ = 18th smallest.
		{"twenty", mins(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), dispatch.Durations{N: 20, Mean: 10*time.Minute + 30*time.Second, P90: 18 * time.Minute, Max: 20 * time.Minute}},
		{"mean truncates to the nanosecond", []time.Duration{1, 2}, dispatch.Durations{N: 2, Mean: 1, P90: 2, Max: 2}},
		{"huge values do not overflow the mean", []time.Duration{1<<62 + 1, 1<<62 + 3}, dispatch.Durations{N: 2, Mean: 1<<62 + 2, P90: 1<<62 + 3, Max: 1<<62 + 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]time.Duration(nil), c.ds...)
			got := dispatch.Summarize(c.ds)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Summarize(%v) mismatch (-want +got):\n%s", in, diff)
			}
			if diff := cmp.Diff(in, c.ds); diff != "" {
				t.Errorf("Summarize changed its input (-before +after):\n%s", diff)
			}
		})
	}
}
