package dispatch

import (
	"testing"
	"time"
)

func TestWeekOpen(t *testing.T) {
	var w Week
	w[time.Monday] = []Span{{8 * time.Hour, 12 * time.Hour}, {13 * time.Hour, 17*time.Hour + 30*time.Minute}}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 11, 23, 7, 59, 59, 0, london), false},
		{time.Date(2026, 11, 23, 8, 0, 0, 0, london), true},
		{time.Date(2026, 11, 23, 12, 30, 0, 0, london), false},
		{time.Date(2026, 11, 23, 17, 29, 0, 0, london), true},
		{time.Date(2026, 11, 23, 17, 30, 0, 0, london), false},
		{time.Date(2026, 11, 24, 9, 0, 0, 0, london), false}, // Tuesday: closed
	}
	for _, c := range cases {
		if got := w.Open(c.at); got != c.want {
			t.Errorf("Open(%s) = %v, want %v", c.at.Format("Mon 15:04:05"), got, c.want)
		}
	}
	if w.Empty() || (Week{}).Empty() != true {
		t.Error("Empty() wrong")
	}
	if got := w[time.Monday][1].String(); got != "13:00-17:30" {
		t.Errorf("Span.String() = %q, want 13:00-17:30", got)
	}
}

func TestTradeValid(t *testing.T) {
	for _, tr := range Trades {
		if !tr.Valid() {
			t.Errorf("%q.Valid() = false", tr)
		}
	}
	if Trade("roofing").Valid() {
		t.Error(`"roofing".Valid() = true, want false`)
	}
}
