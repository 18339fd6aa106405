package dispatch_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dispatchbot/dispatch"
)

func TestJobID(t *testing.T) {
	if got := dispatch.JobID(1001); got != "J-1001" {
		t.Errorf("JobID(1001) = %q, want J-1001", got)
	}
	cases := []struct {
		id     string
		want   int64
		wantOK bool
	}{
		{"J-1001", 1001, true},
		{"j-1001", 1001, true},
		{"1001", 1001, true},
		{" J-42 ", 42, true},
		{"J-", 0, false},
		{"J-0", 0, false},
		{"J--1", 0, false},
		{"J-+1", 0, false},
		{"-1", 0, false},
		{"J-10x", 0, false},
		{"K-1001", 0, false},
		{"J-99999999999999999999", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		n, ok := dispatch.ParseJobID(c.id)
		if n != c.want || ok != c.wantOK {
			t.Errorf("ParseJobID(%q) = %d, %v, want %d, %v", c.id, n, ok, c.want, c.wantOK)
		}
	}
}

func TestJob_JSON(t *testing.T) {
	full := dispatch.Job{
		ID: "J-1001", Number: 1001, Company: "acme", Status: dispatch.StatusNew, Urgency: "routine",
		Trade: dispatch.Plumbing, Problem: "dripping tap", Address: "1 High St", Postcode: "SW1A 1AA",
		Name: "Pat", Access: "side gate", MakeModel: "Worcester 30i", ErrorCode: "EA", Details: "since Monday",
		Photos: []string{"https://example.com/p.jpg"}, Customer: "sms:+447700900123",
		SlotStart: time.Date(2026, 6, 2, 7, 0, 0, 0, time.UTC), SlotEnd: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC),
		Fee: 80, FeeAgreed: true, Created: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC),
	}
	emergency := dispatch.Job{ID: "J-1002", Number: 1002, Company: "acme", Status: dispatch.StatusNew,
		Urgency: "emergency", Customer: "telegram:42", Created: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		name   string
		job    dispatch.Job
		absent []string
	}{
		{"full", full, nil},
		{"emergency", emergency, []string{`"ss"`, `"se"`, `"fee"`, `"ph"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.job)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			for _, k := range c.absent {
				if strings.Contains(string(b), k) {
					t.Errorf("Marshal = %s, want no %s", b, k)
				}
			}
			var got dispatch.Job
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if diff := cmp.Diff(c.job, got); diff != "" {
				t.Errorf("JSON round trip (-want +got):\n%s", diff)
			}
		})
	}
}
