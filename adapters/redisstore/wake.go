package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
)

var _ bot.Wakes = (*Store)(nil)

// leaseScript moves due wake-ups forward by the lease and returns them, so
// each is handed to one caller until the lease passes.
//
// KEYS: 1 wake-up sorted set. ARGV: 1 now unix ms, 2 lease end unix ms, 3 limit.
var leaseScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', '0', ARGV[3])
for _, m in ipairs(due) do
  redis.call('ZADD', KEYS[1], ARGV[2], m)
end
return due
`)

// finishScript removes a wake-up only while it still carries the lease.
//
// KEYS: 1 wake-up sorted set. ARGV: 1 member, 2 lease end unix ms.
var finishScript = redis.NewScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
`)

// DueWakes leases the due wake-ups of company.
func (s *Store) DueWakes(ctx context.Context, company string, now time.Time, lease time.Duration, limit int) ([]bot.Wake, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: due wakes: %w", err)
	}
	end := now.Add(lease).UnixMilli()
	members, err := leaseScript.Run(ctx, s.rdb, []string{s.key(company, "wake")},
		strconv.FormatInt(now.UnixMilli(), 10), strconv.FormatInt(end, 10), strconv.Itoa(limit)).StringSlice()
	if err != nil {
		s.obs.StoreError("wake")
		return nil, fmt.Errorf("redisstore: due wakes %s: %w", company, err)
	}
	wakes := make([]bot.Wake, 0, len(members))
	for _, m := range members {
		ch, id, ok := strings.Cut(m, ":")
		if !ok {
			continue
		}
		wakes = append(wakes, bot.Wake{Company: company, Who: bot.Address{Channel: bot.Channel(ch), ID: id}, Lease: end})
	}
	return wakes, nil
}

// FinishWake removes w unless a newer wake-up replaced it.
func (s *Store) FinishWake(ctx context.Context, w bot.Wake) error {
	err := finishScript.Run(ctx, s.rdb, []string{s.key(w.Company, "wake")},
		w.Who.String(), strconv.FormatInt(w.Lease, 10)).Err()
	if err != nil {
		s.obs.StoreError("wake")
		return fmt.Errorf("redisstore: finish wake %s: %w", w.Company, err)
	}
	return nil
}
