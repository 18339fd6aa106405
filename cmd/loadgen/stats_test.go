package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		d := make([]time.Duration, len(vs))
		for i, v := range vs {
			d[i] = time.Duration(v) * time.Millisecond
		}
		return d
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1 // 1ms … 100ms
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value, any p", ms(7), 99, 7 * time.Millisecond},
		{"median of odd count", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"median of even count is the lower middle", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(hundred...), 99, 99 * time.Millisecond},
		{"p90 of 100 is the 90th", ms(hundred...), 90, 90 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
		{"p99 of 10 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p99.9 of 100 is the max", ms(hundred...), 99.9, 100 * time.Millisecond},
		{"p1 of 100 is the min", ms(hundred...), 1, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted[:min(len(tt.sorted), 5)], tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	var l latencies
	for _, v := range []int{9, 1, 5, 3, 7, 2, 8, 4, 10, 6} { // out of order, as goroutines record them
		l.add(time.Duration(v) * time.Millisecond)
	}
	want := summary{N: 10, P50: 5 * time.Millisecond, P90: 9 * time.Millisecond,
		P99: 10 * time.Millisecond, Max: 10 * time.Millisecond}
	if diff := cmp.Diff(want, l.summary()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if got := (summary{}).String(); got != "(none)" {
		t.Errorf("empty summary String() = %q, want (none)", got)
	}
}

func TestSortedKinds(t *testing.T) {
	got := sortedKinds(map[string]int{"b": 2, "a": 2, "c": 5, "d": 1})
	if diff := cmp.Diff([]string{"c", "a", "b", "d"}, got); diff != "" {
		t.Errorf("sortedKinds (-want +got):\n%s", diff)
	}
}
