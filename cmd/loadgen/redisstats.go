package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// commandStats is INFO commandstats: calls by command name, lower case,
// with subcommands as "xgroup|create". Redis counts a command a script
// runs under its own name as well as the script under eval or evalsha.
type commandStats map[string]int64

// fetchCommandStats reads INFO commandstats.
func fetchCommandStats(ctx context.Context, rdb *redis.Client) (commandStats, error) {
	info, err := rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		return nil, fmt.Errorf("info commandstats: %w", err)
	}
	return parseCommandStats(info)
}

// parseCommandStats reads lines such as
// "cmdstat_evalsha:calls=120,usec=900,usec_per_call=7.50,rejected_calls=0,failed_calls=0".
func parseCommandStats(info string) (commandStats, error) {
	out := commandStats{}
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		name, fields, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		name, ok = strings.CutPrefix(name, "cmdstat_")
		if !ok {
			continue
		}
		for f := range strings.SplitSeq(fields, ",") {
			k, v, _ := strings.Cut(f, "=")
			if k != "calls" {
				continue
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("commandstats %s: calls %q: %w", name, v, err)
			}
			out[name] = n
		}
	}
	return out, sc.Err()
}

// since returns the calls made between before and s, leaving out commands
// with none and the INFO calls loadgen made itself.
func (s commandStats) since(before commandStats) commandStats {
	out := commandStats{}
	for k, v := range s {
		if d := v - before[k]; d > 0 && k != "info" {
			out[k] = d
		}
	}
	return out
}

// total returns the sum of the calls.
func (s commandStats) total() int64 {
	var n int64
	for _, v := range s {
		n += v
	}
	return n
}
