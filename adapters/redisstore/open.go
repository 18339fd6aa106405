package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// errMalformedURL is returned for a REDIS_URL that does not parse. The parser's
// own message is dropped because it may quote part of the password.
var errMalformedURL = errors.New("malformed url (check that special characters in the password are percent-encoded)")

// Open connects to the Redis named by rawURL and pings it. rawURL is a
// redis:// or rediss:// URL (a cluster when it carries addr= parameters, a
// Sentinel failover when it carries master_name=), a single host:port, or a
// comma-separated list of two or more host:port seeds of a Redis Cluster.
// Errors never contain the password.
func Open(ctx context.Context, rawURL string) (redis.UniversalClient, error) {
	rdb, target, err := newClient(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("redisstore: open %s: %w", target, err)
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close() // the ping error is the one worth reporting
		return nil, fmt.Errorf("redisstore: open %s: ping: %w", target, err)
	}
	return rdb, nil
}

// newClient builds the client for rawURL without connecting. target describes
// rawURL for error messages, with any password masked.
func newClient(rawURL string) (rdb redis.UniversalClient, target string, err error) {
	if rawURL == "" {
		return nil, `""`, errors.New("empty address")
	}
	if !strings.Contains(rawURL, "://") {
		return newClientFromAddrs(rawURL)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "redis url", errMalformedURL
	}
	target = u.Redacted()
	switch q := u.Query(); {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, target, err
		}
		return redis.NewFailoverClient(o), target, nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, target, err
		}
		return redis.NewClusterClient(o), target, nil
	default:
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, target, err
		}
		return redis.NewClient(o), target, nil
	}
}

// newClientFromAddrs reads "host:port" (one node) or "h1:p1,h2:p2,…" (cluster seeds).
func newClientFromAddrs(list string) (redis.UniversalClient, string, error) {
	var addrs []string
	for a := range strings.SplitSeq(list, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			return nil, list, fmt.Errorf("address %q: want host:port", a)
		}
		addrs = append(addrs, a)
	}
	switch len(addrs) {
	case 0:
		return nil, list, errors.New("no address")
	case 1:
		return redis.NewClient(&redis.Options{Addr: addrs[0]}), list, nil
	default:
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs}), list, nil
	}
}

// OpenEmbedded starts an in-process Redis (miniredis) reached through an
// in-memory connection, with no TCP port. Its keys expire with the wall clock.
// It keeps nothing once closed; the returned func closes the client and the server.
func OpenEmbedded() (redis.UniversalClient, func(), error) {
	rdb, closeFn := embedded(true)
	return rdb, closeFn, nil
}

// OpenEmbeddedNoExpiry is OpenEmbedded with key expiry switched off, for
// runs under a simulated clock that never last long enough for anything
// to expire: expiring keys by the wall clock makes miniredis walk every
// key on every command.
func OpenEmbeddedNoExpiry() (redis.UniversalClient, func()) {
	return embedded(false)
}

func embedded(expire bool) (redis.UniversalClient, func()) {
	m := miniredis.NewMiniRedis() // Dial starts it without a listener
	m.ClockTTL(expire)            // without it TTLs only move with FastForward and keys never expire
	rdb := redis.NewClient(&redis.Options{
		Addr: "embedded-miniredis", // a label: the dialer ignores it
		Dialer: func(context.Context, string, string) (net.Conn, error) {
			c, err := m.Dial()
			if err != nil {
				return nil, err
			}
			return newQueuedConn(c), nil
		},
		DisableIdentity: true, // miniredis rejects CLIENT SETINFO; skip the wasted round trip
	})
	closeFn := func() {
		_ = rdb.Close() // nothing left to tell a caller that is shutting down
		m.Close()
	}
	return rdb, closeFn
}
