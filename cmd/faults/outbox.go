package main

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// The driver finds the outbox without knowing its key names, which belong
// to the Redis adapter: it is every stream with a consumer group among the
// keys matching a pattern ("*" in a scenario's own Redis).

// outboxState sums every consumer group of every stream.
type outboxState struct {
	streams int
	pending int64 // entries read by a consumer and not yet settled
	lag     int64 // entries no consumer has read yet
}

// streams returns the keys of every stream in rdb that match.
func streams(ctx context.Context, rdb redis.UniversalClient, match string) ([]string, error) {
	var keys []string
	iter := rdb.ScanType(ctx, 0, match, 1000, "stream").Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("scan streams: %w", err)
	}
	return keys, nil
}

// inspectOutbox sums pending and unread entries over every consumer group.
func inspectOutbox(ctx context.Context, rdb redis.UniversalClient, match string) (outboxState, error) {
	keys, err := streams(ctx, rdb, match)
	if err != nil {
		return outboxState{}, err
	}
	var st outboxState
	for _, k := range keys {
		groups, err := rdb.XInfoGroups(ctx, k).Result()
		if err != nil {
			return outboxState{}, fmt.Errorf("groups of %s: %w", k, err)
		}
		if len(groups) > 0 {
			st.streams++
		}
		for _, g := range groups {
			st.pending += g.Pending
			// Counted rather than taken from the group's lag, which Redis
			// cannot always tell and miniredis gets wrong.
			unread, err := rdb.XRange(ctx, k, "("+g.LastDeliveredID, "+").Result()
			if err != nil {
				return outboxState{}, fmt.Errorf("unread entries of %s: %w", k, err)
			}
			lag := int64(len(unread))
			st.lag += lag
		}
	}
	return st, nil
}

// consumer is one reader of the outbox groups.
type consumer struct {
	pending int64         // entries it holds, read and not settled
	idle    time.Duration // since it last read
}

// consumers returns every consumer of every group by name, with pending
// entries summed and the least idle time over streams.
func consumers(ctx context.Context, rdb redis.UniversalClient, match string) (map[string]consumer, error) {
	keys, err := streams(ctx, rdb, match)
	if err != nil {
		return nil, err
	}
	out := map[string]consumer{}
	for _, k := range keys {
		groups, err := rdb.XInfoGroups(ctx, k).Result()
		if err != nil {
			return nil, fmt.Errorf("groups of %s: %w", k, err)
		}
		for _, g := range groups {
			cs, err := rdb.XInfoConsumers(ctx, k, g.Name).Result()
			if err != nil {
				return nil, fmt.Errorf("consumers of %s: %w", k, err)
			}
			for _, c := range cs {
				old, seen := out[c.Name]
				if seen {
					c.Idle = min(c.Idle, old.idle)
				}
				out[c.Name] = consumer{pending: old.pending + c.Pending, idle: c.Idle}
			}
		}
	}
	return out, nil
}
