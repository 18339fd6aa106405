package main

import (
	"context"
	"dispatchbot/adapters/redisstore"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"dispatchbot/adapters/twilio/twiliotest"
)

// BenchmarkTwilioWebhook posts signed first messages from distinct
// customers through the whole path: HTTP, signature check, triage and
// intake, one Redis load and commit, and delivery to a fake provider in the
// background. With REDIS_URL set it runs against that server.
func BenchmarkTwilioWebhook(b *testing.B) {
	env := map[string]string{"LOG_LEVEL": "error"}
	if u := os.Getenv("REDIS_URL"); u != "" {
		prefix := fmt.Sprintf("bench%d", os.Getpid())
		env["REDIS_URL"], env["REDIS_PREFIX"] = u, prefix
		b.Cleanup(func() { dropKeys(b, u, prefix) })
	}
	s := startServer(b, env)
	u := s.base + "/webhooks/twilio"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			form := url.Values{"MessageSid": {fmt.Sprintf("SMb%d", i)}, "From": {fmt.Sprintf("+4477009%05d", i%100000)},
				"To": {"+441614960000"}, "Body": {"my kitchen tap is dripping, can someone come next week"}}
			req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", twiliotest.Sign("demoauthtoken", u, form))
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// dropKeys deletes every key under prefix on the Redis at rawURL.
func dropKeys(tb testing.TB, rawURL, prefix string) {
	ctx := context.Background()
	rdb, err := redisstore.Open(ctx, rawURL)
	if err != nil {
		tb.Error(err)
		return
	}
	defer rdb.Close()
	iter := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		if err := rdb.Del(ctx, iter.Val()).Err(); err != nil {
			tb.Error(err)
			return
		}
	}
	if err := iter.Err(); err != nil {
		tb.Error(err)
	}
}
