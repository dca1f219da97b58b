/**
 * The Lua scripts of the Redis event store. Each runs atomically in Redis, so a stream's
 * sequence numbers are handed out exactly once and in the order the commands arrive, even
 * with many server instances appending (2025-11-25 basic/transports: resumability).
 * Entry ids are `<seq>-0` for events and `<seq>-1` for the end marker after event `seq`.
 */
import { fencedScript, redisScript } from './connection.ts';

/**
 * Find or create the stream of KEYS[1] (session+stream -> token), then append one event
 * when ARGV[4] is not empty. ARGV: new token, session id, stream id, json, maxEvents, ttlMs,
 * prefix, deadline (ms on Redis's clock, `RedisLink.writeDeadline`). Returns {token, seq},
 * or, fenced like every Redis write ({@link fencedScript}), the error `MCPWIRE_LATE` without
 * writing anything when Redis runs it after the deadline: its caller has been told it failed.
 */
export const APPEND = fencedScript('append', `
local p = ARGV[7]
local ttl = ARGV[6]
local token = redis.call('GET', KEYS[1])
if not token then
  token = ARGV[1]
  redis.call('HSET', p..'es:meta:'..token, 'sid', ARGV[2], 'stream', ARGV[3], 'last', 0)
  redis.call('SADD', p..'es:sess:'..ARGV[2], token)
end
local meta = p..'es:meta:'..token
local ev = p..'es:ev:'..token
local seq = tonumber(redis.call('HGET', meta, 'last') or '0')
if ARGV[4] ~= '' then
  seq = redis.call('HINCRBY', meta, 'last', 1)
  local keep = seq - tonumber(ARGV[5]) + 1
  if keep < 1 then keep = 1 end
  redis.call('XADD', ev, 'MINID', '=', keep..'-0', seq..'-0', 'm', ARGV[4])
  redis.call('PEXPIRE', ev, ttl)
end
redis.call('SET', KEYS[1], token, 'PX', ttl)
redis.call('PEXPIRE', meta, ttl)
redis.call('PEXPIRE', p..'es:sess:'..ARGV[2], ttl)
return {token, seq}
`);

/**
 * Check that a replay after event ARGV[2] of stream ARGV[1] is complete, and read it.
 * ARGV: token, seq, expected session id or '', prefix. Returns {'ok', sid, stream, last,
 * entries} (entries up to the end marker after `last`, when there is one), {'gone'} when the
 * stream is not (or no longer) stored, {'lost', last} for a seq past the stream's last (only
 * this script's APPEND issues seqs, so Redis lost the writes that issued it), or {reason}.
 */
export const REPLAY = redisScript('stream replay', `
local p = ARGV[4]
local meta = p..'es:meta:'..ARGV[1]
local f = redis.call('HMGET', meta, 'sid', 'stream', 'last')
if not f[1] then return {'gone'} end
if ARGV[3] ~= '' and f[1] ~= ARGV[3] then return {'wrong-session'} end
local last = tonumber(f[3])
local seq = tonumber(ARGV[2])
if seq > last then return {'lost', last} end
local ev = p..'es:ev:'..ARGV[1]
local base = last
local first = redis.call('XRANGE', ev, '-', '+', 'COUNT', 1)
if #first > 0 then
  local ms, sub = string.match(first[1][1], '^(%d+)-(%d+)$')
  base = tonumber(ms)
  if sub == '0' then base = base - 1 end
end
if seq < base then return {'evicted'} end
return {'ok', f[1], f[2], last, redis.call('XRANGE', ev, '('..seq..'-0', last..'-1')}
`);

/**
 * Mark the end of stream KEYS[1] (token ARGV[1]) after its last event and shorten its
 * retention to ARGV[2] ms. Ending twice adds nothing. ARGV: token, retentionMs, prefix.
 */
export const END = redisScript('stream end', `
local p = ARGV[3]
local token = redis.call('GET', KEYS[1])
if not token then return 0 end
local meta = p..'es:meta:'..token
local f = redis.call('HMGET', meta, 'last', 'ended')
if not f[1] then return 0 end
if f[2] == f[1] then return 0 end
redis.call('HSET', meta, 'ended', f[1])
local ev = p..'es:ev:'..token
redis.call('XADD', ev, f[1]..'-1', 'end', '1')
for _, k in ipairs({KEYS[1], meta, ev}) do redis.call('PEXPIRE', k, ARGV[2]) end
return 1
`);

/** Drop every stream of session ARGV[1]. ARGV: session id, prefix. */
export const DELETE_SESSION = redisScript('deletion of a session\'s streams', `
local p = ARGV[2]
local set = p..'es:sess:'..ARGV[1]
for _, token in ipairs(redis.call('SMEMBERS', set)) do
  local meta = p..'es:meta:'..token
  local stream = redis.call('HGET', meta, 'stream')
  if stream then redis.call('DEL', p..'es:key:'..string.len(ARGV[1])..':'..ARGV[1]..':'..stream) end
  redis.call('DEL', meta, p..'es:ev:'..token)
end
redis.call('DEL', set)
return 1
`);
