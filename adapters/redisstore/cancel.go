package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/dispatch"
)

// maxCancelTries bounds the optimistic retries of Cancel under contention.
const maxCancelTries = 5

// Cancel cancels a customer's own job and gives its slot back, in one
// transaction watched on the job. Cancelling a cancelled job succeeds and
// changes nothing; a job of someone else is reported as not found.
func (sc *Scheduler) Cancel(ctx context.Context, co *config.Company, job string, by bot.Address, at time.Time) error {
	if err := checkCompany(co.ID); err != nil {
		return fmt.Errorf("redisstore: cancel: %w", err)
	}
	n, ok := dispatch.ParseJobID(job)
	if !ok {
		return fmt.Errorf("redisstore: cancel %s %q: %w: %w", co.ID, job, bot.ErrNotCancellable, ErrNotFound)
	}
	key := sc.s.key(co.ID, "job:"+strconv.FormatInt(n, 10))
	loc := co.Location
	if loc == nil {
		loc = time.UTC
	}
	for range maxCancelTries {
		err := sc.s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			data, err := tx.Get(ctx, key).Bytes()
			if errors.Is(err, redis.Nil) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			var j dispatch.Job
			if err := json.Unmarshal(data, &j); err != nil {
				return fmt.Errorf("decode: %w", err)
			}
			if j.Customer != by.String() {
				return ErrNotFound
			}
			if j.Status == dispatch.StatusCancelled {
				return nil
			}
			j, err = dispatch.Transition(j, dispatch.StatusCancelled,
				dispatch.Actor{Kind: dispatch.ActorCustomer, ID: by.String()}, "cancelled by the customer by text", at)
			if err != nil {
				return err
			}
			out, err := json.Marshal(j)
			if err != nil {
				return fmt.Errorf("encode: %w", err)
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.SetArgs(ctx, key, out, redis.SetArgs{KeepTTL: true})
				if !j.SlotStart.IsZero() {
					load := sc.s.key(co.ID, "slotload:"+j.SlotStart.In(loc).Format(dateKey))
					p.HIncrBy(ctx, load, strconv.FormatInt(j.SlotStart.Unix(), 10), -1)
				}
				return nil
			})
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if errors.Is(err, ErrNotFound) || errors.Is(err, dispatch.ErrBadTransition) {
			return fmt.Errorf("redisstore: cancel %s %s: %w: %w", co.ID, dispatch.JobID(n), bot.ErrNotCancellable, err)
		}
		if err != nil {
			sc.s.obs.StoreError("cancel")
			return fmt.Errorf("redisstore: cancel %s %s: %w", co.ID, dispatch.JobID(n), err)
		}
		return nil
	}
	return fmt.Errorf("redisstore: cancel %s %s: %w", co.ID, dispatch.JobID(n), redis.TxFailedErr)
}
