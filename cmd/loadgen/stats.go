package main

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// latencies collects durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

// add records one duration.
func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// summary sorts what was recorded and returns its percentiles.
func (l *latencies) summary() summary {
	l.mu.Lock()
	defer l.mu.Unlock()
	return summarize(l.d)
}

// summary holds the percentiles of a set of durations.
type summary struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

// summarize sorts d in place and returns its nearest-rank percentiles.
func summarize(d []time.Duration) summary {
	slices.Sort(d)
	s := summary{N: len(d)}
	if len(d) == 0 {
		return s
	}
	s.P50, s.P90, s.P99 = percentile(d, 50), percentile(d, 90), percentile(d, 99)
	s.Max = d[len(d)-1]
	return s
}

// percentile returns the nearest-rank p-th percentile of sorted: the
// smallest value with at least p% of the values at or below it. It returns
// 0 for an empty slice.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// rank = ceil(p/100 * n), computed in integers so that 99% of 100
	// values is exactly rank 99 rather than 99.00000000000001.
	rank := (int(p*1000)*n + 100*1000 - 1) / (100 * 1000)
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// counter counts occurrences by kind from many goroutines.
type counter struct {
	mu sync.Mutex
	m  map[string]int
}

// add counts one occurrence of kind.
func (c *counter) add(kind string) {
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]int)
	}
	c.m[kind]++
	c.mu.Unlock()
}

// snapshot returns a copy of the counts.
func (c *counter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// sortedKinds returns the kinds of m, most frequent first, then by name.
func sortedKinds(m map[string]int) []string {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return ks
}
