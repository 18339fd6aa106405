package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

func TestParseWeek(t *testing.T) {
	weekend := []time.Weekday{time.Saturday, time.Sunday}
	all := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	nineToFive := []dispatch.Span{sp(9, 0, 17, 0)}
	tests := []struct {
		name  string
		hours map[string]string
		want  dispatch.Week
		probs Problems
	}{
		{"one day", map[string]string{"mon": "09:00-17:00"}, weekdays(nineToFive, time.Monday), nil},
		{"range", map[string]string{"mon-fri": "09:00-17:00"}, weekdays(nineToFive, monFri...), nil},
		{"weekend range", map[string]string{"sat-sun": "09:00-17:00"}, weekdays(nineToFive, weekend...), nil},
		{"range across the weekend", map[string]string{"fri-mon": "09:00-17:00"},
			weekdays(nineToFive, time.Friday, time.Saturday, time.Sunday, time.Monday), nil},
		{"list", map[string]string{"mon,wed": "09:00-17:00"}, weekdays(nineToFive, time.Monday, time.Wednesday), nil},
		{"list of ranges, spaces and case", map[string]string{" Mon - Tue , Thu ": "09:00-17:00"},
			weekdays(nineToFive, time.Monday, time.Tuesday, time.Thursday), nil},
		{"daily", map[string]string{"daily": "09:00-17:00"}, weekdays(nineToFive, all...), nil},
		{"split day, sorted", map[string]string{"tue": "13:00-17:00, 08:00-12:00"},
			weekdays([]dispatch.Span{sp(8, 0, 12, 0), sp(13, 0, 17, 0)}, time.Tuesday), nil},
		{"touching spans", map[string]string{"tue": "08:00-12:00,12:00-17:00"},
			weekdays([]dispatch.Span{sp(8, 0, 12, 0), sp(12, 0, 17, 0)}, time.Tuesday), nil},
		{"one-digit hour and end of day", map[string]string{"wed": "8:30-24:00"},
			weekdays([]dispatch.Span{sp(8, 30, 24, 0)}, time.Wednesday), nil},
		{"closed", map[string]string{"mon-fri": "09:00-17:00", "sat-sun": "Closed"}, weekdays(nineToFive, monFri...), nil},
		{"bad day", map[string]string{"mon-fry": "09:00-17:00"}, dispatch.Week{},
			Problems{{"h.mon-fry", `"fry" is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily`}}},
		{"full day name", map[string]string{"monday": "09:00-17:00"}, dispatch.Week{},
			Problems{{"h.monday", `"monday" is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily`}}},
		{"day twice in one spec", map[string]string{"mon-wed,tue": "09:00-17:00"}, dispatch.Week{},
			Problems{{"h.mon-wed,tue", "tue is given twice"}}},
		{"day in two specs", map[string]string{"daily": "09:00-17:00", "sun": "closed"}, weekdays(nineToFive, all...),
			Problems{{"h.sun", `sun is already given by "daily"`}}},
		{"bad time", map[string]string{"mon": "9-5"}, dispatch.Week{},
			Problems{{"h.mon", `"9" is not a time; use HH:MM like 08:00`}}},
		{"hour out of range", map[string]string{"mon": "09:00-25:00"}, dispatch.Week{},
			Problems{{"h.mon", `"25:00" is not a time of day`}}},
		{"minute out of range", map[string]string{"mon": "09:60-17:00"}, dispatch.Week{},
			Problems{{"h.mon", `"09:60" is not a time of day`}}},
		{"past the end of day", map[string]string{"mon": "09:00-24:30"}, dispatch.Week{},
			Problems{{"h.mon", `"24:30" is not a time of day`}}},
		{"not a range", map[string]string{"mon": "09:00"}, dispatch.Week{},
			Problems{{"h.mon", `"09:00" is not a time range; use e.g. 08:00-17:00 or closed`}}},
		{"empty", map[string]string{"mon": " "}, dispatch.Week{},
			Problems{{"h.mon", "hours are empty; use e.g. 08:00-17:00 or closed"}}},
		{"end before start", map[string]string{"mon": "17:00-09:00"}, dispatch.Week{},
			Problems{{"h.mon", `"17:00-09:00" ends before it starts; to run past midnight, end at 24:00 and go on from 00:00 the next day`}}},
		{"empty span", map[string]string{"mon": "09:00-09:00"}, dispatch.Week{},
			Problems{{"h.mon", `"09:00-09:00" ends before it starts`}}},
		{"overlap", map[string]string{"mon": "08:00-12:00,09:00-10:00"}, dispatch.Week{},
			Problems{{"h.mon", "08:00-12:00 overlaps 09:00-10:00"}}},
		{"all problems, in key order", map[string]string{"mon": "x", "tue": "09:00-08:00", "wed": "09:00-17:00"},
			weekdays(nineToFive, time.Wednesday),
			Problems{
				{"h.mon", `"x" is not a time range; use e.g. 08:00-17:00 or closed`},
				{"h.tue", `"09:00-08:00" ends before it starts; to run past midnight, end at 24:00 and go on from 00:00 the next day`},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c collector
			got := parseWeek(tt.hours, "h", &c)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseWeek(%v) week (-want +got):\n%s", tt.hours, diff)
			}
			if diff := cmp.Diff(tt.probs, c.ps); diff != "" {
				t.Errorf("parseWeek(%v) problems (-want +got):\n%s", tt.hours, diff)
			}
		})
	}
}
