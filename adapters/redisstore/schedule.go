package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"dispatchbot/bot"
	"dispatchbot/config"
	"dispatchbot/conversation"
	"dispatchbot/dispatch"
)

var _ bot.Scheduler = (*Scheduler)(nil)

// ErrNotFound reports that a record does not exist.
var ErrNotFound = errors.New("redisstore: not found")

// DefaultSlotMinutes is the slot length of a company that sets none.
const DefaultSlotMinutes = 120

const (
	bookingTTL = 7 * 24 * time.Hour // how long a booking key answers retries
	urgentLead = 2 * time.Hour      // an urgent job is offered slots from now plus this
	firstJob   = 1001               // the number of a company's first job
	dateKey    = "2006-01-02"       // the day in slot-load keys
)

// Urgency values of conversation.Request that change how slots are offered.
const (
	urgencyEmergency = "emergency"
	urgencyUrgent    = "urgent"
)

// Scheduler implements bot.Scheduler on the Store's Redis: it offers the open
// slots of a company's technicians and books jobs into them, never more per
// slot than there are technicians to work it.
//
// Keys, all under the company's hash tag:
//
//	{co}:slotload:<yyyy-mm-dd>  hash: "<slot start unix s>:<job number>" → the ids of the technicians who
//	                            could work that booking, comma-separated (dispatch.Hold); kept until 3 days
//	                            after that local day
//	{co}:jobseq                 string: the last job number; the first is 1001
//	{co}:job:<number>           hash: v = version, d = the dispatch.Job as JSON (see jobs.go)
//	{co}:jobs                   sorted set: job numbers scored by creation unix ms
//	{co}:booking:<key>          string: the job id booked under an idempotency key; expires after 7 days
type Scheduler struct {
	s *Store
}

// NewScheduler returns a Scheduler that shares s's client and key prefix.
func NewScheduler(s *Store) *Scheduler {
	return &Scheduler{s: s}
}

// Slots returns up to n open slots for req, earliest first: from two hours
// after now for an urgent job, from tomorrow (in the company's time zone)
// for any other, and none for an emergency, which is not slotted. It reads
// the bookings of the days it looks at in one round trip.
func (sc *Scheduler) Slots(ctx context.Context, co *config.Company, req conversation.Request, now time.Time, n int) ([]conversation.Slot, error) {
	if err := checkCompany(co.ID); err != nil {
		return nil, fmt.Errorf("redisstore: slots: %w", err)
	}
	q := slotQuery(co, req)
	q.Now, q.N = now, n
	switch string(req.Urgency) {
	case urgencyEmergency:
		return nil, nil
	case urgencyUrgent:
		q.Earliest = now.Add(urgentLead)
	default:
		l := now.In(q.Loc)
		q.Earliest = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, q.Loc)
	}
	if n <= 0 {
		return nil, nil
	}
	dates := q.Dates()
	loads := make([]*redis.MapStringStringCmd, len(dates))
	_, err := sc.s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, d := range dates {
			loads[i] = p.HGetAll(ctx, sc.loadKey(co.ID, d))
		}
		return nil
	})
	if err != nil {
		sc.s.obs.StoreError("slots")
		return nil, fmt.Errorf("redisstore: slots %s: %w", co.ID, err)
	}
	for _, l := range loads {
		q.Booked = appendHolds(q.Booked, l.Val())
	}
	ws := dispatch.OpenSlots(q)
	if len(ws) == 0 {
		return nil, nil
	}
	out := make([]conversation.Slot, len(ws))
	for i, w := range ws {
		out[i] = conversation.Slot{Start: w.Start.UTC(), End: w.End.UTC()}
	}
	return out, nil
}

// Script results of bookScript other than a job id.
const resultSlotTaken = "SLOT_TAKEN"

// Book creates the job for b in one script: it returns the job already
// booked under b.Key if there is one, and otherwise holds the slot if the
// request has one, numbers the job, stores it as open and sets its match
// timer due at once, so a technician is sought even if the caller dies. It returns
// bot.ErrSlotTaken when the slot is full, already started or not one the
// company's technicians work.
func (sc *Scheduler) Book(ctx context.Context, co *config.Company, b bot.Booking) (string, error) {
	if err := checkCompany(co.ID); err != nil {
		return "", fmt.Errorf("redisstore: book: %w", err)
	}
	if b.Key == "" {
		return "", fmt.Errorf("redisstore: book %s: empty booking key", co.ID)
	}
	if b.At.IsZero() {
		b.At = time.Now()
	}
	data, err := json.Marshal(jobOf(co, b))
	if err != nil {
		return "", fmt.Errorf("redisstore: book %s: encode job: %w", co.ID, err)
	}
	keys := []string{
		sc.s.key(co.ID, "booking:"+b.Key),
		sc.s.key(co.ID, "jobseq"),
		sc.s.key(co.ID, "jobs"),
		sc.s.key(co.ID, "open"),
		sc.s.key(co.ID, "timers"),
	}
	args := []any{
		sc.s.key(co.ID, "job:"),
		strconv.FormatInt(bookingTTL.Milliseconds(), 10),
		dispatch.JobIDPrefix,
		strconv.Itoa(firstJob - 1),
		strconv.FormatInt(b.At.UnixMilli(), 10),
		data,
		"", "0", "0", "0",
		bot.TimerMatch + ":",
	}
	if sl := b.Request.Slot; sl != nil {
		q := slotQuery(co, b.Request)
		techs := dispatch.SlotTechs(q, sl.Start)
		if sl.Start.Before(b.At) {
			techs = nil
		}
		l := sl.Start.In(q.Loc)
		// A TTL from b.At rather than a deadline keeps the hash however far the
		// server's clock is from the caller's.
		keep := time.Date(l.Year(), l.Month(), l.Day()+3, 0, 0, 0, 0, q.Loc).Sub(b.At)
		keys = append(keys, sc.loadKey(co.ID, l))
		args[6] = strconv.FormatInt(sl.Start.Unix(), 10)
		args[7] = strings.Join(techs, ",")
		args[8] = strconv.FormatInt(max(keep.Milliseconds(), 1), 10)
		args[9] = strconv.FormatInt(int64(q.Span()/time.Second), 10)
	}
	res, err := bookScript.Run(ctx, sc.s.rdb, keys, args...).Text()
	if err != nil {
		sc.s.obs.StoreError("book")
		return "", fmt.Errorf("redisstore: book %s: %w", co.ID, err)
	}
	if res == resultSlotTaken {
		return "", fmt.Errorf("redisstore: book %s: %w", co.ID, bot.ErrSlotTaken)
	}
	return res, nil
}

// FetchJob returns the company's job with the given id, written "J-1001" or
// "1001". It returns an error wrapping ErrNotFound when there is none.
func (sc *Scheduler) FetchJob(ctx context.Context, company, id string) (dispatch.Job, error) {
	if err := checkCompany(company); err != nil {
		return dispatch.Job{}, fmt.Errorf("redisstore: fetch job: %w", err)
	}
	n, ok := dispatch.ParseJobID(id)
	if !ok {
		return dispatch.Job{}, fmt.Errorf("redisstore: fetch job %s %q: %w", company, id, ErrNotFound)
	}
	sj, err := sc.s.Job(ctx, company, n)
	if errors.Is(err, bot.ErrNoJob) {
		return dispatch.Job{}, fmt.Errorf("redisstore: fetch job %s %s: %w: %w", company, dispatch.JobID(n), ErrNotFound, err)
	}
	if err != nil {
		return dispatch.Job{}, fmt.Errorf("redisstore: fetch job: %w", err)
	}
	return sj.Job, nil
}

// slotQuery describes the slots of req at co, without times or bookings.
func slotQuery(co *config.Company, req conversation.Request) dispatch.SlotQuery {
	minutes := co.SlotMinutes
	if minutes <= 0 {
		minutes = DefaultSlotMinutes
	}
	loc := co.Location
	if loc == nil {
		loc = time.UTC
	}
	techs := make([]dispatch.Tech, len(co.Technicians))
	for i, t := range co.Technicians {
		techs[i] = dispatch.Tech{ID: t.ID, Trades: t.Trades, Areas: t.Areas, Hours: t.Hours}
	}
	return dispatch.SlotQuery{
		Loc:      loc,
		Length:   time.Duration(minutes) * time.Minute,
		Buffer:   time.Duration(co.TravelBufferMinutes) * time.Minute,
		Trade:    req.Trade,
		Postcode: req.Postcode,
		Techs:    techs,
	}
}

// jobOf builds the new job b asks for, without its id and number, which
// bookScript assigns. Its times are UTC.
func jobOf(co *config.Company, b bot.Booking) dispatch.Job {
	r := b.Request
	j := dispatch.Job{
		Company:   co.ID,
		Status:    dispatch.StatusNew,
		Urgency:   string(r.Urgency),
		Trade:     r.Trade,
		Problem:   r.Problem,
		Address:   r.Address,
		Postcode:  r.Postcode,
		Name:      r.Name,
		Access:    r.Access,
		MakeModel: r.MakeModel,
		ErrorCode: r.ErrorCode,
		Details:   r.Details,
		Photos:    r.Photos,
		Customer:  b.Customer.String(),
		Fee:       r.Fee,
		FeeAgreed: r.FeeAgreed,
		Created:   b.At.UTC(),
	}
	if r.Slot != nil {
		j.SlotStart, j.SlotEnd = r.Slot.Start.UTC(), r.Slot.End.UTC()
	}
	if !b.FirstMessage.IsZero() {
		j.FirstMessage = b.FirstMessage.UTC()
	}
	if p, ok := co.PointOf(r.Postcode); ok {
		j.Lat, j.Lon = p.Lat, p.Lon
	}
	return j
}

// bookScript creates a job once per idempotency key, holding a slot if asked.
//
// KEYS: 1 booking key, 2 job sequence, 3 job index (sorted set), 4 open
// jobs (sorted set), 5 job timers (sorted set), 6 the slot day's load hash
// (only with a slot).
// ARGV: 1 job key prefix, 2 booking TTL ms, 3 job id prefix, 4 sequence
// base (first number - 1), 5 created unix ms, 6 job JSON without "id" and
// "n" (an object with at least one field), 7 slot start unix s ("" = no
// slot), 8 the ids of the technicians who could work the slot,
// comma-separated (see dispatch.SlotTechs), 9 load hash TTL ms, 10 slot span
// s (length and travel buffer), 11 the match timer's member without the job
// number and the trailing ":".
// Returns the job id, or "SLOT_TAKEN" having written nothing. As in
// dispatch.Held, the slot is full when as many bookings as it has
// technicians start less than a span before or after it and could take one
// of them; a load field from before technicians were recorded (a bare start
// holding a count) counts against every slot it overlaps.
//
// The job key is built from ARGV[1] and the new number; it carries the same
// hash tag as KEYS, so the script stays on one Redis Cluster slot.
var bookScript = redis.NewScript(`
local id = redis.call('GET', KEYS[1])
if id then return id end
if ARGV[7] ~= '' then
  local at, span, held, cap, want = tonumber(ARGV[7]), tonumber(ARGV[10]), 0, 0, {}
  for t in string.gmatch(ARGV[8], '[^,]+') do want[t] = true; cap = cap + 1 end
  local load = redis.call('HGETALL', KEYS[6])
  for i = 1, #load, 2 do
    local s, job = string.match(load[i], '^(%-?%d+)(:?)')
    s = tonumber(s)
    if s and math.abs(s - at) < span then
      if job == '' then
        held = held + (tonumber(load[i + 1]) or 0)
      else
        for t in string.gmatch(load[i + 1], '[^,]+') do
          if want[t] then held = held + 1; break end
        end
      end
    end
  end
  if held >= cap then return 'SLOT_TAKEN' end
end
redis.call('SET', KEYS[2], ARGV[4], 'NX')
local n = string.format('%d', redis.call('INCR', KEYS[2]))
id = ARGV[3] .. n
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[6], ARGV[7] .. ':' .. n, ARGV[8])
  redis.call('PEXPIRE', KEYS[6], ARGV[9])
end
redis.call('HSET', ARGV[1] .. n, 'v', '1', 'd', '{"id":"' .. id .. '","n":' .. n .. ',' .. string.sub(ARGV[6], 2))
redis.call('ZADD', KEYS[3], ARGV[5], n)
redis.call('ZADD', KEYS[4], ARGV[5], n)
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[11] .. n .. ':')
redis.call('SET', KEYS[1], id, 'PX', ARGV[2])
return id
`)

// appendHolds adds the bookings of one slot-load hash to holds: fields
// "<start>:<job>" hold the listed technicians; a bare "<start>" field,
// written before technicians were recorded, holds its count of anyone.
func appendHolds(holds []dispatch.Hold, load map[string]string) []dispatch.Hold {
	for field, v := range load {
		at, job, ok := strings.Cut(field, ":")
		start, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			continue
		}
		if !ok {
			c, _ := strconv.Atoi(v)
			for range min(c, 1000) {
				holds = append(holds, dispatch.Hold{Start: time.Unix(start, 0)})
			}
			continue
		}
		n, _ := strconv.ParseInt(job, 10, 64)
		holds = append(holds, dispatch.Hold{Start: time.Unix(start, 0), Job: n, Techs: strings.Split(v, ",")})
	}
	return holds
}

var _ bot.SlotReleaser = (*Scheduler)(nil)

// ReleaseSlot drops job's hold on its slot, if it has one; releasing
// twice changes nothing.
func (sc *Scheduler) ReleaseSlot(ctx context.Context, co *config.Company, job dispatch.Job) error {
	if job.SlotStart.IsZero() {
		return nil
	}
	if err := checkCompany(co.ID); err != nil {
		return fmt.Errorf("redisstore: release slot: %w", err)
	}
	loc := co.Location
	if loc == nil {
		loc = time.UTC
	}
	load, field := sc.loadKey(co.ID, job.SlotStart.In(loc)), holdField(job.SlotStart, job.Number)
	if err := sc.s.rdb.HDel(ctx, load, field).Err(); err != nil {
		sc.s.obs.StoreError("release_slot")
		return fmt.Errorf("redisstore: release slot %s %s: %w", co.ID, job.ID, err)
	}
	return nil
}

// loadKey is the slot-load hash of the local day of at (in the company's
// time zone).
func (sc *Scheduler) loadKey(company string, at time.Time) string {
	return sc.s.key(company, "slotload:"+at.Format(dateKey))
}

// holdField is a booking's field in its day's slot-load hash.
func holdField(start time.Time, job int64) string {
	return strconv.FormatInt(start.Unix(), 10) + ":" + strconv.FormatInt(job, 10)
}
