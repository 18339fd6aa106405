package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

// maxCancelTries bounds the optimistic retries of Cancel and Reschedule
// under contention.
const maxCancelTries = 5

// Cancel cancels a customer's own job and gives its slot back, in one
// transaction watched on the job, and returns the job as it now is.
// Cancelling a cancelled job succeeds and changes nothing; a job of someone
// else is reported as not found.
func (sc *Scheduler) Cancel(ctx context.Context, co *config.Company, job string, by bot.Address, at time.Time) (dispatch.Job, error) {
	return sc.customerChange(ctx, co, "cancel", job, by, at, bot.ErrNotCancellable, func(j dispatch.Job) (dispatch.Job, bool, error) {
		if j.Status == dispatch.StatusCancelled {
			return j, false, nil
		}
		j, err := dispatch.Transition(j, dispatch.StatusCancelled,
			dispatch.Actor{Kind: dispatch.ActorCustomer, ID: by.String()}, "cancelled by the customer by text", at)
		return j, err == nil, err
	})
}

// Reschedule moves a customer's own job to slot, holding the new slot and
// releasing the old in one transaction, and sends the job back to matching
// with a match timer due at once. It returns the job as it was before, so
// the caller can tell the technician who had it. Moving a job to the slot
// it already has succeeds and changes nothing. It returns bot.ErrSlotTaken
// when the new slot is full and bot.ErrNotMovable for a job that is not the
// customer's, has no slot, or is finished or under way.
func (sc *Scheduler) Reschedule(ctx context.Context, co *config.Company, job string, by bot.Address, slot conversation.Slot, at time.Time) (dispatch.Job, error) {
	var before dispatch.Job
	_, err := sc.customerChange(ctx, co, "reschedule", job, by, at, bot.ErrNotMovable, func(j dispatch.Job) (dispatch.Job, bool, error) {
		before = j
		if j.SlotStart.Equal(slot.Start) && j.SlotEnd.Equal(slot.End) && j.Status == dispatch.StatusNew {
			return j, false, nil
		}
		if j.SlotStart.IsZero() || !slot.Start.After(at) {
			return j, false, fmt.Errorf("%w: job %s has no slot to move, or the new one has started", dispatch.ErrBadTransition, j.ID)
		}
		by := dispatch.Actor{Kind: dispatch.ActorCustomer, ID: by.String()}
		if j.Status != dispatch.StatusNeedsReschedule {
			var err error
			if j, err = dispatch.Transition(j, dispatch.StatusNeedsReschedule, by, "the customer asked for a new time", at); err != nil {
				return j, false, err
			}
		}
		j, err := dispatch.Transition(j, dispatch.StatusNew, by, "moved to "+slot.Start.UTC().Format(time.RFC3339), at)
		if err != nil {
			return j, false, err
		}
		j.SlotStart, j.SlotEnd = slot.Start.UTC(), slot.End.UTC()
		return j, true, nil
	})
	return before, err
}

// customerChange applies change to the customer's job in one transaction
// watched on the job and on the slot-load hashes it touches. change returns
// the new job and whether to write it. Slot holds follow the job: an open
// job holds its slot, a finished one holds none, and a newly held slot must
// have room for it (bot.ErrSlotTaken). A job of someone else, a missing job
// and a bad transition are reported wrapping refusal. A job sent back to
// matching gets a match timer due at at.
func (sc *Scheduler) customerChange(ctx context.Context, co *config.Company, op, job string, by bot.Address, at time.Time, refusal error,
	change func(dispatch.Job) (dispatch.Job, bool, error)) (dispatch.Job, error) {
	if err := checkCompany(co.ID); err != nil {
		return dispatch.Job{}, fmt.Errorf("redisstore: %s: %w", op, err)
	}
	n, ok := dispatch.ParseJobID(job)
	if !ok {
		return dispatch.Job{}, fmt.Errorf("redisstore: %s %s %q: %w: %w", op, co.ID, job, refusal, ErrNotFound)
	}
	key := sc.s.jobKey(co.ID, n)
	q := slotQuery(co, conversation.Request{})
	var result dispatch.Job
	for range maxCancelTries {
		err := sc.s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			sj, ok := sc.s.decodeJob(co.ID, n, tx.HMGet(ctx, key, "v", "d").Val())
			if !ok || sj.Job.Customer != by.String() {
				return ErrNotFound
			}
			j, write, err := change(sj.Job)
			if err != nil {
				return err
			}
			result = j
			if !write {
				return nil
			}
			changes := slotHolds(sj.Job, j)
			q.Trade, q.Postcode = j.Trade, j.Postcode
			for i, h := range changes {
				if !h.take {
					continue
				}
				load := sc.loadKey(co.ID, h.start.In(q.Loc))
				if err := tx.Watch(ctx, load).Err(); err != nil {
					return err
				}
				others := slices.DeleteFunc(appendHolds(nil, tx.HGetAll(ctx, load).Val()), func(o dispatch.Hold) bool {
					return o.Job == n // its own hold, released in this transaction
				})
				changes[i].techs = dispatch.SlotTechs(q, h.start)
				if dispatch.Held(others, h.start, q.Span(), changes[i].techs) >= len(changes[i].techs) {
					return bot.ErrSlotTaken
				}
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				sc.s.writeJob(ctx, p, co.ID, sj, j)
				for _, h := range changes {
					l := h.start.In(q.Loc)
					load, field := sc.loadKey(co.ID, l), holdField(h.start, n)
					if !h.take {
						p.HDel(ctx, load, field)
					} else {
						p.HSet(ctx, load, field, strings.Join(h.techs, ","))
						keep := time.Date(l.Year(), l.Month(), l.Day()+3, 0, 0, 0, 0, q.Loc).Sub(at)
						p.PExpire(ctx, load, max(keep, time.Second))
					}
				}
				if j.Status == dispatch.StatusNew {
					p.ZAdd(ctx, sc.s.key(co.ID, "timers"), redis.Z{Score: float64(at.UnixMilli()),
						Member: bot.Timer{Kind: bot.TimerMatch, Job: n}.Member()})
				}
				return nil
			})
			return err
		}, key)
		switch {
		case errors.Is(err, redis.TxFailedErr):
			continue
		case errors.Is(err, bot.ErrSlotTaken):
			return dispatch.Job{}, fmt.Errorf("redisstore: %s %s %s: %w", op, co.ID, dispatch.JobID(n), err)
		case errors.Is(err, ErrNotFound), errors.Is(err, dispatch.ErrBadTransition):
			return dispatch.Job{}, fmt.Errorf("redisstore: %s %s %s: %w: %w", op, co.ID, dispatch.JobID(n), refusal, err)
		case err != nil:
			sc.s.obs.StoreError(op)
			return dispatch.Job{}, fmt.Errorf("redisstore: %s %s %s: %w", op, co.ID, dispatch.JobID(n), err)
		}
		return result, nil
	}
	return dispatch.Job{}, fmt.Errorf("redisstore: %s %s %s: %w", op, co.ID, dispatch.JobID(n), redis.TxFailedErr)
}

// slotHold is a change of one slot's bookings: a job's hold taken or
// released.
type slotHold struct {
	start time.Time
	take  bool
	techs []string // who may work the slot taken (see dispatch.SlotTechs)
}

// slotHolds lists the slot bookings to release and take when a job goes
// from before to after: an open job holds its slot, a finished one none.
func slotHolds(before, after dispatch.Job) []slotHold {
	held := func(j dispatch.Job) time.Time {
		if j.Open() {
			return j.SlotStart
		}
		return time.Time{}
	}
	b, a := held(before), held(after)
	if b.Equal(a) {
		return nil
	}
	var out []slotHold
	if !b.IsZero() {
		out = append(out, slotHold{start: b})
	}
	if !a.IsZero() {
		out = append(out, slotHold{start: a, take: true})
	}
	return out
}

// writeJob queues the writes that replace stored job before with after:
// the versioned hash, the open index and the technicians' sets, as the
// commit script does.
func (s *Store) writeJob(ctx context.Context, p redis.Pipeliner, company string, before bot.StoredJob, after dispatch.Job) {
	n := after.Number
	member := strconv.FormatInt(n, 10)
	data, _ := json.Marshal(after) // a dispatch.Job always encodes
	p.HSet(ctx, s.jobKey(company, n), "v", before.Version+1, "d", data)
	ix := s.indexMove(company, before.Job, after)
	if ix.open {
		p.ZAdd(ctx, s.key(company, "open"), redis.Z{Score: float64(after.Created.UnixMilli()), Member: member})
	} else {
		p.ZRem(ctx, s.key(company, "open"), member)
	}
	if ix.leave != "" {
		p.ZRem(ctx, ix.leave, member)
	}
	if ix.join != "" {
		p.ZAdd(ctx, ix.join, redis.Z{Score: float64(ix.score), Member: member})
	}
}
