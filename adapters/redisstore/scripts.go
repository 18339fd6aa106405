package redisstore

import "github.com/redis/go-redis/v9"

// The scripts pass numbers as decimal strings in both directions: Redis turns
// Lua numbers into strings in ways that differ between versions.

// commitScript applies one bot.Change.
//
// KEYS: 1 seen mark, 2 session hash, 3 opt-out set, 4 outbox stream,
// 5 wake-up sorted set, 6 job timer sorted set, 7 duty hash, 8 open-job
// sorted set, 9 quiet set.
// ARGV: 1 seen TTL ms ("" = no provider id), 2 expected version ("" = no
// session), 3 new version, 4 session JSON, 5 session TTL ms, 6 opt-out
// ("" = unchanged, "1" = set, "0" = clear), 7 address, 8 enqueued unix ms,
// 9 wake-up unix ms ("" = none), 10 chat key prefix, 11 chat line head
// ({"at":"…","in":), 12 heard text as a JSON string ("" = none), 13 chat
// TTL ms, 14 chat trim start (minus the cap), 15 message count M, then per
// message 3 values: its JSON, its recipient's address after a flag
// character ("r" = routine, "-" = not) and its text as a JSON string; then
// the job count J and per job 9 values: job key, expected version, job
// JSON, "1" if open, job number, open score, technician set to leave
// ("" = none), technician set to join ("" = none) and its score; then the
// timer count T and T pairs of member and due unix ms; then the duty count
// D and D pairs of technician and "on" or "off"; then the quiet count Q
// and Q pairs of dispatcher address and "1" (mute) or "0" (unmute).
// Returns "OK", "DUPLICATE" or "CONFLICT"; the last two write nothing.
//
// Quiet changes apply before the outbox, so a change that mutes a
// dispatcher already drops its own routine alerts to them. A routine
// message to a muted address is neither enqueued nor kept in a transcript.
//
// Job, technician-set and chat keys are built from ARGV, under the same
// hash tag as KEYS, so the script stays on one Redis Cluster slot.
var commitScript = redis.NewScript(`
if ARGV[1] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then
  return 'DUPLICATE'
end
if ARGV[2] ~= '' then
  local v = redis.call('HGET', KEYS[2], 'v')
  if not v then v = '0' end
  if v ~= ARGV[2] then return 'CONFLICT' end
end
local m = tonumber(ARGV[15])
local j0 = 16 + m * 3
local jobs = tonumber(ARGV[j0])
for i = 0, jobs - 1 do
  local b = j0 + 1 + i * 9
  local v = redis.call('HGET', ARGV[b], 'v')
  if not v then v = '0' end
  if v ~= ARGV[b + 1] then return 'CONFLICT' end
end
if ARGV[1] ~= '' then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[2], 'v', ARGV[3], 'd', ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
if ARGV[6] == '1' then
  redis.call('SADD', KEYS[3], ARGV[7])
elseif ARGV[6] == '0' then
  redis.call('SREM', KEYS[3], ARGV[7])
end
if ARGV[9] ~= '' then
  redis.call('ZADD', KEYS[5], ARGV[9], ARGV[7])
end
local t0 = j0 + 1 + jobs * 9
local d0 = t0 + 1 + tonumber(ARGV[t0]) * 2
local q0 = d0 + 1 + tonumber(ARGV[d0]) * 2
for i = 0, tonumber(ARGV[q0]) - 1 do
  if ARGV[q0 + 2 + i * 2] == '1' then
    redis.call('SADD', KEYS[9], ARGV[q0 + 1 + i * 2])
  else
    redis.call('SREM', KEYS[9], ARGV[q0 + 1 + i * 2])
  end
end
local chats, touched = {}, {}
local function keep(addr, dir, text)
  local k = ARGV[10] .. addr
  redis.call('RPUSH', k, ARGV[11] .. dir .. text)
  if not touched[k] then
    touched[k] = true
    chats[#chats + 1] = k
  end
end
if ARGV[12] ~= '' then keep(ARGV[7], '<', ARGV[12]) end
for b = 16, 15 + m * 3, 3 do
  local to = ARGV[b + 1]
  local addr = string.sub(to, 2)
  if string.sub(to, 1, 1) ~= 'r' or redis.call('SISMEMBER', KEYS[9], addr) == 0 then
    redis.call('XADD', KEYS[4], '*', 'm', ARGV[b], 'a', '0', 't', ARGV[8])
    keep(addr, '>', ARGV[b + 2])
  end
end
for _, k in ipairs(chats) do
  redis.call('LTRIM', k, ARGV[14], '-1')
  redis.call('PEXPIRE', k, ARGV[13])
end
for i = 0, jobs - 1 do
  local b = j0 + 1 + i * 9
  redis.call('HSET', ARGV[b], 'v', tostring(tonumber(ARGV[b + 1]) + 1), 'd', ARGV[b + 2])
  if ARGV[b + 3] == '1' then
    redis.call('ZADD', KEYS[8], ARGV[b + 5], ARGV[b + 4])
  else
    redis.call('ZREM', KEYS[8], ARGV[b + 4])
  end
  if ARGV[b + 6] ~= '' then redis.call('ZREM', ARGV[b + 6], ARGV[b + 4]) end
  if ARGV[b + 7] ~= '' then redis.call('ZADD', ARGV[b + 7], ARGV[b + 8], ARGV[b + 4]) end
end
for i = 0, tonumber(ARGV[t0]) - 1 do
  redis.call('ZADD', KEYS[6], ARGV[t0 + 2 + i * 2], ARGV[t0 + 1 + i * 2])
end
for i = 0, tonumber(ARGV[d0]) - 1 do
  if ARGV[d0 + 2 + i * 2] == 'off' then
    redis.call('HSET', KEYS[7], ARGV[d0 + 1 + i * 2], 'off')
  else
    redis.call('HDEL', KEYS[7], ARGV[d0 + 1 + i * 2])
  end
end
return 'OK'
`)

// retryScript moves a pending outbox entry to the retry schedule. It does
// nothing when the entry is no longer pending (another consumer settled it).
//
// KEYS: 1 outbox stream, 2 retry sorted set.
// ARGV: 1 group, 2 entry id, 3 due unix ms, 4 retry member.
var retryScript = redis.NewScript(`
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`)

// buryScript moves a pending outbox entry to the dead letters. It does
// nothing when the entry is no longer pending.
//
// KEYS: 1 outbox stream, 2 dead-letter stream.
// ARGV: 1 group, 2 entry id, 3 message, 4 attempt, 5 enqueued unix ms,
// 6 reason, 7 dead-letter cap.
var buryScript = redis.NewScript(`
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[7], '*',
  'm', ARGV[3], 'a', ARGV[4], 't', ARGV[5], 'reason', ARGV[6])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`)

// promoteScript moves due retries back into the outbox, each exactly once
// even when several instances run it at the same time. A member that does
// not decode goes to the dead letters with reason "undecodable".
//
// KEYS: 1 retry sorted set, 2 outbox stream, 3 dead-letter stream.
// ARGV: 1 now unix ms, 2 limit, 3 dead-letter cap.
// Returns {moved, buried}.
var promoteScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', '0', ARGV[2])
local moved, buried = 0, 0
for _, member in ipairs(due) do
  local ok, e = pcall(cjson.decode, member)
  if ok and type(e) == 'table' and type(e.m) == 'string'
      and type(e.a) == 'string' and type(e.t) == 'string' then
    redis.call('XADD', KEYS[2], '*', 'm', e.m, 'a', e.a, 't', e.t)
    moved = moved + 1
  else
    redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[3], '*',
      'm', member, 'a', '', 't', '', 'reason', 'undecodable')
    buried = buried + 1
  end
  redis.call('ZREM', KEYS[1], member)
end
return {moved, buried}
`)

// appendSimScript numbers one simulator message and adds it to the log.
//
// KEYS: 1 sequence counter, 2 log sorted set.
// ARGV: 1 the message as JSON without its opening '{"seq":0,', 2 trim end
// (minus the cap, minus one).
// Returns the message's sequence number.
var appendSimScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], n, '{"seq":' .. n .. ',' .. ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], '0', ARGV[2])
return tostring(n)
`)
