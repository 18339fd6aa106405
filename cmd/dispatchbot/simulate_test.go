package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// TestSimulateSmallRun replays a small day and checks it ran through the
// real path and how dispatchbot compares with round-robin.
func TestSimulateSmallRun(t *testing.T) {
	rep, err := runSimulation(context.Background(), simParams{Seed: 1, Techs: 10, Jobs: 60})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 0 {
		t.Errorf("the real code logged %d errors", rep.Errors)
	}
	if rep.Booked == 0 || rep.Booked+rep.NoSlot != rep.Requests {
		t.Errorf("booked %d + no slot %d, want a positive number of bookings adding up to %d requests",
			rep.Booked, rep.NoSlot, rep.Requests)
	}
	if len(rep.Results) != 2 {
		t.Fatalf("got %d results, want dispatchbot and round-robin", len(rep.Results))
	}
	db, rr := rep.Results[0], rep.Results[1]
	for _, res := range rep.Results {
		if res.Booked != rep.Booked || res.Completed == 0 || res.Completed > res.Booked {
			t.Errorf("%s completed %d of %d booked, want some of the %d booked", res.Dispatcher, res.Completed, res.Booked, rep.Booked)
		}
	}
	// Per job done, since the two complete different numbers of jobs.
	perJob := func(r simResult) float64 { return r.DriveKm / float64(max(r.Completed, 1)) }
	if perJob(db) > perJob(rr) {
		t.Errorf("dispatchbot drove %.1f km for %d jobs, round-robin %.1f km for %d; want dispatchbot no farther per job",
			db.DriveKm, db.Completed, rr.DriveKm, rr.Completed)
	}
	if db.Completed < rr.Completed {
		t.Errorf("dispatchbot completed %d jobs, round-robin %d; want dispatchbot no fewer", db.Completed, rr.Completed)
	}
	t.Logf("jobs completed: dispatchbot %d, round-robin %d of %d booked", db.Completed, rr.Completed, rep.Booked)
}

// TestSimulateDeterministic runs the command twice per seed: the same seed
// prints the same, another seed something else.
func TestSimulateDeterministic(t *testing.T) {
	out := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append([]string{"simulate"}, args...), nil, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("simulate %v: exit %d: %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	first := out("-seed", "7", "-techs", "5", "-jobs", "30", "-json")
	if again := out("-seed", "7", "-techs", "5", "-jobs", "30", "-json"); again != first {
		t.Errorf("seed 7 printed differently on a second run:\n%s\n---\n%s", first, again)
	}
	if other := out("-seed", "8", "-techs", "5", "-jobs", "30", "-json"); other == first {
		t.Error("seeds 7 and 8 printed the same")
	}
	var rep simReport
	if err := json.Unmarshal([]byte(first), &rep); err != nil {
		t.Fatalf("-json output: %v", err)
	}
	if rep.Seed != 7 || rep.Technicians != 5 || rep.Requests != 30 || rep.Emergency+rep.Urgent+rep.Routine != 30 {
		t.Errorf("report header = seed %d, %d technicians, %d requests (%d+%d+%d); want 7, 5, 30 adding up",
			rep.Seed, rep.Technicians, rep.Requests, rep.Emergency, rep.Urgent, rep.Routine)
	}
}

func TestSimulateFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-techs", "0"}, 1, "-techs 0"},
		{[]string{"-jobs", "-1"}, 1, "-jobs -1"},
		{[]string{"-bogus"}, 2, "flag provided but not defined"},
		{[]string{"extra"}, 2, "usage: dispatchbot simulate"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"simulate"}, tt.args...), nil, nil, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("simulate %v = exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
}

// TestSimulateTexts checks the technicians' texts read as the commands the
// simulation means by them.
func TestSimulateTexts(t *testing.T) {
	tests := []struct {
		text string
		kind bot.TechKind
	}{
		{"YES 1042", bot.TechAccept},
		{"NO 1042", bot.TechDecline},
		{"omw 1042", bot.TechOnMyWay},
		{"arrived 1042", bot.TechArrived},
		{"done 1042", bot.TechDone},
		{"can't make it 1042", bot.TechCantMake},
	}
	for _, tt := range tests {
		if c := bot.ParseTechReply(tt.text); c.Kind != tt.kind || c.Job != 1042 {
			t.Errorf("%q reads as %v about job %d, want %v about 1042", tt.text, c.Kind, c.Job, tt.kind)
		}
	}
}

// TestSimulateWorld checks the synthetic company is what the command says.
func TestSimulateWorld(t *testing.T) {
	for _, p := range []simParams{{Seed: 1, Techs: 20, Jobs: 150}, {Seed: 3, Techs: 5, Jobs: 30}} {
		w, err := newSimWorld(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(w.co.Technicians) != p.Techs || len(w.reqs) != p.Jobs {
			t.Errorf("%+v: %d technicians and %d requests", p, len(w.co.Technicians), len(w.reqs))
		}
		onCall := 0
		for _, tc := range w.co.Technicians {
			if len(tc.Areas) < 2 || !tc.Hours.Open(w.day.Add(8*time.Hour)) || tc.Hours.Open(w.day.Add(18*time.Hour)) {
				t.Errorf("%+v: %s has areas %v and hours %v; want 2 or more areas and 08:00-18:00", p, tc.ID, tc.Areas, tc.WorkHours)
			}
			if tc.OnCall.Open(w.day.Add(19 * time.Hour)) {
				onCall++
			}
		}
		if onCall == 0 || onCall > p.Techs/2 {
			t.Errorf("%+v: %d on call in the evening, want a few", p, onCall)
		}
		// Every trade reaches every district the company serves.
		for _, tr := range []dispatch.Trade{dispatch.Plumbing, dispatch.Electrical, dispatch.HVAC,
			dispatch.Appliance, dispatch.Locksmith, dispatch.General} {
			for _, area := range w.co.ServiceAreas {
				if !coveredBy(w.co, tr, area+" 1AA") {
					t.Errorf("%+v: nobody does %s in %s", p, tr, area)
				}
			}
		}
		for i, r := range w.reqs {
			if i > 0 && r.book.Before(w.reqs[i-1].book) {
				t.Errorf("%+v: requests not in booking order at %d", p, i)
			}
			if h := r.first.In(w.co.Location).Hour(); h < 7 || h >= 19 {
				t.Errorf("%+v: request %d first writes at %s, want 07:00-19:00", p, i, r.first)
			}
			if _, ok := w.co.PointOf(r.postcode); !ok {
				t.Errorf("%+v: request %d postcode %q is in no district", p, i, r.postcode)
			}
		}
	}
}

func coveredBy(co *config.Company, tr dispatch.Trade, postcode string) bool {
	for _, t := range co.Technicians {
		for _, have := range t.Trades {
			if have == tr && dispatch.Serves(t.Areas, postcode) {
				return true
			}
		}
	}
	return false
}

// TestRoundRobinWorkDay checks the baseline's rules on one technician's
// hand-made day: emergencies first, a job reached after its slot is not
// done, nor one overlapping a slot already worked.
func TestRoundRobinWorkDay(t *testing.T) {
	w, err := newSimWorld(simParams{Seed: 1, Techs: 1, Jobs: 0})
	if err != nil {
		t.Fatal(err)
	}
	home := w.home[0]
	near := dispatch.LatLon{Lat: home.Lat + 0.01, Lon: home.Lon} // 1.1 km: a 3-minute drive
	far := dispatch.LatLon{Lat: home.Lat + 0.6, Lon: home.Lon}   // 66 km from near: 132 minutes
	at := func(h, m int) time.Time { return w.day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	w.reqs = []simRequest{
		{at: near, service: 60 * time.Minute}, // 0: slot 08-10
		{at: near, service: 60 * time.Minute}, // 1: emergency taken at 07:30
		{at: near, service: 45 * time.Minute}, // 2: slot 08-10 again: overlaps 0
		{at: far, service: 45 * time.Minute},  // 3: slot 10-12, 112 minutes away
		{at: near, service: 45 * time.Minute}, // 4: slot 12-14
	}
	tech := w.co.Technicians[0].ID
	job := func(n int64, slot time.Time) dispatch.Job {
		j := dispatch.Job{ID: dispatch.JobID(n), Number: n, Tech: tech, Status: dispatch.StatusAssigned,
			Audit: []dispatch.AuditEntry{{At: at(7, 0), To: dispatch.StatusAssigned}}}
		if !slot.IsZero() {
			j.SlotStart, j.SlotEnd = slot, slot.Add(2*time.Hour)
		} else {
			j.Audit[0].At = at(7, 30)
		}
		return j
	}
	jobs := []dispatch.Job{job(1, at(8, 0)), job(2, time.Time{}), job(3, at(8, 0)), job(4, at(10, 0)), job(5, at(12, 0))}
	out := simOutcome{jobReq: map[int64]int{1: 0, 2: 1, 3: 2, 4: 3, 5: 4}}
	w.workDay(jobs, 0, []int{0, 1, 2, 3, 4}, out)

	tests := []struct {
		job          int
		done         bool
		setOff, back time.Time
	}{
		{1, true, at(7, 30), at(8, 33)},      // the emergency first: 3 min there, 60 on site
		{0, true, at(8, 33), at(9, 34)},      // then the 08:00 slot, a minute from the emergency's door
		{2, false, time.Time{}, time.Time{}}, // same slot as the one done
		{3, false, time.Time{}, time.Time{}}, // 10:00 + 132 min is past 12:00
		{4, true, at(12, 0), at(12, 46)},     // a minute from job 0's door at 12:00
	}
	for _, tt := range tests {
		j := jobs[tt.job]
		if done := j.Status == dispatch.StatusDone; done != tt.done {
			t.Errorf("%s done = %v, want %v", j.ID, done, tt.done)
			continue
		}
		if !tt.done {
			if len(j.Audit) != 1 {
				t.Errorf("%s not done but has audit %v", j.ID, j.Audit)
			}
			continue
		}
		if got := j.Audit[1]; got.To != dispatch.StatusEnRoute || !got.At.Equal(tt.setOff) {
			t.Errorf("%s set off %s at %s, want en_route at %s", j.ID, got.To, got.At, tt.setOff)
		}
		if got := j.Audit[len(j.Audit)-1]; got.To != dispatch.StatusDone || !got.At.Equal(tt.back) {
			t.Errorf("%s finished %s at %s, want done at %s", j.ID, got.To, got.At, tt.back)
		}
	}
}
