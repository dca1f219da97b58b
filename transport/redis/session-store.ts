/**
 * Session state on Redis, for several server instances: one hash per session, loaded by id
 * when a request names a session this instance does not hold (never "load all at start").
 *
 * - `base`: the session's metadata without its in-flight calls, with a version `ver`
 *   (optimistic concurrency: an instance whose copy is older than the stored one cannot
 *   overwrite it; MCP_ERR_STATE). A save whose base this instance has not changed since it
 *   last wrote or read it leaves the stored base alone, with no conflict: it has nothing to
 *   add to a newer one (e.g. the initialize instance's save as the initialize stream ends,
 *   after another instance saved the client's `notifications/initialized`).
 * - `inf:<instance>`: the calls in flight on each instance, written only by that instance,
 *   so instances never overwrite each other's.
 * - the hash lives `ttlMs` after the session was last saved or used (a request to it).
 * - `alive:<instance>`: each instance's lease, renewed every `leaseMs / 3`. When it lapses
 *   (kill -9), one other instance wins `takeover:<session>:<instance>` (SET NX PX) and
 *   re-runs the interrupted calls (2025-11-25 basic/transports: resumability).
 */
import { createHash } from 'node:crypto';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { serializeMeta } from '../event-store/serialize.ts';
import type { SavedSessionState } from '../event-store/types.ts';
import { fencedScript, redisScript, type RedisLink } from './connection.ts';
import { redisKeys, scanPattern, type RedisKeys } from './keys.ts';

/** Options of {@link createRedisSessionStore}. */
export interface RedisSessionStoreOptions {
  prefix?: string;
  /** Lease of an instance (ms): its interrupted calls are re-run elsewhere this long after it died. Default 10 000. */
  leaseMs?: number;
  /** A session not saved for this long (ms) expires. Default 30 minutes. */
  ttlMs?: number;
  /** This instance's id. Default: random. */
  instanceId?: string;
  /** A lease renewal failed (Redis down): reported once per outage, retried on every beat. */
  onError?: (error: Error) => void;
}

/** Session state shared by instances (see the module comment). */
export interface RedisSessionStore {
  readonly instanceId: string;
  /** How long (ms) a session nobody used is kept (`ttlMs`). */
  readonly ttlMs: number;
  /** Renew this instance's lease now (also done every `leaseMs / 3`). */
  beat(): Promise<void>;
  /**
   * Write these keys again (SET NX, the value given) at every beat when they are missing: a
   * FLUSHALL (or a DEL) while instances run left the requestState and stream tag keys gone
   * until a reconnect, and an instance started meanwhile made its own.
   */
  keepShared(entries: ReadonlyArray<readonly [key: string, value: string]>): void;
  saveSession(sessionId: string, meta: Record<string, unknown>): Promise<void>;
  /** The session's metadata with no in-flight calls, or undefined when unknown. */
  loadSession(sessionId: string): Promise<Record<string, unknown> | undefined>;
  /** Every stored session (a scan; for tools and the contract, not for a server's start). */
  loadSessions(): Promise<SavedSessionState[]>;
  /**
   * The in-flight calls that instances whose lease lapsed left in the session, now owned by
   * this instance (each batch is handed to one instance only); empty when there are none.
   */
  claimInterrupted(sessionId: string): Promise<unknown[]>;
  deleteSession(sessionId: string): Promise<void>;
  /**
   * True once any instance deleted the session (kept `ttlMs`). Asked on every request to the
   * session, so it also renews the session's record for `ttlMs`: a session in use does not
   * expire, whether or not its requests change what is saved.
   */
  sessionEnded(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Save a session's base (when its version matches) and this instance's calls in flight.
 * Fenced: a save reported failed must not land later, when it may be older than one made
 * since on another connection (after a reconnect), and overwrite the calls in flight.
 * Writes nothing for a session deleted (KEYS[2], `ended:<id>`: returns 2) or one this
 * instance saved or read before that is gone (expired, Redis emptied: returns 3); else
 * {conflict 0 or 1, version}. ARGV[6] '1': the base is the one this instance last knew,
 * stored as version ARGV[4]; it is written only when nothing newer is stored, never a conflict.
 */
const SAVE = fencedScript('session save', `
if redis.call('EXISTS', KEYS[2]) == 1 then return {2, 0} end
local cur = redis.call('HMGET', KEYS[1], 'base', 'ver')
if not cur[1] and tonumber(ARGV[4]) > 0 then return {3, 0} end
local ver = tonumber(cur[2] or '0')
local conflict = 0
if cur[1] ~= ARGV[2] then
  if tonumber(ARGV[4]) ~= ver then
    if ARGV[6] ~= '1' then conflict = 1 end
  else
    ver = ver + 1
    redis.call('HSET', KEYS[1], 'base', ARGV[2], 'ver', ver)
  end
end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'inf:'..ARGV[1])
else redis.call('HSET', KEYS[1], 'inf:'..ARGV[1], ARGV[3]) end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return {conflict, ver}
`);

/**
 * Move the in-flight calls of instances whose lease lapsed to ARGV[1]. ARGV: me, leaseMs,
 * prefix, takeover key prefix, deadline. Fenced: a claim reported failed that ran later
 * would take calls no instance then re-runs.
 */
const CLAIM = fencedScript('claim of interrupted calls', `
local p = ARGV[3]
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local field = all[i]
  if string.sub(field, 1, 4) == 'inf:' then
    local owner = string.sub(field, 5)
    if owner ~= ARGV[1] and redis.call('EXISTS', p..'alive:'..owner) == 0 then
      if redis.call('SET', ARGV[4]..owner, ARGV[1], 'NX', 'PX', ARGV[2]) then
        table.insert(out, all[i + 1])
        redis.call('HDEL', KEYS[1], field)
      end
    end
  end
end
return out
`);

/**
 * Renew this instance's lease (KEYS[1], `alive:<instance>`) for ARGV[2] ms. Runs when Redis is
 * out of memory (allow-oom; one small key), as task leases do: a renewal refused there let the
 * lease of a live instance lapse, and once Redis had room another instance claimed its calls
 * as a dead one's and ran them a second time. Not fenced: a renewal that lands late extends
 * a lease by at most `leaseMs`. KEYS[2..] with ARGV[3..]: the deployment's shared keys
 * ({@link RedisSessionStore.keepShared}), written again when missing (SET NX).
 */
const BEAT = redisScript('lease renewal', `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 1], 'NX') end
return 1
`, { allowOom: true });

/**
 * Whether the session was deleted (KEYS[1], `ended:<id>`); if not, its record (KEYS[2]) lives
 * ARGV[1] ms more. Not fenced: a renewal that lands late only keeps the record a little longer.
 */
const IN_USE = redisScript('session renewal', `
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 0
`);

/** Create the session store on `link` and start this instance's lease. */
export async function createRedisSessionStore(link: RedisLink, options: RedisSessionStoreOptions = {}): Promise<RedisSessionStore> {
  const store = new SessionStore(link, redisKeys(options.prefix), options);
  await store.beat();
  return store;
}

class SessionStore implements RedisSessionStore {
  readonly instanceId: string;
  readonly #link: RedisLink;
  readonly #keys: RedisKeys;
  readonly #leaseMs: number;
  readonly #ttlMs: number;
  readonly #onError: (error: Error) => void;
  /** Version and digest of each session's base as this instance last read or wrote it. */
  readonly #versions = new Map<string, { version: number; digest: string }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** Keys written again at each beat when missing ({@link RedisSessionStore.keepShared}). */
  #shared: ReadonlyArray<readonly [string, string]> = [];
  /** A renewal failed and none has succeeded since: the outage was reported already. */
  #renewalFailing = false;

  constructor(link: RedisLink, keys: RedisKeys, options: RedisSessionStoreOptions) {
    this.#link = link;
    this.#keys = keys;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 30 * 60 * 1000;
    if (!Number.isSafeInteger(this.#leaseMs) || this.#leaseMs < 30) throw new McpError(LocalErrorCode.Validation, `leaseMs must be an integer of at least 30, got ${this.#leaseMs}`);
    this.instanceId = options.instanceId ?? Buffer.from(crypto.getRandomValues(new Uint8Array(9))).toString('base64url');
    this.#onError = options.onError ?? (() => {});
    this.#timer = setInterval(() => this.#renew(), Math.floor(this.#leaseMs / 3));
    this.#timer.unref();
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** A beat of the timer: an outage is reported once, not once per beat (every third of the lease). */
  #renew(): void {
    this.beat().then(() => { this.#renewalFailing = false; }, (error: Error) => {
      if (this.#renewalFailing) return;
      this.#renewalFailing = true;
      this.#onError(new McpError(LocalErrorCode.Store, `cannot renew this instance's lease (retried every ${Math.floor(this.#leaseMs / 3)} ms, reported again only after a renewal succeeded): ${error.message}`, { cause: error }));
    });
  }

  keepShared(entries: ReadonlyArray<readonly [key: string, value: string]>): void {
    this.#shared = entries;
  }

  /** Renew this instance's lease (and write the shared keys again where missing). */
  async beat(): Promise<void> {
    if (this.#closed) return;
    await this.#link.eval(BEAT, [this.#keys.alive(this.instanceId), ...this.#shared.map(([key]) => key)], [String(Date.now()), this.#leaseMs, ...this.#shared.map(([, value]) => value)]);
  }

  async saveSession(sessionId: string, meta: Record<string, unknown>): Promise<void> {
    this.#checkOpen();
    const { inflight, ...base } = meta;
    const hasInflight = Array.isArray(inflight) && inflight.length > 0;
    const known = this.#versions.get(sessionId);
    const expected = known?.version ?? 0;
    const json = serializeMeta(base);
    const digest = digestOf(json);
    const unchanged = known?.digest === digest;
    const [outcome, version] = await this.#link.eval(SAVE, [this.#keys.session(sessionId), this.#keys.ended(sessionId)], [
      this.instanceId, json, hasInflight ? serializeMeta({ inflight }) : '', expected, this.#ttlMs, unchanged ? '1' : '0', this.#link.writeDeadline(),
    ], `session ${sessionId}`) as [number, number];
    const conflict = Number(outcome);
    // Deleted by the client through another instance: this copy ends at its next request here.
    if (conflict === 2) return;
    if (conflict === 3) {
      throw new McpError(LocalErrorCode.State, `session ${sessionId} is no longer in Redis (unused for ttlMs, ${this.#ttlMs} ms, or Redis lost its data): its state from this instance is not saved, and other instances answer 404 for it`);
    }
    if (conflict === 1) {
      throw new McpError(LocalErrorCode.State, `session ${sessionId} was changed by another instance (version ${version}, this one had ${expected}): its state from this instance is not saved`);
    }
    // A newer base another instance stored stays unknown here until this one reads or writes it.
    if (unchanged && Number(version) !== expected) return;
    this.#remember(sessionId, Number(version), digest);
  }

  /** Bounded: a forgotten version reads as 0, so a save of a long-idle copy is refused, never blind. */
  #remember(sessionId: string, version: number, digest: string): void {
    this.#versions.delete(sessionId);
    this.#versions.set(sessionId, { version, digest });
    if (this.#versions.size > 100_000) this.#versions.delete(this.#versions.keys().next().value!);
  }

  async loadSession(sessionId: string): Promise<Record<string, unknown> | undefined> {
    this.#checkOpen();
    const [base, ver] = await this.#link.send(['HMGET', this.#keys.session(sessionId), 'base', 'ver']) as [string | null, string | null];
    if (base === null) return undefined;
    this.#remember(sessionId, Number(ver ?? 0), digestOf(base));
    return JSON.parse(base) as Record<string, unknown>;
  }

  async loadSessions(): Promise<SavedSessionState[]> {
    this.#checkOpen();
    const found: SavedSessionState[] = [];
    const head = this.#keys.session('');
    let cursor = '0';
    do {
      const [next, keys] = await this.#link.send(['SCAN', cursor, 'MATCH', scanPattern(head), 'COUNT', 500]) as [string, string[]];
      cursor = next;
      for (const key of keys) {
        const sessionId = key.slice(head.length);
        const meta = await this.loadSession(sessionId);
        if (meta) found.push({ sessionId, meta });
      }
    } while (cursor !== '0');
    return found;
  }

  async claimInterrupted(sessionId: string): Promise<unknown[]> {
    this.#checkOpen();
    const key = this.#keys.session(sessionId);
    const claimed = await this.#link.eval(CLAIM, [key], [this.instanceId, this.#leaseMs, this.#keys.prefix, this.#keys.takeover(sessionId, ''), this.#link.writeDeadline()], `session ${sessionId}`) as string[];
    return claimed.flatMap((json) => (JSON.parse(json) as { inflight: unknown[] }).inflight);
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.#checkOpen();
    this.#versions.delete(sessionId);
    await this.#link.send(['SET', this.#keys.ended(sessionId), '1', 'PX', this.#ttlMs]);
    await this.#link.send(['DEL', this.#keys.session(sessionId)]);
  }

  async sessionEnded(sessionId: string): Promise<boolean> {
    this.#checkOpen();
    return Number(await this.#link.eval(IN_USE, [this.#keys.ended(sessionId), this.#keys.session(sessionId)], [this.#ttlMs], `session ${sessionId}`)) === 1;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    // A clean stop gives up the lease at once: another instance may re-run what is left.
    await this.#link.send(['DEL', this.#keys.alive(this.instanceId)]).catch((e: Error) => this.#onError(e));
  }

  #checkOpen(): void {
    if (this.#closed) throw new McpError(LocalErrorCode.Closed, 'The session store is closed');
  }
}

/** A short fingerprint of a base as serialized (20 bytes kept per session, not the base). */
function digestOf(json: string): string {
  return createHash('sha1').update(json).digest('base64');
}
