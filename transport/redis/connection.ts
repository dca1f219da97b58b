/**
 * One connection to Redis for the stores of this folder, through `@redis/client`, spoken in
 * raw commands (`send`) so the stores depend on Redis, not on the client's typed wrappers.
 * Every failure (Redis down, a refused command) rejects with MCP_ERR_STORE naming the
 * command; commands are never queued while the connection is down (a caller gets a clear
 * error at once, not a hang), a command Redis does not answer (the server frozen, its host
 * gone without a reset) fails after `commandTimeoutMs`, and the client reconnects by itself.
 */
import { createClient, TimeoutReadError } from '@redis/client';
import { connectFailure, isLoading, refusedByRedis, scriptError, storeError } from './connection-errors.ts';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** Options of {@link connectRedis}. */
export interface RedisLinkOptions {
  /**
   * Longest wait for the TCP connection, ms; also how long {@link connectRedis} keeps trying
   * before it rejects (a Redis that refuses the client, e.g. a password needed, is not tried
   * again). Default 5 000.
   */
  connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts, ms. Default 1 000. */
  maxReconnectDelayMs?: number;
  /**
   * Longest wait for one command's reply, ms (a blocking read waits its block time more).
   * Default 5 000. A plain command may still run on Redis after the timeout; a script given
   * {@link RedisLink.writeDeadline} (event appends, session saves and claims, task creation,
   * changes and leases: {@link fencedScript}) refuses to.
   */
  commandTimeoutMs?: number;
  /** Connection errors (the client keeps reconnecting after each). */
  onError?: (error: Error) => void;
  /** Connected again after a loss (Redis restarted, network back): state may need writing again. */
  onReconnect?: () => void;
}

/** A Redis connection that sends raw commands. */
export interface RedisLink {
  /**
   * Send one command (`['XADD', key, ...]`); rejects with MCP_ERR_STORE, also when no reply
   * comes within the command timeout plus `blockMs` (the block time of a blocking read).
   */
  send(args: readonly (string | number)[], blockMs?: number): Promise<unknown>;
  /**
   * Run a Lua script (cached by its SHA; sent again after a Redis restart forgot it). `about`:
   * what it works on, named in its errors with its work ("(the session renewal of session 3f2a...)").
   */
  eval(script: RedisScript, keys: readonly string[], args: readonly (string | number)[], about?: string): Promise<unknown>;
  /**
   * A second connection to the same server (blocking reads and subscriptions need their own);
   * `role` names it in the outage reports ("event bus subscriber"), or they read like the first's.
   */
  duplicate(role?: string): Promise<RedisLink>;
  /** Hear messages published on `channel`; resolves with the function that stops it. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /**
   * The latest time, on Redis's clock (ms since the epoch, as `TIME` tells it), at which a
   * write sent now may still run: half the command timeout from now. A script that checks it
   * refuses to run later, so a write the caller was told failed (no reply in time: Redis
   * frozen) cannot land when Redis answers again; the other half leaves the reply time to come.
   */
  writeDeadline(): number;
  /** True while connected. */
  readonly ready: boolean;
  close(): Promise<void>;
}

/** A Lua script and its SHA-1, computed once. */
export interface RedisScript {
  /** What it does, as an error names it ("the task change"). */
  readonly what: string;
  /** The Lua source; set to {@link plain} on a Redis that cannot read a shebang line (before 7.0). */
  source: string;
  /** The source without its shebang line (flags need Redis 7.0), for an older Redis. */
  readonly plain?: string;
  sha?: string;
  /** Made by {@link fencedScript}: its last argument is a {@link RedisLink.writeDeadline}. */
  readonly fenced?: true;
}

/**
 * A fenced script's arguments with its deadline (the last) moved later by the time `eval`
 * spent before this send (`since`: when it was called). The caller took the deadline before a
 * SCRIPT LOAD (first use, or after a Redis restart forgot the scripts) or a NOSCRIPT round
 * trip, and with Redis slower than half the command timeout the write then always came late
 * and was refused. Each send has its own timeout, so a deadline that counts from the send
 * still keeps a write the caller was told failed from landing later.
 */
function movedDeadline(script: RedisScript, args: readonly (string | number)[], since: number): readonly (string | number)[] {
  const waited = Math.round(localNow() - since);
  if (!script.fenced || waited <= 0) return args;
  return [...args.slice(0, -1), Number(args[args.length - 1]) + waited];
}

/**
 * Declare a Lua script for {@link RedisLink.eval}; `what` it does names it in errors.
 * `allowOom`: it runs when Redis is over maxmemory too (see {@link fencedScript}).
 */
export function redisScript(what: string, source: string, options: { allowOom?: boolean } = {}): RedisScript {
  return options.allowOom ? { what, source: `${ALLOW_OOM}${source}`, plain: source } : { what, source };
}

/**
 * Declare a write script fenced by {@link RedisLink.writeDeadline}: its caller passes the
 * deadline as the last argument, and Redis running it later (it was frozen, and the caller
 * was told the write failed) refuses with `MCPWIRE_LATE` before `source` writes anything.
 */
export function fencedScript(what: string, source: string, options: { allowOom?: boolean } = {}): RedisScript {
  const script = fencedSource(what, source);
  return options.allowOom ? { what, fenced: true, source: `${ALLOW_OOM}${script}`, plain: script } : { what, fenced: true, source: script };
}

/** Redis 7.0 script flags (shebang): allow-oom runs the script when Redis is over maxmemory. */
const ALLOW_OOM = '#!lua flags=allow-oom\n';

function fencedSource(what: string, source: string): string {
  return `
local mcpwire_now = redis.call('TIME')
if tonumber(mcpwire_now[1]) * 1000 + math.floor(tonumber(mcpwire_now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('MCPWIRE_LATE the ${what} reached Redis after its deadline (Redis was not answering); it was not made')
end
${source}`;
}

type Client = ReturnType<typeof createClient>;

/** Default of {@link RedisLinkOptions.commandTimeoutMs}. */
const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/** This process's clock in ms since the epoch, monotonic (a wall-clock step does not move it). */
const localNow = () => performance.timeOrigin + performance.now();

/**
 * Redis's clock minus ours (ms), from the `TIME` sample with the shortest round trip of
 * three: the error is at most half that round trip.
 */
async function clockOffset(send: (args: readonly string[]) => Promise<unknown>): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 3; i++) {
    const sent = localNow();
    const [sec, usec] = await send(['TIME']) as [string, string];
    const back = localNow();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: Number(sec) * 1000 + Number(usec) / 1000 - (sent + back) / 2 };
  }
  return best.offset;
}

/**
 * Tell `onError` of a connection's outages once each: the client tries again every
 * `maxReconnectDelayMs` at most and each failed attempt is an 'error' event, which made an
 * operator's log a line per attempt per connection. The loss is told at its first error, the
 * return at 'ready', with how long it took and how many attempts failed. `quiet`: errors not
 * to tell (the first connection's, whose failure is the rejection).
 */
function tellOutages(client: Client, onError: ((error: Error) => void) | undefined, quiet: () => boolean = () => false, role?: string): void {
  const which = role === undefined ? 'connection' : `connection (${role})`;
  let since: number | undefined;
  let failures = 0;
  // An 'error' event without a listener would end the process; the client reconnects itself.
  client.on('error', (error: Error) => {
    if (quiet()) return;
    failures++;
    if (since !== undefined) return;
    since = localNow();
    onError?.(new McpError(LocalErrorCode.Store, `${storeError(which, error).message} (reconnecting; told again once connected)`, { cause: error }));
  });
  client.on('ready', () => {
    if (since === undefined) return;
    onError?.(new Error(`Redis ${which} back after ${Math.round(localNow() - since)} ms (${failures} failed attempt${failures === 1 ? '' : 's'})`));
    since = undefined;
    failures = 0;
  });
}

/**
 * Connect to `url` (`redis://host:port[/db]`); rejects with MCP_ERR_STORE when it cannot:
 * at once when Redis refuses the client, else when no connection is made within
 * `connectTimeoutMs` (tried again meanwhile, so a Redis that is starting is waited for).
 * Once connected, a lost connection is tried again for as long as the link is open.
 */
export async function connectRedis(url: string, options: RedisLinkOptions = {}): Promise<RedisLink> {
  // unix://[:PASSWORD@]/path/to/redis.sock[?db=N]: a Redis on this host through its unix socket (@redis/client reads it).
  if (!/^(rediss?|unix):\/\//.test(url)) throw new McpError(LocalErrorCode.Validation, `a Redis URL starts with redis://, rediss:// or unix://, got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))}`);
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  const connectMs = options.connectTimeoutMs ?? 5000;
  const startedAt = localNow();
  let starting = true;
  const client: Client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectMs,
      // At start, an Error ends the attempts (connect() rejects with it); later, never.
      reconnectStrategy: (retries: number, cause: Error) => {
        if (starting && (refusedByRedis(cause) || localNow() - startedAt >= connectMs)) return cause;
        return Math.min(50 * 2 ** Math.min(retries, 10), maxDelay);
      },
    },
  });
  // At start the failure is the rejection, told once, not one report per attempt.
  tellOutages(client, options.onError, () => starting);
  let link: Link | undefined;
  client.on('ready', () => {
    if (!link) return;
    // Redis restarted (perhaps on another host): measure its clock again before writes rely on it.
    link.syncClock().catch((error: unknown) => options.onError?.(error as Error));
    options.onReconnect?.();
  });
  try {
    await client.connect();
    starting = false;
    const connected = new Link(client, options);
    await connected.syncClock();
    await loaded(connected, startedAt + connectMs);
    link = connected;
    return connected;
  } catch (error) {
    starting = false;
    if (client.isOpen) client.destroy();
    throw connectFailure(url.replace(/\/\/[^@/]*@/, '//***@'), Math.round(localNow() - startedAt), error);
  }
}

/**
 * Wait, until `until` (this process's clock), for Redis to have loaded its data. A Redis
 * started with an AOF or RDB file accepts connections (and HELLO, TIME, PING, INFO) while it
 * reads it, and answers LOADING to everything else: the stores' first checks then failed with
 * a misleading reason (a user "may not run the stores' Lua scripts"). DBSIZE is refused while
 * loading; any other failure of it (an ACL without it) is left to the stores' own checks.
 */
async function loaded(link: Link, until: number): Promise<void> {
  for (;;) {
    try {
      await link.send(['DBSIZE']);
      return;
    } catch (error) {
      if (!isLoading(error)) return;
      if (localNow() >= until) throw error;
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
    }
  }
}

class Link implements RedisLink {
  readonly #client: Client;
  readonly #options: RedisLinkOptions;
  #closed = false;
  /** A command went unanswered: its reply, if Redis ever sends it, is still awaited. */
  #unanswered = false;
  /** Redis's clock minus ours (ms); see {@link clockOffset}. */
  #clockOffsetMs: number;

  constructor(client: Client, options: RedisLinkOptions, clockOffsetMs = 0) {
    this.#client = client;
    this.#options = options;
    this.#clockOffsetMs = clockOffsetMs;
  }

  get ready(): boolean { return this.#client.isReady; }

  async syncClock(): Promise<void> {
    this.#clockOffsetMs = await clockOffset((args) => this.send(args));
  }

  writeDeadline(): number {
    return Math.round(localNow() + this.#clockOffsetMs + (this.#options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS) / 2);
  }

  async send(args: readonly (string | number)[], blockMs = 0): Promise<unknown> {
    if (this.#closed) throw new McpError(LocalErrorCode.Closed, 'The Redis connection is closed');
    try {
      // rejectInFlight: the timeout also covers a command already written to a Redis that
      // stopped answering (SIGSTOP, a lost host), not only one waiting to be written.
      const timeout = (this.#options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS) + blockMs;
      const pending = this.#client.sendCommand(args.map(String), { timeout, rejectInFlight: true });
      // @redis/client sets no read timeout on a blocking command (XREAD BLOCK): bound it here.
      return await (blockMs > 0 ? this.#answered(pending, timeout) : pending);
    } catch (error) {
      if (error instanceof TimeoutReadError) this.#unanswered = true;
      throw storeError(String(args[0]), error);
    }
  }

  async eval(script: RedisScript, keys: readonly string[], args: readonly (string | number)[], about?: string): Promise<unknown> {
    try {
      return await this.#eval(script, keys, args);
    } catch (error) {
      throw scriptError(script, error, about);
    }
  }

  async #eval(script: RedisScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const since = localNow();
    script.sha ??= await this.#load(script);
    try {
      return await this.send(['EVALSHA', script.sha, keys.length, ...keys, ...movedDeadline(script, args, since)]);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.send(['EVAL', script.source, keys.length, ...keys, ...movedDeadline(script, args, since)]);
    }
  }

  /** SCRIPT LOAD `script`; a Redis before 7.0 reads no shebang line ("unexpected symbol near '#'"): then its plain source. */
  async #load(script: RedisScript): Promise<string> {
    try {
      return String(await this.send(['SCRIPT', 'LOAD', script.source]));
    } catch (error) {
      if (script.plain === undefined || !/near '#'/.test((error as Error).message)) throw error;
      script.source = script.plain;
      return String(await this.send(['SCRIPT', 'LOAD', script.source]));
    }
  }

  async duplicate(role?: string): Promise<RedisLink> {
    const copy = this.#client.duplicate();
    tellOutages(copy, this.#options.onError, undefined, role);
    try {
      await copy.connect();
    } catch (error) {
      throw storeError('connect', error);
    }
    return new Link(copy, this.#options, this.#clockOffsetMs);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    try {
      await this.#answered(this.#client.subscribe(channel, (message: unknown) => onMessage(String(message))));
    } catch (error) {
      throw storeError('SUBSCRIBE', error);
    }
    return async () => {
      if (this.#closed || !this.#client.isOpen) return;
      await this.#answered(this.#client.unsubscribe(channel)).catch((e: unknown) => { throw storeError('UNSUBSCRIBE', e); });
    };
  }

  /**
   * `pending` within `timeoutMs` (default the command timeout), for what the client leaves
   * unbounded: (un)subscribing and blocking reads. A Redis that stopped answering would hold
   * the caller (a live tail, an event bus closing) for good.
   */
  async #answered<T>(pending: Promise<T>, timeoutMs = this.#options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overdue = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#unanswered = true;
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([pending, overdue]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#client.isOpen) return;
    // A graceful close waits for every pending reply: after a command went unanswered (Redis
    // frozen) it would wait forever, holding a live tail's end or the process's shutdown.
    if (this.#unanswered) return this.#client.destroy();
    const timeoutMs = this.#options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overdue = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); });
    const closing = this.#client.close().then(() => false);
    try {
      if (await Promise.race([closing, overdue])) {
        closing.catch(() => undefined); // destroy() below rejects the close it cuts short: expected
        this.#client.destroy();
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
