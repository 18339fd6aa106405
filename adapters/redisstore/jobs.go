package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
	"dispatchbot/dispatch"
)

var (
	_ bot.Jobs   = (*Store)(nil)
	_ bot.Timers = (*Store)(nil)
)

// Job keys, all under the company's hash tag:
//
//	{co}:job:<n>     hash: v = version, d = the dispatch.Job as JSON
//	{co}:open        sorted set: numbers of unfinished jobs, scored by creation unix ms
//	{co}:tech:<id>   sorted set: numbers of the jobs offered or given to a technician, scored by bot.JobTime unix ms
//	{co}:duty        hash: technician id → "off" while off duty
//	{co}:timers      sorted set: bot.Timer members scored by due unix ms

func (s *Store) jobKey(company string, n int64) string {
	return s.key(company, "job:"+strconv.FormatInt(n, 10))
}

func (s *Store) techKey(company, tech string) string {
	return s.key(company, "tech:"+tech)
}

// jobIndex is how a job write moves a job in the indexes: whether it stays
// open, the technician set it leaves ("" for none) and the one it joins
// ("" for none) with its score there, bot.JobTime in unix ms.
type jobIndex struct {
	open        bool
	leave, join string
	score       int64
}

func (s *Store) indexMove(company string, before, after dispatch.Job) jobIndex {
	ix := jobIndex{open: after.Open()}
	was, is := bot.Holder(before), bot.Holder(after)
	if was != "" && was != is {
		ix.leave = s.techKey(company, was)
	}
	if is != "" {
		ix.join = s.techKey(company, is)
		ix.score = bot.JobTime(after).UnixMilli()
	}
	return ix
}

// jobArgs appends the jobs, timers and duty changes of c to the commit
// script's arguments.
func (s *Store) jobArgs(args []any, c bot.Change) ([]any, error) {
	args = append(args, strconv.Itoa(len(c.Jobs)))
	for _, w := range c.Jobs {
		j := w.After
		if j.Number <= 0 || j.Number != w.Before.Job.Number || w.Before.Version <= 0 {
			return nil, fmt.Errorf("job write %s: number %d, loaded %d at version %d",
				j.ID, j.Number, w.Before.Job.Number, w.Before.Version)
		}
		d, err := json.Marshal(j)
		if err != nil {
			return nil, fmt.Errorf("encode job %s: %w", j.ID, err)
		}
		ix := s.indexMove(c.Company, w.Before.Job, j)
		open, score := "0", ""
		if ix.open {
			open = "1"
		}
		if ix.join != "" {
			score = strconv.FormatInt(ix.score, 10)
		}
		args = append(args, s.jobKey(c.Company, j.Number), strconv.FormatInt(w.Before.Version, 10), d, open,
			strconv.FormatInt(j.Number, 10), strconv.FormatInt(j.Created.UnixMilli(), 10), ix.leave, ix.join, score)
	}
	args = append(args, strconv.Itoa(len(c.Timers)))
	for _, t := range c.Timers {
		if t.Kind == "" || t.Job <= 0 || t.At.IsZero() {
			return nil, fmt.Errorf("timer %q at %v: want a kind, a job and a time", t.Member(), t.At)
		}
		args = append(args, t.Member(), strconv.FormatInt(t.At.UnixMilli(), 10))
	}
	args = append(args, strconv.Itoa(len(c.Duty)))
	for _, tech := range slices.Sorted(maps.Keys(c.Duty)) {
		state := "off"
		if c.Duty[tech] {
			state = "on"
		}
		args = append(args, tech, state)
	}
	return args, nil
}

// Job returns job n of company with its version.
func (s *Store) Job(ctx context.Context, company string, n int64) (bot.StoredJob, error) {
	if err := checkCompany(company); err != nil {
		return bot.StoredJob{}, fmt.Errorf("redisstore: job: %w", err)
	}
	vals, err := s.rdb.HMGet(ctx, s.jobKey(company, n), "v", "d").Result()
	if err != nil {
		s.obs.StoreError("job")
		return bot.StoredJob{}, fmt.Errorf("redisstore: job %s %s: %w", company, dispatch.JobID(n), err)
	}
	sj, ok := s.decodeJob(company, n, vals)
	if !ok {
		return bot.StoredJob{}, fmt.Errorf("redisstore: job %s %s: %w", company, dispatch.JobID(n), bot.ErrNoJob)
	}
	return sj, nil
}

// decodeJob turns HMGET v d into a job; ok is false when the job is missing
// or does not decode (which is logged).
func (s *Store) decodeJob(company string, n int64, vals []any) (bot.StoredJob, bool) {
	if len(vals) != 2 {
		return bot.StoredJob{}, false
	}
	v, _ := vals[0].(string)
	d, _ := vals[1].(string)
	if v == "" {
		return bot.StoredJob{}, false
	}
	version, verr := strconv.ParseInt(v, 10, 64)
	var j dispatch.Job
	derr := json.Unmarshal([]byte(d), &j)
	if verr != nil || derr != nil {
		s.obs.StoreError("decode")
		s.log.Warn("redisstore: corrupt job skipped", "company", company, "job", dispatch.JobID(n), "err", errors.Join(verr, derr))
		return bot.StoredJob{}, false
	}
	return bot.StoredJob{Job: j, Version: version}, true
}

// jobsByNumber reads the jobs numbered in members in one round trip,
// skipping missing and corrupt ones.
func (s *Store) jobsByNumber(ctx context.Context, company string, members []string) ([]bot.StoredJob, error) {
	if len(members) == 0 {
		return nil, nil
	}
	nums := make([]int64, 0, len(members))
	cmds := make([]*redis.SliceCmd, 0, len(members))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, m := range members {
			n, err := strconv.ParseInt(m, 10, 64)
			if err != nil {
				continue
			}
			nums = append(nums, n)
			cmds = append(cmds, p.HMGet(ctx, s.jobKey(company, n), "v", "d"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]bot.StoredJob, 0, len(cmds))
	for i, c := range cmds {
		if sj, ok := s.decodeJob(company, nums[i], c.Val()); ok {
			out = append(out, sj)
		}
	}
	return out, nil
}

// OpenJobs returns the unfinished jobs of company, oldest first, in two
// round trips.
func (s *Store) OpenJobs(ctx context.Context, company string) ([]bot.StoredJob, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: open jobs: %w", err)
	}
	members, err := s.rdb.ZRange(ctx, s.key(company, "open"), 0, -1).Result()
	if err == nil {
		var jobs []bot.StoredJob
		jobs, err = s.jobsByNumber(ctx, company, members)
		if err == nil {
			return jobs, nil
		}
	}
	s.obs.StoreError("open_jobs")
	return nil, fmt.Errorf("redisstore: open jobs %s: %w", company, err)
}

// TechJobs returns the jobs of each technician in techs with a time in
// [from, to), in two round trips.
func (s *Store) TechJobs(ctx context.Context, company string, techs []string, from, to time.Time) (map[string][]bot.StoredJob, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: tech jobs: %w", err)
	}
	rng := &redis.ZRangeBy{Min: strconv.FormatInt(from.UnixMilli(), 10), Max: "(" + strconv.FormatInt(to.UnixMilli(), 10)}
	cmds := make([]*redis.StringSliceCmd, len(techs))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, t := range techs {
			cmds[i] = p.ZRangeByScore(ctx, s.techKey(company, t), rng)
		}
		return nil
	})
	if err != nil {
		s.obs.StoreError("tech_jobs")
		return nil, fmt.Errorf("redisstore: tech jobs %s: %w", company, err)
	}
	var all []string
	for _, c := range cmds {
		all = append(all, c.Val()...)
	}
	jobs, err := s.jobsByNumber(ctx, company, all)
	if err != nil {
		s.obs.StoreError("tech_jobs")
		return nil, fmt.Errorf("redisstore: tech jobs %s: %w", company, err)
	}
	byNumber := make(map[int64]bot.StoredJob, len(jobs))
	for _, j := range jobs {
		byNumber[j.Job.Number] = j
	}
	out := make(map[string][]bot.StoredJob, len(techs))
	for i, t := range techs {
		for _, m := range cmds[i].Val() {
			n, _ := strconv.ParseInt(m, 10, 64)
			if j, ok := byNumber[n]; ok && bot.Holder(j.Job) == t {
				out[t] = append(out[t], j)
			}
		}
	}
	return out, nil
}

// OffDuty returns the technicians of company who are off duty.
func (s *Store) OffDuty(ctx context.Context, company string) (map[string]bool, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: off duty: %w", err)
	}
	vals, err := s.rdb.HGetAll(ctx, s.key(company, "duty")).Result()
	if err != nil {
		s.obs.StoreError("duty")
		return nil, fmt.Errorf("redisstore: off duty %s: %w", company, err)
	}
	out := make(map[string]bool, len(vals))
	for tech, state := range vals {
		if state == "off" {
			out[tech] = true
		}
	}
	return out, nil
}

// History returns the jobs of company created in [from, to), oldest first.
func (s *Store) History(ctx context.Context, company string, from, to time.Time) ([]dispatch.Job, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: history: %w", err)
	}
	members, err := s.rdb.ZRangeByScore(ctx, s.key(company, "jobs"), &redis.ZRangeBy{
		Min: strconv.FormatInt(from.UnixMilli(), 10), Max: "(" + strconv.FormatInt(to.UnixMilli(), 10),
	}).Result()
	var jobs []bot.StoredJob
	if err == nil {
		jobs, err = s.jobsByNumber(ctx, company, members)
	}
	if err != nil {
		s.obs.StoreError("history")
		return nil, fmt.Errorf("redisstore: history %s: %w", company, err)
	}
	out := make([]dispatch.Job, len(jobs))
	for i, j := range jobs {
		out[i] = j.Job
	}
	return out, nil
}

// DueTimers leases the due job timers of company.
func (s *Store) DueTimers(ctx context.Context, company string, now time.Time, lease time.Duration, limit int) ([]bot.LeasedTimer, error) {
	if err := checkCompany(company); err != nil {
		return nil, fmt.Errorf("redisstore: due timers: %w", err)
	}
	end := now.Add(lease).UnixMilli()
	members, err := leaseScript.Run(ctx, s.rdb, []string{s.key(company, "timers")},
		strconv.FormatInt(now.UnixMilli(), 10), strconv.FormatInt(end, 10), strconv.Itoa(limit)).StringSlice()
	if err != nil {
		s.obs.StoreError("timers")
		return nil, fmt.Errorf("redisstore: due timers %s: %w", company, err)
	}
	out := make([]bot.LeasedTimer, 0, len(members))
	for _, m := range members {
		t, ok := bot.ParseTimer(m)
		if !ok {
			s.log.Warn("redisstore: undecodable timer dropped", "company", company, "member", m)
			_ = s.rdb.ZRem(ctx, s.key(company, "timers"), m).Err()
			continue
		}
		out = append(out, bot.LeasedTimer{Timer: t, Lease: end})
	}
	return out, nil
}

// FinishTimer removes a leased timer unless it was set again meanwhile.
func (s *Store) FinishTimer(ctx context.Context, company string, t bot.LeasedTimer) error {
	err := finishScript.Run(ctx, s.rdb, []string{s.key(company, "timers")},
		t.Member(), strconv.FormatInt(t.Lease, 10)).Err()
	if err != nil {
		s.obs.StoreError("timers")
		return fmt.Errorf("redisstore: finish timer %s: %w", company, err)
	}
	return nil
}
