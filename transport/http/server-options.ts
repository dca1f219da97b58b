/**
 * The Streamable HTTP server handler's interface and options (legacy era, 2025-03-26 .. 2025-11-25
 * basic/transports), each limit with its default.
 */
import type { MessageExtra, Timers, Transport } from '../../protocol/index.ts';
import { checkMaxJsonDepth, DEFAULT_MAX_JSON_DEPTH } from '../../protocol/jsonrpc.ts';
import { positiveIntegerOption } from '../../protocol/limits.ts';
import type { SessionEventStore } from '../event-store/index.ts';
import type { ExchangeServable } from './exchange.ts';

/**
 * The 2025-era Streamable HTTP server (2025-11-25 basic/transports): one endpoint's POST, GET
 * and DELETE, its sessions, streams and their resumption. Made by `createHttpServerHandler`;
 * `createMcpHttpHandler` wraps it with the 2026-07-28 path. Serve it with `listen`, mount its
 * `handle` in a fetch-style framework, or give it to the Node adapter.
 */
export interface HttpServerHandler extends ExchangeServable {
  /** Answer one HTTP request (fetch style; `listen` serves Node requests without this conversion). */
  handle(request: Request): Promise<Response>;
  /** Bring back the sessions a previous process saved in the store; resolves with their count. */
  restore(): Promise<number>;
  /** The MCP sessions this process holds now (loaded from a shared store on demand, not counted before). */
  readonly sessionCount: number;
  /** End every connection and MCP session; the store keeps their history for a restart. */
  close(): Promise<void>;
}

/** What the handler tells the application about a new or restored session (call `saveState` as its method). */
export interface HttpSessionInfo {
  readonly sessionId: string;
  /** Metadata saved by an earlier process for this session (restart recovery). */
  readonly restored: Record<string, unknown> | undefined;
  /** Persist metadata (e.g. the negotiated version) so a restarted server can restore the session. */
  saveState(meta: Record<string, unknown>): Promise<void>;
  /** First request id the session should use (past every id an earlier process used). */
  readonly firstRequestId: number | undefined;
  /**
   * With a store shared by instances only: the application state saved for this session
   * now, by whichever instance saved it last (undefined when none is saved or the session
   * is gone). Rejects when the store cannot be read.
   */
  readSaved?(): Promise<Record<string, unknown> | undefined>;
}

/**
 * The options of `createHttpServerHandler` (and of `createMcpHttpHandler`, which adds its own):
 * every limit has a default, and a bad value is a RangeError or TypeError naming it when the
 * handler is made (README "Limits and defaults").
 */
export interface HttpServerOptions {
  /**
   * Attach an MCP session to a new (or restored) HTTP session's transport; typically
   * `(t, info) => server.connect(t, ...)`. Resolves once the session is ready for messages.
   */
  connect(transport: Transport, info: HttpSessionInfo): Promise<void>;
  /** The MCP endpoint path. Default `/mcp`. */
  path?: string;
  /** Stream history and session metadata. Default: a bounded memory store. */
  eventStore?: SessionEventStore;
  /**
   * Re-run requests that were in flight when the process died (needs a durable store).
   * Default false.
   */
  recoverInflight?: boolean;
  /** Answer requests with SSE (default) or a single JSON body (switching to SSE when a handler streams). */
  responseMode?: 'sse' | 'json';
  /**
   * JSON reply mode: a reply still owed after this many ms turns to SSE with a priming
   * event id (2025-11-25 sessions), so a client whose connection drops, or whose server is
   * restarted with `recoverInflight`, resumes the call with `Last-Event-ID` and gets its
   * result. Faster calls stay plain JSON. `Infinity` turns only when a handler streams
   * (a call that sends nothing before a drop is then lost to its client). Default 500.
   */
  jsonSseAfterMs?: number;
  /** Offer the standalone GET stream. Default true (405 when false). */
  enableGetStream?: boolean;
  /** Let clients end sessions with DELETE. Default true (405 when false). */
  enableDelete?: boolean;
  /** Largest POST body in bytes (413 beyond). Default 4 MiB. */
  maxBodyBytes?: number;
  /**
   * Deepest nesting of objects and arrays in a POSTed message; a deeper one is refused with
   * 400 and -32600 (with the request's id), unprocessed. Default 512 (`DEFAULT_MAX_JSON_DEPTH`).
   */
  maxJsonDepth?: number;
  /**
   * Largest message sent, in bytes of JSON: a client drops a larger one (the HTTP client's
   * `maxEventBytes` is 4 MiB by default) and waits out its timeout. A response over it is
   * replaced by an error (a tool error for a tool result); a request or notification over it
   * fails to send with MCP_ERR_MESSAGE_TOO_LARGE. Default 4 MiB.
   */
  maxOutboundMessageBytes?: number;
  /**
   * Live sessions at once. At the limit a new initialize ends the least recently used idle
   * session (no call running, no stream open) to make room, or gets 503 when all are busy.
   * A failed initialize keeps no session. Default 1 000.
   */
  maxSessions?: number;
  /**
   * Server-to-client requests (elicitation, sampling, roots) awaiting answers across all
   * sessions; one more fails at once with MCP_ERR_TOO_MANY_PENDING. Default 10 000.
   */
  maxPendingServerRequests?: number;
  /**
   * A session unused this long (ms) expires (404 afterwards). Default 30 minutes; with a
   * store shared by several instances, the store's session TTL (`sessionTtlMs`, Redis
   * `ttlMs`), which it may not exceed (RangeError).
   */
  sessionIdleMs?: number;
  /**
   * SSE `retry` in ms, sent with priming events (2025-11-25 basic/transports: the client MUST
   * wait this long before it reconnects). It is the floor of every resume after a cut stream,
   * so it is short; mcpwire's client backs off beyond it on its own when it keeps failing,
   * but the official SDK clients (TypeScript 2.4, Python 2.3) try twice at this interval and
   * then give up on the call: a durable server that should keep their calls across a restart
   * needs a retry of more than half its restart time (`serve --retry-ms`). The server ends
   * connections for polling only after `maxConnectionMs`, so a short retry does not make
   * clients poll fast. A non-negative integer. Default 100.
   */
  retryMs?: number;
  /**
   * Keep-alive comment interval on idle SSE connections (ms): a connection silent this long
   * gets a comment within 1.5 intervals. Default 15 000; 0 disables.
   */
  keepAliveMs?: number;
  /**
   * Close an SSE connection (not its stream) after this many ms so clients poll and
   * resume (2025-11-25 sessions only). Default: never.
   */
  maxConnectionMs?: number;
  /**
   * Bytes a slow client may leave unread on one connection before sends on its stream (a
   * handler's `ctx.progress()`, `ctx.log()`) wait for it to read; a connection whose senders
   * do not wait is dropped at 4 times this (it can resume). Default 8 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Bytes all SSE connections of the endpoint (both eras) may leave unread together. Over
   * it, a connection with anything unread counts as behind: its senders wait for its client,
   * so many streams read by no one cannot add up past this; connections whose senders do
   * not wait are dropped at 4 times this (they can resume). Node adapter (`listen`,
   * `handler.node`) only. Default 16 MiB.
   */
  maxBufferedBytesTotal?: number;
  /**
   * Allowed `Origin` values (DNS-rebinding defence, 2025-11-25 basic/transports). Default: the
   * http(s) origins of `allowedHosts`. A request without Origin is allowed.
   */
  allowedOrigins?: readonly string[];
  /**
   * Allowed `Host` header values; one with port 0 means the port `listen` bound. Default: once
   * `listen` bound the handler, the names of that address (`defaultAllowedHosts`: for 127.0.0.1
   * `127.0.0.1:<port>`, `localhost:<port>`, `[::1]:<port>`); no Host check before (mounted under
   * a server of yours, check with `createHostGuard`).
   */
  allowedHosts?: readonly string[];
  /** Turn DNS-rebinding checks off (only behind a proxy that does them). Default false. */
  disableHostChecks?: boolean;
  /** The clock of keep-alives, idle sessions and timeouts; tests inject a manual one. Default: the system's timers. */
  timers?: Timers;
  /** Non-fatal faults: a dropped message, a failed store write. */
  onError?: (error: Error, sessionId?: string) => void;
  /** Extra facts handed to the session with each inbound message. */
  extra?: (request: Request) => Partial<MessageExtra>;
}

export const HTTP_SERVER_DEFAULTS = {
  path: '/mcp',
  responseMode: 'sse' as const,
  jsonSseAfterMs: 500,
  maxBodyBytes: 4 * 1024 * 1024,
  maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  maxOutboundMessageBytes: 4 * 1024 * 1024,
  maxSessions: 1_000,
  maxPendingServerRequests: 10_000,
  sessionIdleMs: 30 * 60_000,
  retryMs: 100,
  keepAliveMs: 15_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxBufferedBytesTotal: 16 * 1024 * 1024,
};

/**
 * The options in force: each given one checked ({@link checkHttpServerOptions}), the defaults
 * for the rest. An option given as undefined keeps its default (`path: undefined` answered every
 * request 404).
 */
export function httpServerSettings(options: HttpServerOptions) {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as HttpServerOptions;
  const ttl = options.eventStore?.sessionTtlMs;
  const o = { ...HTTP_SERVER_DEFAULTS, ...(ttl !== undefined ? { sessionIdleMs: ttl } : {}), ...given };
  checkHttpServerOptions(o);
  // A shared store drops a session unused for its TTL, for every instance at once; a longer
  // sessionIdleMs let the instance holding a copy serve it on (and fail to save it) while the
  // others answered 404 (2025-11-25 basic/transports: session management, 404 once ended).
  if (ttl !== undefined && o.sessionIdleMs > ttl) {
    throw new RangeError(`sessionIdleMs (${o.sessionIdleMs} ms) is longer than the shared store's session TTL (${ttl} ms; createRedisStores ttlMs): the store drops a session unused that long while this instance would go on serving its own copy; give both the same value, or leave sessionIdleMs out (it defaults to the store's TTL)`);
  }
  checkMaxJsonDepth(o.maxJsonDepth);
  return o;
}

/**
 * Throws a RangeError naming the first option given out of its range. A wrong value otherwise
 * surfaced far away: `maxBodyBytes: '4mb'` refused every POST, `sessionIdleMs: NaN` never
 * expired a session, `maxBufferedBytes: 0` cut every stream.
 */
export function checkHttpServerOptions(o: { readonly [K in keyof HttpServerOptions]?: unknown }): void {
  // A request's path always starts with '/': 'mcp' would answer every request 404.
  if (typeof o.path !== 'string' || !o.path.startsWith('/')) throw new TypeError(`path must start with '/' (e.g. '/mcp'), got ${JSON.stringify(o.path)}`);
  for (const name of ['maxBodyBytes', 'maxOutboundMessageBytes', 'maxSessions', 'maxPendingServerRequests', 'maxBufferedBytes', 'maxBufferedBytesTotal'] as const) {
    positiveIntegerOption(name, o[name], 1);
  }
  if (typeof o.retryMs !== 'number' || !Number.isSafeInteger(o.retryMs) || o.retryMs < 0) throw new RangeError(`retryMs must be a non-negative integer, got ${String(o.retryMs)}`);
  const ms = (name: string, value: unknown, least: 0 | 1) => {
    if (typeof value !== 'number' || Number.isNaN(value) || value < least) {
      throw new RangeError(`${name} must be ${least === 0 ? 'a non-negative' : 'a positive'} number of ms, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
    }
  };
  ms('sessionIdleMs', o.sessionIdleMs, 1);
  ms('keepAliveMs', o.keepAliveMs, 0);
  ms('jsonSseAfterMs', o.jsonSseAfterMs, 0);
  if (o.maxConnectionMs !== undefined) ms('maxConnectionMs', o.maxConnectionMs, 1);
}

/** True for an address that binds every interface (`0.0.0.0`, `::`). */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** `host:port` as a Host header writes it (an IPv6 address in brackets). */
function hostHeader(host: string, port: number): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/**
 * The default allowed hosts (DNS-rebinding defence) for a server bound to `host:port`: the
 * loopback names for a loopback address; for a wildcard address (`0.0.0.0`, `::`) the
 * loopback names and each of `machineAddresses` (the Node adapter's `machineAddresses()`);
 * else the address itself.
 */
export function defaultAllowedHosts(host: string, port: number, machineAddresses: readonly string[] = []): string[] {
  const loopbackNames = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]') return loopbackNames;
  if (!isWildcardHost(host)) return [hostHeader(host, port)];
  const own = machineAddresses.map((address) => hostHeader(address, port));
  return [...new Set([...loopbackNames, ...own])];
}
