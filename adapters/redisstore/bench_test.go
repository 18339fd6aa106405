package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
	"dispatchbot/bot"
	"dispatchbot/conversation"
)

// BenchmarkLoadCommit measures the store's share of one inbound message: a
// Load and a Commit of the new session with one reply.
func BenchmarkLoadCommit(b *testing.B) {
	b.Run("miniredis", func(b *testing.B) {
		m := miniredis.RunT(b)
		rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), DisableIdentity: true})
		b.Cleanup(func() { rdb.Close() })
		benchLoadCommit(b, rdb, benchPrefix(b))
	})
	url := os.Getenv("REDIS_URL")
	if url == "" {
		return
	}
	b.Run("redis", func(b *testing.B) {
		ctx := context.Background()
		rdb, err := redisstore.Open(ctx, url)
		if err != nil {
			b.Fatalf("REDIS_URL is set but that Redis cannot be used: %v", err)
		}
		prefix := benchPrefix(b)
		b.Cleanup(func() {
			defer rdb.Close()
			iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
			for iter.Next(ctx) {
				if err := rdb.Unlink(ctx, iter.Val()).Err(); err != nil {
					b.Errorf("delete %s: %v", iter.Val(), err)
					return
				}
			}
			if err := iter.Err(); err != nil {
				b.Errorf("scan %s:*: %v", prefix, err)
			}
		})
		benchLoadCommit(b, rdb, prefix)
	})
}

func benchLoadCommit(b *testing.B, rdb redis.UniversalClient, prefix string) {
	s := redisstore.New(rdb, redisstore.Options{Prefix: prefix})
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		providerID := "SM" + strconv.Itoa(i)
		snap, err := s.Load(ctx, co, alice, providerID)
		if err != nil {
			b.Fatalf("Load() = %v", err)
		}
		sess := snap.Session
		sess.State = conversation.Open
		sess.Messages++
		err = s.Commit(ctx, bot.Change{Company: co, From: alice, ProviderID: providerID, Session: &sess,
			Outbox: []bot.Outbound{reply("Thanks, a technician will call you within the hour.")}})
		if err != nil {
			b.Fatalf("Commit() = %v", err)
		}
	}
}

func benchPrefix(tb testing.TB) string {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		tb.Fatal(err)
	}
	return "b" + hex.EncodeToString(r[:])
}
