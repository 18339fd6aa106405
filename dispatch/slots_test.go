package dispatch_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

// mustLondon loads Europe/London, whose clocks change on 2026-03-29 and 2026-10-25.
func mustLondon(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		tb.Fatalf("load Europe/London: %v", err)
	}
	return loc
}

// sp is a span from one hour of the day to another; 7.5 is 07:30.
func sp(from, to float64) dispatch.Span {
	return dispatch.Span{From: time.Duration(from * float64(time.Hour)), To: time.Duration(to * float64(time.Hour))}
}

// on is a week with spans on the given days only.
func on(days []time.Weekday, spans ...dispatch.Span) dispatch.Week {
	var w dispatch.Week
	for _, d := range days {
		w[d] = spans
	}
	return w
}

var (
	monFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	sat    = []time.Weekday{time.Saturday}
	daily  = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
)

// The technicians of the tests.
var (
	ann = dispatch.Tech{ID: "ann", Trades: []dispatch.Trade{dispatch.Plumbing}, Areas: []string{"SW1"},
		Hours: on(monFri, sp(8, 17))}
	amy = dispatch.Tech{ID: "amy", Trades: []dispatch.Trade{dispatch.Plumbing, dispatch.HVAC}, Areas: []string{"SW1", "SW3"},
		Hours: on(monFri, sp(8, 12))}
	ben = dispatch.Tech{ID: "ben", Trades: []dispatch.Trade{dispatch.Electrical}, Areas: []string{"SW10"},
		Hours: on(monFri, sp(8, 12), sp(13, 17))}
	dev = dispatch.Tech{ID: "dev", Trades: []dispatch.Trade{dispatch.Plumbing}, Areas: []string{"SW1"},
		Hours: on(monFri, sp(7.5, 12.5))}
	gus = dispatch.Tech{ID: "gus", Trades: []dispatch.Trade{dispatch.General, dispatch.Locksmith},
		Hours: on(sat, sp(9, 13))}
	owl = dispatch.Tech{ID: "owl", Trades: []dispatch.Trade{dispatch.Plumbing},
		Hours: on(daily, sp(0, 4), sp(8, 12))}
)

// show formats windows as "Mon 01 Jun 08:00-10:00" in loc.
func show(ws []dispatch.Window, loc *time.Location) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Start.In(loc).Format("Mon 02 Jan 15:04")+"-"+w.End.In(loc).Format("15:04"))
	}
	return out
}

func TestOpenSlots(t *testing.T) {
	london := mustLondon(t)
	at := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2026, month, day, hour, minute, 0, 0, london)
	}
	monday := at(time.June, 1, 0, 0) // 2026-06-01 is a Monday
	friday := at(time.June, 5, 0, 0)
	base := dispatch.SlotQuery{Now: monday, Loc: london, Length: 2 * time.Hour, Trade: dispatch.Plumbing,
		Postcode: "SW1A 1AA", Days: 1}
	with := func(f func(q *dispatch.SlotQuery)) dispatch.SlotQuery {
		q := base
		f(&q)
		return q
	}
	cases := []struct {
		name string
		q    dispatch.SlotQuery
		want []string
	}{
		{"aligned to the span, leftover dropped", with(func(q *dispatch.SlotQuery) { q.Techs = []dispatch.Tech{ann} }),
			[]string{"Mon 01 Jun 08:00-10:00", "Mon 01 Jun 10:00-12:00", "Mon 01 Jun 12:00-14:00", "Mon 01 Jun 14:00-16:00"}},
		{"each span aligned on its own", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Trade, q.Postcode = []dispatch.Tech{ben}, dispatch.Electrical, "SW10 9AA"
		}), []string{"Mon 01 Jun 08:00-10:00", "Mon 01 Jun 10:00-12:00", "Mon 01 Jun 13:00-15:00", "Mon 01 Jun 15:00-17:00"}},
		{"half-hour span start", with(func(q *dispatch.SlotQuery) { q.Techs = []dispatch.Tech{dev} }),
			[]string{"Mon 01 Jun 07:30-09:30", "Mon 01 Jun 09:30-11:30"}},
		{"techs with different starts overlap", with(func(q *dispatch.SlotQuery) { q.Techs, q.N = []dispatch.Tech{ann, dev}, 3 }),
			[]string{"Mon 01 Jun 07:30-09:30", "Mon 01 Jun 08:00-10:00", "Mon 01 Jun 09:30-11:30"}},
		{"weekend closed", with(func(q *dispatch.SlotQuery) { q.Techs, q.Now, q.Days = []dispatch.Tech{ann}, at(time.June, 5, 12, 0), 4 }),
			[]string{"Fri 05 Jun 12:00-14:00", "Fri 05 Jun 14:00-16:00",
				"Mon 08 Jun 08:00-10:00", "Mon 08 Jun 10:00-12:00", "Mon 08 Jun 12:00-14:00", "Mon 08 Jun 14:00-16:00"}},
		{"started slot not offered", with(func(q *dispatch.SlotQuery) { q.Techs, q.Now = []dispatch.Tech{ann}, at(time.June, 5, 12, 1) }),
			[]string{"Fri 05 Jun 14:00-16:00"}},
		{"closed days only", with(func(q *dispatch.SlotQuery) { q.Techs, q.Now, q.Days = []dispatch.Tech{ann}, friday.AddDate(0, 0, 1), 2 }),
			nil},
		{"wrong trade", with(func(q *dispatch.SlotQuery) { q.Techs, q.Trade = []dispatch.Tech{ann, ben}, dispatch.Electrical }),
			nil},
		{"trade nobody has", with(func(q *dispatch.SlotQuery) { q.Techs, q.Trade = []dispatch.Tech{ann, ben, owl}, dispatch.Cleaning }),
			nil},
		{"SW1 does not serve SW10", with(func(q *dispatch.SlotQuery) { q.Techs, q.Postcode = []dispatch.Tech{ann}, "SW10 1AA" }),
			nil},
		{"SW1 serves SW1P", with(func(q *dispatch.SlotQuery) { q.Techs, q.Postcode, q.N = []dispatch.Tech{ann}, "sw1p 3bt", 1 }),
			[]string{"Mon 01 Jun 08:00-10:00"}},
		{"no areas serves everywhere", with(func(q *dispatch.SlotQuery) { q.Techs, q.Postcode, q.N = []dispatch.Tech{ann, owl}, "SW10 1AA", 2 }),
			[]string{"Mon 01 Jun 00:00-02:00", "Mon 01 Jun 02:00-04:00"}},
		{"general goes to general techs", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Trade, q.Days = []dispatch.Tech{ann, gus}, dispatch.General, 6
		}), []string{"Sat 06 Jun 09:00-11:00", "Sat 06 Jun 11:00-13:00"}},
		{"empty trade is general", with(func(q *dispatch.SlotQuery) { q.Techs, q.Trade, q.Days = []dispatch.Tech{ann, gus}, "", 6 }),
			[]string{"Sat 06 Jun 09:00-11:00", "Sat 06 Jun 11:00-13:00"}},
		{"general goes to anyone when nobody lists it", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Trade, q.N = []dispatch.Tech{ann, ben}, dispatch.General, 1
		}), []string{"Mon 01 Jun 08:00-10:00"}},
		{"booked below capacity stays open", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.N, q.Booked = []dispatch.Tech{ann, amy}, 2, []dispatch.Hold{{Start: at(time.June, 1, 8, 0), Techs: []string{"ann", "amy"}}}
		}), []string{"Mon 01 Jun 08:00-10:00", "Mon 01 Jun 10:00-12:00"}},
		{"full slots skipped", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.N = []dispatch.Tech{ann, amy}, 2
			q.Booked = []dispatch.Hold{{Start: at(time.June, 1, 8, 0), Techs: []string{"ann", "amy"}},
				{Start: at(time.June, 1, 8, 0), Techs: []string{"amy"}}, {Start: at(time.June, 1, 12, 0), Techs: []string{"ann"}}}
		}), []string{"Mon 01 Jun 10:00-12:00", "Mon 01 Jun 14:00-16:00"}},
		{"bookings of other trades and areas leave the slot open", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.N = []dispatch.Tech{ann, ben}, 1
			q.Booked = []dispatch.Hold{{Start: at(time.June, 1, 8, 0), Techs: []string{"ben"}},
				{Start: at(time.June, 1, 8, 0), Techs: []string{"owl"}}, {Start: at(time.June, 1, 8, 0), Techs: []string{"ben"}}}
		}), []string{"Mon 01 Jun 08:00-10:00"}},
		{"a hold without technicians takes anyone", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.N = []dispatch.Tech{ann}, 1
			q.Booked = []dispatch.Hold{{Start: at(time.June, 1, 8, 0)}}
		}), []string{"Mon 01 Jun 10:00-12:00"}},
		{"travel buffer spaces the slots", with(func(q *dispatch.SlotQuery) { q.Techs, q.Buffer = []dispatch.Tech{ann}, 30*time.Minute }),
			[]string{"Mon 01 Jun 08:00-10:00", "Mon 01 Jun 10:30-12:30", "Mon 01 Jun 13:00-15:00"}},
		{"travel buffer holds the next start", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Buffer = []dispatch.Tech{ann, dev}, 30*time.Minute
			q.Booked = []dispatch.Hold{{Start: at(time.June, 1, 7, 30), Techs: []string{"dev"}}, {Start: at(time.June, 1, 8, 0), Techs: []string{"ann", "dev"}}}
		}), []string{"Mon 01 Jun 10:00-12:00", "Mon 01 Jun 10:30-12:30", "Mon 01 Jun 13:00-15:00"}},
		{"a booking holds the slots it overlaps", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.N = []dispatch.Tech{ann, dev}, 4
			q.Booked = []dispatch.Hold{{Start: at(time.June, 1, 7, 30), Techs: []string{"dev"}}, {Start: at(time.June, 1, 8, 0), Techs: []string{"ann", "dev"}}}
		}), []string{"Mon 01 Jun 09:30-11:30", "Mon 01 Jun 10:00-12:00", "Mon 01 Jun 12:00-14:00", "Mon 01 Jun 14:00-16:00"}},
		{"N limit", with(func(q *dispatch.SlotQuery) { q.Techs, q.N, q.Days = []dispatch.Tech{ann}, 3, 7 }),
			[]string{"Mon 01 Jun 08:00-10:00", "Mon 01 Jun 10:00-12:00", "Mon 01 Jun 12:00-14:00"}},
		{"Earliest", with(func(q *dispatch.SlotQuery) { q.Techs, q.Earliest = []dispatch.Tech{ann}, at(time.June, 1, 10, 30) }),
			[]string{"Mon 01 Jun 12:00-14:00", "Mon 01 Jun 14:00-16:00"}},
		{"Earliest before Now", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Now, q.Earliest = []dispatch.Tech{ann}, at(time.June, 1, 11, 0), at(time.June, 1, 9, 0)
		}), []string{"Mon 01 Jun 12:00-14:00", "Mon 01 Jun 14:00-16:00"}},
		{"Earliest next day looks ahead from then", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Earliest, q.N = []dispatch.Tech{ann}, at(time.June, 2, 0, 0), 1
		}), []string{"Tue 02 Jun 08:00-10:00"}},
		{"no techs", with(func(q *dispatch.SlotQuery) { q.Techs = nil }), nil},
		{"zero length", with(func(q *dispatch.SlotQuery) { q.Techs, q.Length = []dispatch.Tech{ann}, 0 }), nil},
		{"slot longer than any span", with(func(q *dispatch.SlotQuery) { q.Techs, q.Length = []dispatch.Tech{ann}, 10*time.Hour }), nil},
		{"nil location is UTC", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Loc, q.N, q.Now = []dispatch.Tech{ann}, nil, 1, time.Date(2026, 6, 1, 7, 30, 0, 0, time.UTC)
		}), []string{"Mon 01 Jun 09:00-11:00"}}, // 08:00 UTC shown in London time
		{"DST starts: spring forward", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Now, q.Days = []dispatch.Tech{owl}, at(time.March, 28, 5, 0), 2
		}), []string{"Sat 28 Mar 08:00-10:00", "Sat 28 Mar 10:00-12:00",
			"Sun 29 Mar 00:00-02:00", "Sun 29 Mar 02:00-04:00", "Sun 29 Mar 08:00-10:00", "Sun 29 Mar 10:00-12:00"}},
		{"DST ends: fall back", with(func(q *dispatch.SlotQuery) {
			q.Techs, q.Now, q.Days = []dispatch.Tech{owl}, at(time.October, 24, 5, 0), 2
		}), []string{"Sat 24 Oct 08:00-10:00", "Sat 24 Oct 10:00-12:00",
			"Sun 25 Oct 00:00-02:00", "Sun 25 Oct 02:00-04:00", "Sun 25 Oct 08:00-10:00", "Sun 25 Oct 10:00-12:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := show(dispatch.OpenSlots(c.q), london)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("OpenSlots (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOpenSlots_DSTInstants checks the instants behind the wall-clock slots
// on both change days: 08:00 is 07:00Z in summer time and 08:00Z in winter.
func TestOpenSlots_DSTInstants(t *testing.T) {
	london := mustLondon(t)
	utc := func(month time.Month, day, hour int) time.Time {
		return time.Date(2026, month, day, hour, 0, 0, 0, time.UTC)
	}
	cases := []struct {
		name string
		now  time.Time
		want []dispatch.Window
	}{
		{"spring forward", time.Date(2026, 3, 28, 5, 0, 0, 0, london), []dispatch.Window{
			{utc(time.March, 28, 8), utc(time.March, 28, 12)}, // Sat 08:00-12:00 GMT
			{utc(time.March, 29, 0), utc(time.March, 29, 3)},  // Sun 00:00 GMT-04:00 BST: three hours
			{utc(time.March, 29, 7), utc(time.March, 29, 11)}, // Sun 08:00-12:00 BST
		}},
		{"fall back", time.Date(2026, 10, 24, 5, 0, 0, 0, london), []dispatch.Window{
			{utc(time.October, 24, 7), utc(time.October, 24, 11)}, // Sat 08:00-12:00 BST
			{utc(time.October, 24, 23), utc(time.October, 25, 4)}, // Sun 00:00 BST-04:00 GMT: five hours
			{utc(time.October, 25, 8), utc(time.October, 25, 12)}, // Sun 08:00-12:00 GMT
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := dispatch.SlotQuery{Now: c.now, Loc: london, Length: 4 * time.Hour, Trade: dispatch.Plumbing,
				Postcode: "SW1A 1AA", Techs: []dispatch.Tech{owl}, Days: 2}
			if diff := cmp.Diff(c.want, dispatch.OpenSlots(q)); diff != "" {
				t.Errorf("OpenSlots (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSlotTechs(t *testing.T) {
	london := mustLondon(t)
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.June, day, hour, minute, 0, 0, london)
	}
	q := dispatch.SlotQuery{Loc: london, Length: 2 * time.Hour, Trade: dispatch.Plumbing, Postcode: "SW1A 1AA",
		Techs: []dispatch.Tech{ann, amy, dev, ben, gus}}
	cases := []struct {
		name  string
		q     dispatch.SlotQuery
		start time.Time
		want  []string
	}{
		{"three techs work it", q, at(1, 8, 0), []string{"ann", "amy", "dev"}},
		{"one tech works it", q, at(1, 12, 0), []string{"ann"}},
		{"the same instant in UTC", q, at(1, 12, 0).UTC(), []string{"ann"}},
		{"aligned for dev only", q, at(1, 9, 30), []string{"ann", "amy", "dev"}}, // ann and amy work 09:30-11:30 too
		{"not aligned to any span", q, at(1, 8, 30), nil},
		{"leftover at the end of a span", q, at(1, 16, 0), nil},
		{"closed day", q, at(6, 8, 0), nil},
		{"other postcode", func() dispatch.SlotQuery { q := q; q.Postcode = "SW10 1AA"; return q }(), at(1, 8, 0), nil},
		{"other trade", func() dispatch.SlotQuery { q := q; q.Trade = dispatch.Electrical; return q }(), at(1, 8, 0), nil},
		{"Booked is ignored", func() dispatch.SlotQuery { q := q; q.Booked = []dispatch.Hold{{Start: at(1, 8, 0)}}; return q }(), at(1, 8, 0),
			[]string{"ann", "amy", "dev"}},
		{"buffer moves the starts", func() dispatch.SlotQuery { q := q; q.Buffer = 30 * time.Minute; return q }(), at(1, 12, 0), nil},
		{"start after a buffer", func() dispatch.SlotQuery { q := q; q.Buffer = 30 * time.Minute; return q }(), at(1, 10, 30), []string{"ann", "dev"}},
		{"zero length", func() dispatch.SlotQuery { q := q; q.Length = 0; return q }(), at(1, 8, 0), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, dispatch.SlotTechs(c.q, c.start)); diff != "" {
				t.Errorf("SlotTechs(%s) (-want +got):\n%s", c.start, diff)
			}
		})
	}
}

// TestSlotTechs_OfOpenSlots checks that every slot OpenSlots offers can be
// booked, across both clock changes.
func TestSlotTechs_OfOpenSlots(t *testing.T) {
	london := mustLondon(t)
	for _, now := range []time.Time{
		time.Date(2026, 3, 27, 0, 0, 0, 0, london),
		time.Date(2026, 10, 23, 0, 0, 0, 0, london),
	} {
		for _, length := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
			q := dispatch.SlotQuery{Now: now, Loc: london, Length: length, Trade: dispatch.Plumbing,
				Postcode: "SW1A 1AA", Techs: []dispatch.Tech{ann, amy, dev, owl}, Days: 4}
			ws := dispatch.OpenSlots(q)
			if len(ws) == 0 {
				t.Fatalf("OpenSlots(%s, %v) = none", now, length)
			}
			for _, w := range ws {
				if got := dispatch.SlotTechs(q, w.Start); len(got) < 1 {
					t.Errorf("SlotTechs(%s) = %v for an offered %v slot, want someone", w.Start, got, length)
				}
			}
		}
	}
}

func TestSlotQuery_Dates(t *testing.T) {
	london := mustLondon(t)
	day := func(month time.Month, d int) time.Time { return time.Date(2026, month, d, 0, 0, 0, 0, london) }
	cases := []struct {
		name string
		q    dispatch.SlotQuery
		want []time.Time
	}{
		{"from Now", dispatch.SlotQuery{Now: time.Date(2026, 3, 28, 23, 30, 0, 0, london), Loc: london, Days: 2},
			[]time.Time{day(time.March, 28), day(time.March, 29)}},
		{"from Earliest", dispatch.SlotQuery{Now: day(time.March, 28), Earliest: day(time.March, 30).Add(time.Hour), Loc: london, Days: 1},
			[]time.Time{day(time.March, 30)}},
		{"local day, not UTC day", dispatch.SlotQuery{Now: time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC), Loc: london, Days: 1},
			[]time.Time{day(time.June, 2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, c.q.Dates()); diff != "" {
				t.Errorf("Dates (-want +got):\n%s", diff)
			}
		})
	}
	if got := len((dispatch.SlotQuery{Loc: london}).Dates()); got != dispatch.DefaultLookAhead {
		t.Errorf("len(Dates()) with Days 0 = %d, want %d", got, dispatch.DefaultLookAhead)
	}
}

func TestInArea(t *testing.T) {
	cases := []struct {
		postcode, area string
		want           bool
	}{
		{"SW1A 1AA", "SW1", true},
		{"SW1P 3BT", "SW1", true},
		{"SW1 1AA", "SW1", true},
		{"SW11AA", "SW1", true}, // SW1 1AA written without its space
		{"sw1a1aa", "SW1", true},
		{"SW10 1AA", "SW1", false},
		{"SW101AA", "SW1", false},
		{"SW10 1AA", "SW10", true},
		{"SW1A 1AA", "SW10", false},
		{"M1 1AE", "M1", true},
		{"M11AE", "M1", true},
		{"M13 9PL", "M1", false},
		{"M13 9PL", "M13", true},
		{"SW1A 1AA", "SW", true},
		{"SW1A 1AA", "S", false}, // Sheffield is S, not SW
		{"S1 2HE", "S", true},
		{"SW1A 1AA", "SW1A", true},
		{"SW1A 1AA", "SW1A1AA", true},
		{"94103", "941", true}, // ZIP prefixes are plain prefixes
		{"94103", "94103", true},
		{"94103", "942", false},
		{"K1A 0B1", "K1A", true},
		{"", "SW1", false},
		{"SW1A 1AA", "", false},
		{"W1", "SW1", false},
		{"M2 1AA", "M21", false}, // M21 is a district, not the sector M2 1
		{"M1 4AB", "M14", false},
		{"M21 9AB", "M21", true},
		{"M2 1AA", "M2 1", true}, // a sector, written with its space
		{"M2 2AA", "M2 1", false},
	}
	for _, c := range cases {
		if got := dispatch.InArea(c.postcode, c.area); got != c.want {
			t.Errorf("InArea(%q, %q) = %v, want %v", c.postcode, c.area, got, c.want)
		}
	}
}

func TestServes(t *testing.T) {
	cases := []struct {
		areas    []string
		postcode string
		want     bool
	}{
		{nil, "SW10 1AA", true},
		{[]string{"SW1", "SW3"}, "SW3 4AB", true},
		{[]string{"SW1", "SW3"}, "SW10 1AA", false},
	}
	for _, c := range cases {
		if got := dispatch.Serves(c.areas, c.postcode); got != c.want {
			t.Errorf("Serves(%q, %q) = %v, want %v", c.areas, c.postcode, got, c.want)
		}
	}
}

func TestHeld(t *testing.T) {
	eight := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	hold := func(d time.Duration, techs ...string) dispatch.Hold {
		return dispatch.Hold{Start: eight.Add(d), Techs: techs}
	}
	holds := []dispatch.Hold{
		hold(-2*time.Hour, "ann"), // ends as the slot starts
		hold(-90*time.Minute, "ann"),
		hold(0, "ann", "dev"),
		hold(0, "ben"), // another trade
		hold(0),        // recorded without technicians
		hold(119*time.Minute, "dev"),
		hold(2*time.Hour, "ann"), // starts as the slot ends
	}
	techs := []string{"ann", "dev"}
	cases := []struct {
		name  string
		span  time.Duration
		techs []string
		want  int
	}{
		{"two-hour slot", 2 * time.Hour, techs, 4},
		{"one-hour slot", time.Hour, techs, 2},
		{"a buffer reaches the neighbours", 2*time.Hour + 30*time.Minute, techs, 6},
		{"only ben", 2 * time.Hour, []string{"ben"}, 2},
		{"nobody", 2 * time.Hour, nil, 1},
	}
	for _, c := range cases {
		if got := dispatch.Held(holds, eight, c.span, c.techs); got != c.want {
			t.Errorf("%s: Held = %d, want %d", c.name, got, c.want)
		}
	}
	if got := dispatch.Held(nil, eight, time.Hour, techs); got != 0 {
		t.Errorf("Held(nil) = %d, want 0", got)
	}
}

// TestHeld_NeverOverbooks books random requests of several trades and areas
// wherever OpenSlots offers room, then gives each booking, in booking order,
// a technician of its SlotTechs who is not on an overlapping booking: that
// must always be possible, or two bookings would need one technician at once.
func TestHeld_NeverOverbooks(t *testing.T) {
	london := mustLondon(t)
	monday := time.Date(2026, 6, 1, 0, 0, 0, 0, london)
	techs := []dispatch.Tech{ann, amy, ben, dev, owl}
	type want struct {
		trade    dispatch.Trade
		postcode string
	}
	wants := []want{{dispatch.Plumbing, "SW1A 1AA"}, {dispatch.Plumbing, "SW3 4AB"}, {dispatch.HVAC, "SW3 4AB"},
		{dispatch.Electrical, "SW10 1AA"}, {dispatch.Plumbing, "N1 1AA"}}
	for seed := range 20 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		var holds []dispatch.Hold
		for range 80 {
			w := wants[rng.IntN(len(wants))]
			q := dispatch.SlotQuery{Now: monday, Loc: london, Length: 2 * time.Hour, Buffer: 30 * time.Minute,
				Trade: w.trade, Postcode: w.postcode, Techs: techs, Booked: holds, Days: 3}
			open := dispatch.OpenSlots(q)
			if len(open) == 0 {
				continue
			}
			start := open[rng.IntN(len(open))].Start
			holds = append(holds, dispatch.Hold{Start: start, Techs: dispatch.SlotTechs(q, start)})
		}
		if len(holds) < 25 { // the five technicians can work 30 slots in three days
			t.Fatalf("seed %d: only %d bookings", seed, len(holds))
		}
		span := 2*time.Hour + 30*time.Minute
		given := make([]string, len(holds))
		for i, h := range holds {
			for _, id := range h.Techs {
				busy := false
				for j := range i {
					d := holds[j].Start.Sub(h.Start)
					if given[j] == id && d < span && -d < span {
						busy = true
					}
				}
				if !busy {
					given[i] = id
					break
				}
			}
			if given[i] == "" {
				t.Fatalf("seed %d: booking %d at %s (%v) has no free technician", seed, i, h.Start, h.Techs)
			}
		}
	}
}
