package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"dispatchbot/adapters/redisstore"
)

func TestOpen(t *testing.T) {
	m1, m2, m3 := miniredis.RunT(t), miniredis.RunT(t), miniredis.RunT(t)
	m1.RequireAuth("s3cret")
	tests := []struct {
		name        string
		url         string
		wantCluster bool
	}{
		{name: "redis url with password", url: "redis://:s3cret@" + m1.Addr() + "/0"},
		{name: "single host:port", url: m2.Addr()},
		{name: "cluster seeds", url: m2.Addr() + ", " + m3.Addr(), wantCluster: true},
		{name: "cluster url", url: "redis://" + m2.Addr() + "?addr=" + m3.Addr(), wantCluster: true},
	}
	if url := os.Getenv("REDIS_URL"); url != "" {
		tests = append(tests, struct {
			name        string
			url         string
			wantCluster bool
		}{name: "REDIS_URL", url: url, wantCluster: strings.Contains(url, ",")})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			rdb, err := redisstore.Open(ctx, tt.url)
			if err != nil {
				t.Fatalf("Open(%q) = %v", tt.url, err)
			}
			defer rdb.Close()
			_, isCluster := rdb.(*redis.ClusterClient)
			if isCluster != tt.wantCluster {
				t.Errorf("Open(%q) = %T, want cluster %v", tt.url, rdb, tt.wantCluster)
			}
			if err := rdb.Ping(ctx).Err(); err != nil {
				t.Errorf("Ping() = %v", err)
			}
		})
	}
}

func TestOpen_Errors(t *testing.T) {
	m := miniredis.RunT(t)
	m.RequireAuth("right-pass")
	tests := []struct {
		name   string
		url    string
		secret string // must not appear in the error
	}{
		{name: "empty", url: ""},
		{name: "no port", url: "localhost"},
		{name: "unreachable", url: "redis://:hunter2@127.0.0.1:1/0", secret: "hunter2"},
		{name: "wrong password", url: "redis://:wrong-pass@" + m.Addr(), secret: "wrong-pass"},
		{name: "unescaped slash in password", url: "redis://:zq9/x@127.0.0.1:1", secret: "zq9"},
		{name: "unknown option", url: "redis://:hunter2@127.0.0.1:1/0?bogus=1", secret: "hunter2"},
		{name: "bad scheme", url: "http://:hunter2@127.0.0.1:1", secret: "hunter2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			rdb, err := redisstore.Open(ctx, tt.url)
			if err == nil {
				rdb.Close()
				t.Fatalf("Open(%q) = nil error, want one", tt.url)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("Open(%q) = %v, which shows the password", tt.url, err)
			}
		})
	}
}

func TestOpenEmbedded(t *testing.T) {
	rdb, closeFn, err := redisstore.OpenEmbedded()
	if err != nil {
		t.Fatalf("OpenEmbedded() = %v", err)
	}
	defer closeFn()
	ctx := context.Background()
	if err := rdb.Set(ctx, "short", "1", 10*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, "long", "1", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(30 * time.Millisecond) // expiry follows the wall clock
	n, err := rdb.Exists(ctx, "short", "long").Result()
	if err != nil || n != 1 {
		t.Errorf("Exists(short, long) after the short TTL = %d, %v, want 1, nil", n, err)
	}
	s := redisstore.New(rdb, redisstore.Options{})
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping() = %v", err)
	}
	closeFn()
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping() after close = nil, want an error")
	}
}

func ExampleOpen() {
	ctx := context.Background()
	m, err := miniredis.Run()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	rdb, err := redisstore.Open(ctx, "redis://"+m.Addr()+"/0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rdb.Close()
	fmt.Println(rdb.Ping(ctx).Val())
	// Output: PONG
}

// TestOpenEmbedded_LongPipeline sends a pipeline far longer than the
// in-memory connection holds in flight: it must complete, not block both
// ends.
func TestOpenEmbedded_LongPipeline(t *testing.T) {
	rdb, closeFn, err := redisstore.OpenEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const n = 5000
	cmds := make([]*redis.IntCmd, n)
	if _, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range cmds {
			cmds[i] = p.Incr(ctx, fmt.Sprintf("k%d", i%10))
		}
		return nil
	}); err != nil {
		t.Fatalf("pipeline of %d commands: %v", n, err)
	}
	if got := cmds[n-1].Val(); got != n/10 {
		t.Errorf("last INCR = %d, want %d", got, n/10)
	}
}
