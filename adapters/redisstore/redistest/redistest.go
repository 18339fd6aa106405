// Package redistest gives tests a Redis to talk to: an in-process miniredis
// always, and the real server named by REDIS_URL when that is set. Each test
// gets its own key prefix, and its keys are deleted when it ends.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
)

// Backend is one Redis a test runs against.
type Backend struct {
	Name   string                // "miniredis" or "redis"
	Client redis.UniversalClient // closed when the test ends
	Prefix string                // unique to the test; pass it as redisstore.Options.Prefix
	Mini   *miniredis.Miniredis  // the in-process server; nil on real Redis
}

// Each runs fn as subtest "miniredis" and, when REDIS_URL is set, as subtest
// "redis" against that server. The redis subtest fails if the server cannot
// be reached.
func Each(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("miniredis", func(t *testing.T) {
		fn(t, New(t))
	})
	url := os.Getenv("REDIS_URL")
	if url == "" {
		return
	}
	t.Run("redis", func(t *testing.T) {
		fn(t, mustReal(t, url))
	})
}

// New returns a miniredis backend with wall-clock TTLs, closed when t ends.
func New(t *testing.T) Backend {
	t.Helper()
	m := miniredis.RunT(t)
	m.ClockTTL(true)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), DisableIdentity: true})
	b := Backend{Name: "miniredis", Client: rdb, Prefix: newPrefix(t), Mini: m}
	t.Cleanup(func() { cleanup(t, b) })
	return b
}

// mustReal opens the Redis at url, failing t if it is unreachable.
func mustReal(t *testing.T, url string) Backend {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rdb, err := redisstore.Open(ctx, url)
	if err != nil {
		t.Fatalf("REDIS_URL is set but that Redis cannot be used (unset REDIS_URL to test with miniredis only): %v", err)
	}
	b := Backend{Name: "redis", Client: rdb, Prefix: newPrefix(t)}
	t.Cleanup(func() { cleanup(t, b) })
	return b
}

// newPrefix returns "t" and 16 random hex digits.
func newPrefix(tb testing.TB) string {
	tb.Helper()
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		tb.Fatalf("random prefix: %v", err)
	}
	return "t" + hex.EncodeToString(r[:])
}

// cleanup deletes every key under b.Prefix, on every master of a cluster,
// and closes the client.
func cleanup(tb testing.TB, b Backend) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	del := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, b.Prefix+":*", 1000).Iterator()
		var batch []string
		for iter.Next(ctx) {
			batch = append(batch, iter.Val())
			if len(batch) == 1000 {
				if err := delKeys(ctx, c, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		if err := iter.Err(); err != nil {
			return err
		}
		return delKeys(ctx, c, batch)
	}
	var err error
	switch c := b.Client.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, del)
	case *redis.Client:
		err = del(ctx, c)
	}
	if err != nil {
		tb.Errorf("redistest: delete keys of %s: %v", b.Prefix, err)
	}
	if err := b.Client.Close(); err != nil {
		tb.Errorf("redistest: close client: %v", err)
	}
}

// delKeys deletes keys one by one in a pipeline, so that keys of different
// cluster slots never meet in one command.
func delKeys(ctx context.Context, c *redis.Client, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Unlink(ctx, k)
		}
		return nil
	})
	return err
}

// SetTime sets the miniredis clock, which drives stream idle times and, with
// wall-clock TTLs, expiry. It skips the test on real Redis.
func (b Backend) SetTime(tb testing.TB, t time.Time) {
	tb.Helper()
	if b.Mini == nil {
		tb.Skipf("SetTime needs miniredis; skipped on %s", b.Name)
	}
	b.Mini.SetTime(t)
}

// FastForward ages every TTL by d. It skips the test on real Redis.
func (b Backend) FastForward(tb testing.TB, d time.Duration) {
	tb.Helper()
	if b.Mini == nil {
		tb.Skipf("FastForward needs miniredis; skipped on %s", b.Name)
	}
	b.Mini.FastForward(d)
}
