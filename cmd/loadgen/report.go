package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// result is what one measured run found.
type result struct {
	Elapsed  time.Duration
	Sent, OK int64 // timed requests, and those answered 200
	All      int64 // requests answered 200, warm-up included
	Webhook  summary
	Reply    summary
	Routed   int64 // replies received by measured customers
	Dropped  int64
	Unrouted int64 // replies to nobody waiting during the measured run
	Errors   map[string]int
	Outcomes map[string]int
	Redis    commandStats // calls during the run; nil without -redis
}

// printResult writes the run's figures.
func printResult(w io.Writer, r result) {
	rate := 0.0
	if r.Elapsed > 0 {
		rate = float64(r.OK) / r.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "inbound messages   %d timed in %s: %.1f/s answered 200 (%d in all, warm-up included)\n",
		r.Sent, r.Elapsed.Round(time.Millisecond), rate, r.All)
	fmt.Fprintf(w, "webhook latency    %s\n", r.Webhook)
	fmt.Fprintf(w, "first reply after  %s\n", r.Reply)
	per := 0.0
	if r.All > 0 {
		per = float64(r.Routed) / float64(r.All)
	}
	fmt.Fprintf(w, "replies received   %d (%.2f per inbound message); %d dropped, %d to nobody waiting\n",
		r.Routed, per, r.Dropped, r.Unrouted)
	fmt.Fprintf(w, "customers          %s\n", joinCounts(r.Outcomes))
	if len(r.Errors) == 0 {
		fmt.Fprintf(w, "errors             none\n")
	} else {
		fmt.Fprintf(w, "errors             %d\n", sum(r.Errors))
		for _, k := range sortedKinds(r.Errors) {
			fmt.Fprintf(w, "  %-40s %d\n", k, r.Errors[k])
		}
	}
	if r.Redis != nil && r.All > 0 {
		total := r.Redis.total()
		fmt.Fprintf(w, "redis commands     %d, %.2f per inbound message (INFO commandstats; commands run by scripts count too)\n",
			total, float64(total)/float64(r.All))
		counts := map[string]int{}
		for k, v := range r.Redis {
			counts[k] = int(v)
		}
		var parts []string
		for _, k := range sortedKinds(counts) {
			parts = append(parts, fmt.Sprintf("%s %.2f", k, float64(counts[k])/float64(r.All)))
		}
		fmt.Fprintf(w, "  per message: %s\n", strings.Join(parts, ", "))
	}
}

// String formats the percentiles in milliseconds.
func (s summary) String() string {
	if s.N == 0 {
		return "(none)"
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s  (n=%d)", ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max), s.N)
}

// joinCounts formats counts as "kind n, kind n", most frequent first.
func joinCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, k := range sortedKinds(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
