package telegram

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// chatIdle is how long a chat's limiter is kept after its last use. At any
// sensible per-chat rate it is full again long before then, so dropping it
// loses nothing.
const chatIdle = 5 * time.Minute

// clock is the time the limiters run on; tests replace it with a fake.
type clock struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// realClock is wall-clock time.
var realClock = clock{now: time.Now, sleep: sleepCtx}

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait takes one token from lim, sleeping until it is available. It behaves
// like rate.Limiter.Wait but on c, and gives up at once when ctx would end
// before the token is due.
func (c clock) wait(ctx context.Context, lim *rate.Limiter) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := c.now()
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return fmt.Errorf("rate limiter burst %d admits no message", lim.Burst())
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(now.Add(d)) {
		r.CancelAt(now)
		return fmt.Errorf("rate limit wait of %s exceeds deadline: %w", d, context.DeadlineExceeded)
	}
	if err := c.sleep(ctx, d); err != nil {
		r.CancelAt(c.now())
		return err
	}
	return nil
}

// chatLimits holds one limiter per chat (burst 1) and forgets chats idle
// for chatIdle, so the map stays as small as the set of active chats.
type chatLimits struct {
	limit rate.Limit

	mu    sync.Mutex
	m     map[string]*chatLimit
	swept time.Time
}

// chatLimit is one chat's limiter and when it was last asked for.
type chatLimit struct {
	lim  *rate.Limiter
	used time.Time
}

// newChatLimits returns limiters allowing perSecond messages per chat.
func newChatLimits(perSecond float64) *chatLimits {
	return &chatLimits{limit: rate.Limit(perSecond), m: make(map[string]*chatLimit)}
}

// get returns key's limiter, creating it if needed, and drops idle ones at
// most once per chatIdle.
func (c *chatLimits) get(key string, now time.Time) *rate.Limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.swept) >= chatIdle {
		for k, e := range c.m {
			if now.Sub(e.used) >= chatIdle {
				delete(c.m, k)
			}
		}
		c.swept = now
	}
	e, ok := c.m[key]
	if !ok {
		e = &chatLimit{lim: rate.NewLimiter(c.limit, 1)}
		c.m[key] = e
	}
	e.used = now
	return e.lim
}

// len reports how many chats have a limiter.
func (c *chatLimits) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
