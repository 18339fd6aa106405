package main

import (
	"bytes"
	"net"
	"os"
	"strings"
	"testing"

	"dispatchbot/adapters/redisstore/redistest"
)

// freeAddr returns a loopback address nothing listens on just now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestRun runs the command against a stack in this process and reads its
// report; with REDIS_URL set it also reads Redis's command counts and
// memory.
func TestRun(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		listen := freeAddr(t)
		st := startStack(t, b.Client, b.Prefix, "http://"+listen)
		args := []string{"-target", st.URL, "-listen", listen, "-n", "6", "-c", "2", "-telegram", "1",
			"-tg-think", "0", "-warmup", "0", "-run-id", "11"}
		if b.Mini == nil {
			args = append(args, "-redis", os.Getenv("REDIS_URL"), "-prefix", b.Prefix, "-memory")
		}
		var out bytes.Buffer
		if err := run(t.Context(), args, &out, &out); err != nil {
			t.Fatalf("run(%q) = %v; output:\n%s", args, err, out.String())
		}
		want := []string{"loadgen run 0000000b:", "inbound messages", "webhook latency    p50",
			"replies received", "(1.00 per inbound message)", "customers          booked 6", "errors             none"}
		if b.Mini == nil {
			want = append(want, "redis commands", "evalsha", "per conversation (6):", "per job (6):")
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("output lacks %q:\n%s", w, out.String())
			}
		}
	})
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args []string
		ok   bool
	}{
		{nil, true},
		{[]string{"-n", "10", "-c", "2", "-preload", "100"}, true},
		{[]string{"-c", "0"}, false},
		{[]string{"-n", "-1"}, false},
		{[]string{"-emergency", "1.5"}, false},
		{[]string{"-duration", "0s"}, false},
		{[]string{"-memory"}, false}, // needs -redis
		{[]string{"-n", "9000000", "-preload", "2000000"}, false},
		{[]string{"stray"}, false},
	}
	for _, tt := range tests {
		_, err := parseFlags(tt.args, discard{})
		if (err == nil) != tt.ok {
			t.Errorf("parseFlags(%q) = %v, want ok %v", tt.args, err, tt.ok)
		}
	}
}
