package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

func TestValidate_OnCall(t *testing.T) {
	const tech = "    technicians:\n      - {id: t, name: T, telegram_id: 1, trades: [general], areas: [M1], hours: {mon-fri: \"08:00-17:00\"}"
	friNight := weekdays([]dispatch.Span{sp(22, 0, 24, 0)}, time.Friday)
	friNight[time.Saturday] = []dispatch.Span{sp(0, 0, 6, 0)}
	evenings := weekdays([]dispatch.Span{sp(17, 30, 24, 0)}, monFri...)
	evenings[time.Saturday] = []dispatch.Span{sp(0, 0, 24, 0)}
	evenings[time.Sunday] = []dispatch.Span{sp(0, 0, 24, 0)}
	tests := []struct {
		name   string
		onCall string // the on_call value, "" for none
		want   dispatch.Week
		probs  Problems
	}{
		{"none", "", dispatch.Week{}, nil},
		{"empty", "{}", dispatch.Week{}, nil},
		{"night across midnight", `{fri: "22:00-24:00", sat: "00:00-06:00"}`, friNight, nil},
		{"evenings and whole weekend days", `{mon-fri: "17:30-24:00", sat-sun: "00:00-24:00"}`, evenings, nil},
		{"closed days", `{daily: closed}`, dispatch.Week{}, nil},
		{"night written backwards", `{fri: "22:00-06:00"}`, dispatch.Week{},
			Problems{{"companies[0].technicians[0].on_call.fri", `"22:00-06:00" ends before it starts; to run past midnight, end at 24:00 and go on from 00:00 the next day`}}},
		{"bad day", `{weekend: "00:00-24:00"}`, dispatch.Week{},
			Problems{{"companies[0].technicians[0].on_call.weekend", `"weekend" is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily`}}},
		{"day twice", `{sat-sun: "00:00-24:00", sun: "08:00-12:00"}`, dispatch.Week{},
			Problems{{"companies[0].technicians[0].on_call.sun", `sun is already given by "sat-sun"`}}},
		{"past the end of day", `{sat: "20:00-24:01"}`, dispatch.Week{},
			Problems{{"companies[0].technicians[0].on_call.sat", `"24:01" is not a time of day`}}},
		{"not a mapping", `"17:00-24:00"`, dispatch.Week{},
			Problems{{"companies[0].technicians[0].on_call", `line 8: want a mapping, got "17:00-24:00"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml := minimal + tech
			if tt.onCall != "" {
				yaml += ", on_call: " + tt.onCall
			}
			yaml += "}\n"
			got := parseProblems(t, yaml, nil)
			if diff := cmp.Diff(tt.probs, got); diff != "" {
				t.Errorf("on_call %s problems (-want +got):\n%s", tt.onCall, diff)
			}
			if got != nil {
				return
			}
			cfg := MustParse(t, yaml, nil)
			tc := cfg.Companies[0].Technicians[0]
			if diff := cmp.Diff(tt.want, tc.OnCall); diff != "" {
				t.Errorf("on_call %s (-want +got):\n%s", tt.onCall, diff)
			}
			if diff := cmp.Diff(weekdays([]dispatch.Span{sp(8, 0, 17, 0)}, monFri...), tc.Hours); diff != "" {
				t.Errorf("on_call %s changed the working hours (-want +got):\n%s", tt.onCall, diff)
			}
		})
	}
}

func TestOnCall_NightSpan(t *testing.T) {
	cfg := MustParse(t, minimal+`    technicians:
      - {id: t, name: T, telegram_id: 1, trades: [general], areas: [M1], on_call: {fri: "22:00-24:00", sat: "00:00-06:00"}}
`, nil)
	w := cfg.Companies[0].Technicians[0].OnCall
	// 2026-01-02 is a Friday.
	tests := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 1, 2, 21, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 1, 2, 22, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 1, 2, 23, 59, 59, 0, time.UTC), true},
		{time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 1, 3, 5, 59, 0, 0, time.UTC), true},
		{time.Date(2026, 1, 3, 6, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		if got := w.Open(tt.at); got != tt.want {
			t.Errorf("OnCall.Open(%s) = %v, want %v", tt.at.Format("Mon 15:04:05"), got, tt.want)
		}
	}
}
