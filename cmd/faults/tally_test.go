package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCountReplies(t *testing.T) {
	a1 := message{Seq: 1, Via: "a", To: "+1", Text: "q"}
	b2 := message{Seq: 2, Via: "b", To: "+2", Text: "q"}
	a3 := message{Seq: 3, Via: "a", To: "+2", Text: "q"}
	other := message{Seq: 4, Via: "b", To: "100001", Text: "alert"}
	tests := []struct {
		name   string
		phones []string
		ms     []message
		want   tally
	}{
		{"each once", []string{"+1", "+2"}, []message{a1, b2},
			tally{customers: 2, once: 2, doubled: map[string][]message{}, byVia: map[string]int{"a": 1, "b": 1}, texts: map[string]int{"q": 2}}},
		{"one lost", []string{"+1", "+2", "+3"}, []message{a1, b2},
			tally{customers: 3, once: 2, lost: []string{"+3"}, doubled: map[string][]message{}, byVia: map[string]int{"a": 1, "b": 1}, texts: map[string]int{"q": 2}}},
		{"one doubled", []string{"+1", "+2"}, []message{a1, b2, a3},
			tally{customers: 2, once: 1, doubled: map[string][]message{"+2": {b2, a3}}, byVia: map[string]int{"a": 2, "b": 1}, texts: map[string]int{"q": 3}}},
		{"others apart", []string{"+1"}, []message{a1, other},
			tally{customers: 1, once: 1, others: 1, doubled: map[string][]message{}, byVia: map[string]int{"a": 1}, texts: map[string]int{"q": 1}}},
		{"nothing sent", []string{"+1"}, nil,
			tally{customers: 1, lost: []string{"+1"}, doubled: map[string][]message{}, byVia: map[string]int{}, texts: map[string]int{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := countReplies(tt.phones, tt.ms)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(tally{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("countReplies (-want +got):\n%s", diff)
			}
			if want := len(tt.want.lost) == 0; got.replied() != want {
				t.Errorf("replied() = %v, want %v", got.replied(), want)
			}
		})
	}
}
