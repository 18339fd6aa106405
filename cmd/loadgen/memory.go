package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/redis/go-redis/v9"
)

// perItemKinds are the key kinds with one key per conversation, message,
// job or day; every other kind is one key per company.
var perItemKinds = map[string]bool{
	"conv": true, "chat": true, "seen": true, "job": true, "booking": true, "slotload": true, "tech": true,
}

// jobKinds are the kinds whose bytes are charged to jobs: the job itself,
// its booking key, and the indexes and timers it sits in.
var jobKinds = []string{"job", "booking", "jobs", "open", "timers", "tech", "slotload"}

// keyKind names the kind of a key "<prefix>:{<company>}:<suffix>": the
// first word of the suffix for per-item keys, else the whole suffix.
func keyKind(key string) string {
	_, suffix, ok := strings.Cut(key, "}:")
	if !ok {
		return "other"
	}
	if word, _, ok := strings.Cut(suffix, ":"); ok && perItemKinds[word] {
		return word
	}
	return suffix
}

// kindUsage is how many keys of one kind there are and their bytes.
type kindUsage struct {
	Keys  int64
	Bytes int64
}

// memoryUsage sums MEMORY USAGE (SAMPLES 0: every element counted) over
// every key under prefix, by kind.
func memoryUsage(ctx context.Context, rdb *redis.Client, prefix string) (map[string]*kindUsage, error) {
	out := map[string]*kindUsage{}
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		cmds := make([]*redis.IntCmd, len(batch))
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range batch {
				cmds[i] = p.MemoryUsage(ctx, k, 0)
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("memory usage: %w", err)
		}
		for i, k := range batch {
			n, err := cmds[i].Result()
			if err != nil { // expired since the scan
				continue
			}
			u := out[keyKind(k)]
			if u == nil {
				u = &kindUsage{}
				out[keyKind(k)] = u
			}
			u.Keys++
			u.Bytes += n
		}
		batch = batch[:0]
		return nil
	}
	iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 1000 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("scan %s:*: %w", prefix, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// printMemory writes the usage by kind and the figures the targets are
// about: bytes per stored conversation, with and without its transcript,
// and per job.
func printMemory(w io.Writer, prefix string, usage map[string]*kindUsage) {
	fmt.Fprintf(w, "\nredis memory under %s:* (MEMORY USAGE … SAMPLES 0)\n", prefix)
	kinds := map[string]int{}
	for k, u := range usage {
		kinds[k] = int(u.Bytes)
	}
	for _, k := range sortedKinds(kinds) {
		u := usage[k]
		fmt.Fprintf(w, "  %-16s %9d keys %12d bytes %8.0f bytes/key\n", k, u.Keys, u.Bytes, float64(u.Bytes)/float64(u.Keys))
	}
	get := func(k string) kindUsage {
		if u := usage[k]; u != nil {
			return *u
		}
		return kindUsage{}
	}
	if conv := get("conv"); conv.Keys > 0 {
		n := float64(conv.Keys)
		base := float64(conv.Bytes+get("wake").Bytes) / n
		fmt.Fprintf(w, "  per conversation (%d): %.0f bytes without its transcript (session hash, wake-up entry), %.0f with it\n",
			conv.Keys, base, base+float64(get("chat").Bytes)/n)
	}
	if jobs := get("job"); jobs.Keys > 0 {
		var b int64
		for _, k := range jobKinds {
			b += get(k).Bytes
		}
		fmt.Fprintf(w, "  per job (%d): %.0f bytes (job hash, booking key, job indexes, timers, slot holds)\n",
			jobs.Keys, float64(b)/float64(jobs.Keys))
	}
}
