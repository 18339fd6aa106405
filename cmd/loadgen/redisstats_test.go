package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommandStats(t *testing.T) {
	info := "# Commandstats\r\n" +
		"cmdstat_evalsha:calls=120,usec=900,usec_per_call=7.50,rejected_calls=0,failed_calls=0\r\n" +
		"cmdstat_hmget:calls=100,usec=200,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n" +
		"cmdstat_xgroup|create:calls=1,usec=9,usec_per_call=9.00,rejected_calls=0,failed_calls=1\r\n" +
		"cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
	got, err := parseCommandStats(info)
	if err != nil {
		t.Fatal(err)
	}
	want := commandStats{"evalsha": 120, "hmget": 100, "xgroup|create": 1, "info": 3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parseCommandStats (-want +got):\n%s", diff)
	}
	if _, err := parseCommandStats("cmdstat_get:calls=many,usec=1\r\n"); err == nil {
		t.Error("parseCommandStats of a bad count = nil error, want one")
	}
}

func TestCommandStatsSince(t *testing.T) {
	before := commandStats{"evalsha": 100, "hmget": 50, "info": 2, "get": 7}
	after := commandStats{"evalsha": 130, "hmget": 50, "info": 4, "get": 9, "xadd": 12}
	got := after.since(before)
	want := commandStats{"evalsha": 30, "get": 2, "xadd": 12} // no unchanged ones, no INFO
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("since (-want +got):\n%s", diff)
	}
	if got.total() != 44 {
		t.Errorf("total = %d, want 44", got.total())
	}
}
