package bot

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// pollCompanies calls fn for each company every interval, one goroutine a
// company, until ctx ends.
func pollCompanies(ctx context.Context, companies []string, every time.Duration, fn func(ctx context.Context, company string)) {
	var wg sync.WaitGroup
	for _, co := range companies {
		wg.Go(func() {
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					fn(ctx, co)
				}
			}
		})
	}
	wg.Wait()
}

// backOff waits a jittered moment before attempt i+1 of a step that lost a
// race, so racing steps spread out.
func backOff(ctx context.Context, i int) {
	sleep(ctx, time.Duration(rand.N(1<<min(i, 6)))*time.Millisecond)
}
