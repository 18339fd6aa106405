package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore/redistest"
)

func TestKeyKind(t *testing.T) {
	tests := map[string]string{
		"dispatchbot:{demo}:conv:sms:+447700900123": "conv",
		"dispatchbot:{demo}:chat:telegram:12345":    "chat",
		"dispatchbot:{demo}:seen:SM123":             "seen",
		"dispatchbot:{demo}:job:1001":               "job",
		"dispatchbot:{demo}:slotload:2026-11-24":    "slotload",
		"dispatchbot:{demo}:outbox":                 "outbox",
		"dispatchbot:{demo}:outbox:dead":            "outbox:dead",
		"dispatchbot:{demo}:sim:seq":                "sim:seq",
		"stray":                                     "other",
	}
	for key, want := range tests {
		if got := keyKind(key); got != want {
			t.Errorf("keyKind(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestMemoryUsage sums a few keys by kind; MEMORY USAGE needs a real Redis.
func TestMemoryUsage(t *testing.T) {
	redistest.Each(t, func(t *testing.T, b redistest.Backend) {
		if b.Mini != nil {
			t.Skip("miniredis has no MEMORY USAGE")
		}
		rdb, ok := b.Client.(*redis.Client)
		if !ok {
			t.Skipf("needs a single-node client, have %T", b.Client)
		}
		ctx := context.Background()
		p := b.Prefix + ":{demo}:"
		for _, k := range []string{"conv:sms:+1", "conv:sms:+2", "chat:sms:+1", "job:1001"} {
			if err := rdb.HSet(ctx, p+k, "d", strings.Repeat("x", 100)).Err(); err != nil {
				t.Fatal(err)
			}
		}
		usage, err := memoryUsage(ctx, rdb, b.Prefix)
		if err != nil {
			t.Fatal(err)
		}
		if c := usage["conv"]; c == nil || c.Keys != 2 || c.Bytes < 200 {
			t.Errorf("conv usage = %+v, want 2 keys of over 100 bytes each", c)
		}
		if len(usage) != 3 {
			t.Errorf("kinds = %v, want conv, chat and job", usage)
		}
		var out bytes.Buffer
		printMemory(&out, b.Prefix, usage)
		for _, want := range []string{"per conversation (2):", "per job (1):"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("report lacks %q:\n%s", want, out.String())
			}
		}
	})
}
