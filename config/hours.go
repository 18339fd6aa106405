package config

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"dispatchbot/dispatch"
)

// dayNames are the day names of a day spec, indexed by time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

var clockPattern = regexp.MustCompile(`^(\d{1,2}):(\d{2})$`)

// parseWeek parses hours such as {"mon-fri": "08:00-12:00,13:00-17:00",
// "sat": "closed"} into a dispatch.Week, adding a problem at path.key for
// each bad day spec or time, and for a day given twice.
func parseWeek(hours map[string]string, path string, c *collector) dispatch.Week {
	var w dispatch.Week
	var givenBy [7]string
	keys := make([]string, 0, len(hours))
	for k := range hours {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := field(path, k)
		days, err := parseDays(k)
		if err != nil {
			c.add(p, "%v", err)
			continue
		}
		spans, err := parseSpans(hours[k])
		if err != nil {
			c.add(p, "%v", err)
		}
		for _, d := range days {
			if givenBy[d] != "" {
				c.add(p, "%s is already given by %q", dayNames[d], givenBy[d])
				continue
			}
			givenBy[d] = k
			w[d] = slices.Clone(spans)
		}
	}
	return w
}

// parseDays parses a day spec: a day (mon), a range (mon-fri, or fri-mon
// across the weekend), a comma list of those (mon,wed-fri), or daily.
func parseDays(spec string) ([]time.Weekday, error) {
	s := strings.ToLower(strings.TrimSpace(spec))
	if s == "daily" {
		return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}, nil
	}
	var days []time.Weekday
	var seen [7]bool
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		from, to, isRange := strings.Cut(item, "-")
		first, err := parseDay(from)
		if err != nil {
			return nil, err
		}
		last := first
		if isRange {
			if last, err = parseDay(to); err != nil {
				return nil, err
			}
		}
		for d := first; ; d = (d + 1) % 7 {
			if seen[d] {
				return nil, fmt.Errorf("%s is given twice", dayNames[d])
			}
			seen[d] = true
			days = append(days, d)
			if d == last {
				break
			}
		}
	}
	return days, nil
}

func parseDay(s string) (time.Weekday, error) {
	s = strings.TrimSpace(s)
	for d, name := range dayNames {
		if s == name {
			return time.Weekday(d), nil
		}
	}
	return 0, fmt.Errorf("%q is not a day; use mon to sun, a range like mon-fri, a list like mon,wed, or daily", s)
}

// parseSpans parses "08:00-12:00,13:00-17:00" or "closed" into spans sorted
// by start time.
func parseSpans(value string) ([]dispatch.Span, error) {
	v := strings.TrimSpace(value)
	if strings.EqualFold(v, "closed") {
		return nil, nil
	}
	if v == "" {
		return nil, fmt.Errorf("hours are empty; use e.g. 08:00-17:00 or closed")
	}
	var spans []dispatch.Span
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("%q is not a time range; use e.g. 08:00-17:00 or closed", part)
		}
		start, err := parseClock(from)
		if err != nil {
			return nil, err
		}
		end, err := parseClock(to)
		if err != nil {
			return nil, err
		}
		switch {
		case end < start:
			return nil, fmt.Errorf("%q ends before it starts; to run past midnight, end at 24:00 and go on from 00:00 the next day", part)
		case end == start:
			return nil, fmt.Errorf("%q ends before it starts", part)
		}
		spans = append(spans, dispatch.Span{From: start, To: end})
	}
	slices.SortFunc(spans, func(a, b dispatch.Span) int { return cmp.Compare(a.From, b.From) })
	for i := 1; i < len(spans); i++ {
		if spans[i].From < spans[i-1].To {
			return nil, fmt.Errorf("%s overlaps %s", spans[i-1], spans[i])
		}
	}
	return spans, nil
}

// parseClock parses "08:00" (or "8:00") as an offset from midnight; "24:00"
// is the end of the day.
func parseClock(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	m := clockPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a time; use HH:MM like 08:00", s)
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	if h > 24 || mins > 59 || (h == 24 && mins != 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute, nil
}
