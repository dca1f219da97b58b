/**
 * The Lua scripts of the Redis task store (task-store.ts). Each runs atomically in Redis, so
 * limits, evictions and compare-and-set changes hold across every instance sharing the prefix
 * (2025-11-25 basic/utilities/tasks). Writes a caller was told failed must not land later:
 * those are fenced (connection.ts).
 */
import { fencedScript, redisScript } from './connection.ts';

const DROP = `
local function drop(p, id)
  local owner = redis.call('HGET', p..'tasks:owner', id)
  if owner then redis.call('SREM', p..'tasks:live:'..owner, id) end
  redis.call('DEL', p..'task:'..id)
  redis.call('ZREM', p..'tasks:order', id)
  redis.call('ZREM', p..'tasks:expiry', id)
  redis.call('SREM', p..'tasks:terminal', id)
  redis.call('HDEL', p..'tasks:owner', id)
  local b = redis.call('HGET', p..'tasks:bytes', id)
  if b then redis.call('HDEL', p..'tasks:bytes', id) redis.call('DECRBY', p..'tasks:total', b) end
end
`;

/**
 * Make room for a record of `owner` (id `self`) so that the store holds at most `max`
 * records and `maxBytes` bytes, given `count` as it would be with it and `delta`, the
 * bytes it adds. Over maxBytes, the sum is counted again from `tasks:bytes` first (keys
 * evicted under an evicting maxmemory-policy would otherwise leave it too high for good). The
 * owner's oldest finished records go first, then the oldest finished ones (maxTasks,
 * maxTotalBytes). Nothing is dropped unless that makes room; then 'full' (records) or
 * 'bytes' (bytes). A record stored by an older version has no size in `tasks:bytes`: 0.
 */
const ROOM = `
local function room(p, owner, self, count, max, delta, maxBytes)
  local bytes = (tonumber(redis.call('GET', p..'tasks:total')) or 0) + delta
  if bytes > maxBytes then
    local sum = 0
    for _, b in ipairs(redis.call('HVALS', p..'tasks:bytes')) do sum = sum + tonumber(b) end
    redis.call('SET', p..'tasks:total', sum)
    bytes = sum + delta
  end
  if count <= max and bytes <= maxBytes then return 'ok' end
  local mine, others = {}, {}
  for _, id in ipairs(redis.call('ZRANGE', p..'tasks:order', 0, -1)) do
    if id ~= self and redis.call('SISMEMBER', p..'tasks:terminal', id) == 1 then
      if redis.call('HGET', p..'tasks:owner', id) == owner then mine[#mine + 1] = id else others[#others + 1] = id end
    end
  end
  local victims = {}
  for _, list in ipairs({ mine, others }) do
    for _, id in ipairs(list) do
      victims[#victims + 1] = id
      count = count - 1
      bytes = bytes - (tonumber(redis.call('HGET', p..'tasks:bytes', id)) or 0)
      if count <= max and bytes <= maxBytes then
        for _, v in ipairs(victims) do drop(p, v) end
        return 'ok'
      end
    end
  end
  if count > max then return 'full' end
  return 'bytes'
end
`;

/**
 * The time the expiry scores are on, as `now` in Lua: ARGV[i] when the caller passes one (an
 * injected clock: tests), else Redis's `TIME`, in ms.
 */
function nowFrom(arg: string): string {
  return `local now = tonumber(${arg})
if not now then local t = redis.call('TIME') now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
`;
}

/**
 * ARGV: prefix, id, json, terminal (0/1), maxTasks, now or '' (Redis's clock), ms left of the
 * TTL or '+inf' (the expiry score is now + that), real ttl ms or '',
 * owner, unfinished tasks allowed per owner or '', maxTotalBytes, deadline (last: connection.ts).
 * When full (ROOM), the oldest finished task of the same owner goes first, else the oldest
 * finished one (`tasks:owner`; a task stored by an older version has no entry there). Each
 * record's size is kept in `tasks:bytes`, their sum in `tasks:total`. An owner's unfinished tasks are the set
 * `tasks:live:<owner>` (counted here, atomically, for every instance: maxTasksPerPrincipal).
 * Fenced (connection.ts): a creation reported failed that landed later would be a task its
 * client never heard of, run by the next sweep.
 */
export const CREATE = fencedScript('task creation', `${DROP}${ROOM}
${nowFrom('ARGV[6]')}
local p = ARGV[1]
local order = p..'tasks:order'
local live = p..'tasks:live:'..ARGV[9]
if redis.call('ZSCORE', order, ARGV[2]) then return 'exists' end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p..'tasks:expiry', '-inf', now)) do drop(p, id) end
if ARGV[4] == '0' and ARGV[10] ~= '' and redis.call('SCARD', live) >= tonumber(ARGV[10]) then return 'owner-full' end
local size = string.len(ARGV[3])
local made = room(p, ARGV[9], ARGV[2], redis.call('ZCARD', order) + 1, tonumber(ARGV[5]), size, tonumber(ARGV[11]))
if made ~= 'ok' then return made end
local seq = redis.call('INCR', p..'tasks:seq')
local key = p..'task:'..ARGV[2]
redis.call('SET', key, ARGV[3])
if ARGV[8] ~= '' then redis.call('PEXPIRE', key, ARGV[8]) end
redis.call('ZADD', order, seq, ARGV[2])
redis.call('ZADD', p..'tasks:expiry', ARGV[7] == '+inf' and '+inf' or now + tonumber(ARGV[7]), ARGV[2])
if ARGV[4] == '1' then redis.call('SADD', p..'tasks:terminal', ARGV[2]) else redis.call('SADD', live, ARGV[2]) end
redis.call('HSET', p..'tasks:owner', ARGV[2], ARGV[9])
redis.call('HSET', p..'tasks:bytes', ARGV[2], size)
redis.call('INCRBY', p..'tasks:total', size)
return 'ok'
`);

/**
 * Replace KEYS[1] by ARGV[2] only if it still holds ARGV[1]. ARGV: old, new, terminal,
 * prefix, id, owner (a finished task leaves its owner's unfinished set), maxTasks,
 * maxTotalBytes, deadline. A record that grows past maxTotalBytes first evicts finished ones
 * (ROOM), else is refused ('bytes'). Fenced: a change reported failed (a cancel, an answer)
 * is not made.
 */
export const SWAP = fencedScript('task change', `${DROP}${ROOM}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local p, size = ARGV[4], string.len(ARGV[2])
local was = tonumber(redis.call('HGET', p..'tasks:bytes', ARGV[5])) or 0 -- an older version's record: not counted
local made = room(p, ARGV[6], ARGV[5], redis.call('ZCARD', p..'tasks:order'), tonumber(ARGV[7]), size - was, tonumber(ARGV[8]))
if made ~= 'ok' then return made end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
redis.call('HSET', p..'tasks:bytes', ARGV[5], size)
redis.call('INCRBY', p..'tasks:total', size - was)
if ARGV[3] == '1' then
  redis.call('SADD', ARGV[4]..'tasks:terminal', ARGV[5])
  redis.call('SREM', ARGV[4]..'tasks:live:'..ARGV[6], ARGV[5])
end
return 1
`);

/**
 * The record at KEYS[1], or nil when unknown or past its expiry score (then deleted).
 * ARGV: prefix, id, now or '' (Redis's clock).
 */
export const READ = redisScript('task read', `${DROP}
${nowFrom('ARGV[3]')}
local json = redis.call('GET', KEYS[1])
if not json then return nil end
local expiry = tonumber(redis.call('ZSCORE', ARGV[1]..'tasks:expiry', ARGV[2]))
if expiry and expiry <= now then drop(ARGV[1], ARGV[2]) return nil end
return json
`);

/** ARGV: prefix, ids... */
export const PURGE = redisScript('deletion of expired tasks', `${DROP}
for i = 2, #ARGV do drop(ARGV[1], ARGV[i]) end
return 1
`);

/**
 * Take KEYS[1] (`<until> <holder>`) for ARGV[1] unless another holder's lease runs past now.
 * ARGV: holder, now ('' : Redis's own clock, `TIME`, read by the fence), ms, px (the key
 * outlives the lease a little; the stored time decides, so an injected clock works),
 * deadline. Redis's clock by default: one clock for every instance, so an instance whose
 * wall clock is ahead (skew, a step after a VM resumes) does not take a lease another still
 * renews, and run its task a second time. Fenced: a lease reported not taken must not be
 * held later, barring the task from others for a lease. Runs when Redis is out of memory
 * (allow-oom; a lease is one small key): a renewal refused there let the lease of a live run
 * lapse, and once Redis had room another instance took the task over and ran it a second time.
 */
export const LEASE = fencedScript('task lease', `
local now = tonumber(ARGV[2])
if not now then now = tonumber(mcpwire_now[1]) * 1000 + math.floor(tonumber(mcpwire_now[2]) / 1000) end
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, ' ', 1, true)
  local holder = string.sub(cur, sep + 1)
  if holder ~= ARGV[1] and tonumber(string.sub(cur, 1, sep - 1)) > now then return 0 end
end
redis.call('SET', KEYS[1], (now + tonumber(ARGV[3]))..' '..ARGV[1], 'PX', ARGV[4])
return 1
`, { allowOom: true });

/**
 * At open (openRedisTaskStore): bring the shared records within this instance's maxTasks and
 * maxTotalBytes. ARGV: prefix, maxTasks, maxTotalBytes, now or '' (Redis's clock). The sum of
 * sizes is counted again, expired records dropped, then the oldest finished ones, until they
 * fit; unfinished records are kept. One script, so no other instance's write falls between
 * the count and the deletions. Returns { records held, bytes held, expired, evicted, records
 * left, bytes left }.
 */
export const FIT = redisScript('task store trim', `${DROP}
${nowFrom('ARGV[4]')}
local p, max, maxBytes = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local sum = 0
for _, b in ipairs(redis.call('HVALS', p..'tasks:bytes')) do sum = sum + tonumber(b) end
redis.call('SET', p..'tasks:total', sum)
local heldCount, heldBytes = redis.call('ZCARD', p..'tasks:order'), sum
if heldCount <= max and heldBytes <= maxBytes then return { heldCount, heldBytes, 0, 0, heldCount, heldBytes } end
local expired = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p..'tasks:expiry', '-inf', now)) do drop(p, id) expired = expired + 1 end
local count = redis.call('ZCARD', p..'tasks:order')
local bytes = tonumber(redis.call('GET', p..'tasks:total')) or 0
local evicted = 0
for _, id in ipairs(redis.call('ZRANGE', p..'tasks:order', 0, -1)) do
  if count <= max and bytes <= maxBytes then break end
  if redis.call('SISMEMBER', p..'tasks:terminal', id) == 1 then
    bytes = bytes - (tonumber(redis.call('HGET', p..'tasks:bytes', id)) or 0)
    count = count - 1
    evicted = evicted + 1
    drop(p, id)
  end
end
return { heldCount, heldBytes, expired, evicted, count, bytes }
`);

/** Delete KEYS[1] if ARGV[1] holds it. */
export const RELEASE = redisScript('task lease release', `
local cur = redis.call('GET', KEYS[1])
if cur and string.sub(cur, string.find(cur, ' ', 1, true) + 1) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);
