package redisstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
)

// RecordFailure appends st to the company's delivery-failure log, a stream
// capped at the latest 10000 reports, under the field "s" as JSON.
func (s *Store) RecordFailure(ctx context.Context, st bot.DeliveryStatus) error {
	if err := checkCompany(st.Company); err != nil {
		return fmt.Errorf("redisstore: record failure %s: %w", st.Company, err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("redisstore: record failure %s: encode: %w", st.Company, err)
	}
	err = s.rdb.XAdd(ctx, &redis.XAddArgs{
		Stream: s.key(st.Company, "delivery:failed"),
		MaxLen: failedMax, // exact: miniredis rejects LIMIT, so never set Approx with Limit
		Values: []any{"s", b},
	}).Err()
	if err != nil {
		s.obs.StoreError("record_failure")
		return fmt.Errorf("redisstore: record failure %s: %w", st.Company, err)
	}
	return nil
}
