/**
 * Serve an McpServer over Streamable HTTP: the glue between the transport's session
 * handler and the server's connections, including restore after a restart.
 */
import type { ClientCapabilities, Implementation, RequestId } from '../protocol/index.ts';
// Only the server half of the HTTP transport: the transport barrel would also load the HTTP
// client (undici) and the stdio client (child_process), which a server never uses.
import { createHttpServerHandler, type HttpServerHandler } from '../transport/http/server.ts';
import { HTTP_SERVER_DEFAULTS, type HttpServerOptions, type HttpSessionInfo } from '../transport/http/server-options.ts';
import { unreadLedger } from '../transport/http/unread-ledger.ts';
import { serveNode } from '../transport/http/node-exchange.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/versions.ts';
import { routeEras, type EraMode, type EraRouterOptions } from '../transport/http/modern-entry.ts';
import type { ModernDispatcherOptions } from './modern/dispatcher.ts';
import { createModernDispatcher } from './modern-lazy.ts';
import { checkModernOptions } from './modern-options.ts';
import type { ConnectionSnapshot, ServerConnection } from './connection-types.ts';
import { DEFAULT_INITIALIZED_RECHECK_MS } from './connection.ts';
import type { ConnectionClosers } from './http-close-connection.ts';
import { loadOnce } from '../protocol/load-once.ts';
import { isLoggingLevel } from './logging.ts';
import type { ConnectOptions, McpServer } from './server.ts';
import type { ProtectedResource } from './auth/protected-resource.ts';
import { shown } from '../protocol/wrong-arguments.ts';

/** Options of {@link createMcpHttpHandler}: the HTTP transport's own, and how the server is served on it. */
export interface McpHttpOptions extends Omit<HttpServerOptions, 'connect'> {
  /**
   * Runs before any session lookup, in both eras: resolve to a reply (401, 403) to refuse the
   * request, undefined to let it through (see {@link EraRouterOptions.authenticate}).
   */
  authenticate?: EraRouterOptions['authenticate'];
  /**
   * Make the endpoint an OAuth protected resource (server/auth `createProtectedResource`):
   * its hook authenticates every request and its metadata document is served. Takes the
   * place of `authenticate`.
   */
  protectedResource?: Pick<ProtectedResource, 'authenticate' | 'wellKnown'>;
  /**
   * Let {@link McpHttpHandler.closeConnection} end connections mid-request (a test aid for
   * 2025-11-25 SSE polling). Default false: no per-request bookkeeping.
   */
  closableConnections?: boolean;
  /** Serve both protocol eras on the endpoint (default) or 2026-07-28 only (GET/DELETE 405). */
  eras?: EraMode;
  /** The 2026-07-28 era: cache hints, multi round-trip requests (requestState key, TTL). */
  modern?: ModernDispatcherOptions;
  /**
   * A store shared by instances (Redis): while a session's asks wait for the client's
   * notifications/initialized and another instance may have heard it, this instance reads
   * the saved session again every this many ms (the relay that tells it is pub/sub, which
   * keeps no message for a subscriber that was away). A positive integer. Default 1 000.
   */
  initializedRecheckMs?: number;
}

/** The HTTP handler of an McpServer. */
export interface McpHttpHandler extends HttpServerHandler {
  /**
   * End the HTTP connection carrying the SSE stream of request `requestId` in session
   * `sessionId` now; the client reconnects and resumes with `Last-Event-ID`, receiving what
   * the handler sends afterwards (2025-11-25 basic/transports: SSE polling). False when that
   * is not possible (option `closableConnections` off, JSON replies, sessions older than
   * 2025-11-25, the request already answered).
   */
  closeConnection(sessionId: string | undefined, requestId: RequestId): boolean;
  /**
   * Serve one Node request (mount it in express, fastify, Koa, hono's Node server or a plain
   * `node:http` server). Pass `body` when a body parser already read the stream (express's
   * `req.body`, fastify's `request.body`): a string, bytes, or the parsed JSON value. A POST
   * whose stream was consumed and no body given gets 400 at once. Bound to the handler, so
   * `app.post('/mcp', handler.node)` works (a function as third argument is not a body).
   */
  node(req: IncomingMessage, res: ServerResponse, body?: unknown): void;
  /** `close()`, for `await using handler = createMcpHttpHandler(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** http-close-connection.ts, loaded by the first handler made with `closableConnections`. */
const closersModule = loadOnce(() => import('./http-close-connection.ts'));

/** A `Request -> Response` handler serving `server`, one MCP connection per HTTP session. */
export function createMcpHttpHandler(server: McpServer, options: McpHttpOptions = {}): McpHttpHandler {
  // Without it each request was a 500 "the session could not be started", and nothing said why.
  if (typeof server?.connect !== 'function') throw new TypeError(`createMcpHttpHandler: server must be an McpServer (createServer), got ${typeof server === 'object' && server !== null ? 'an object without connect' : shown(server)}`);
  if (typeof options !== 'object' || options === null) throw new TypeError(`createMcpHttpHandler: options must be an object (McpHttpOptions), got ${shown(options)}`);
  const recheck = options.initializedRecheckMs;
  if (recheck !== undefined && (!Number.isSafeInteger(recheck) || recheck < 1)) throw new RangeError(`initializedRecheckMs must be a positive integer, got ${recheck}`);
  if (options.modern) checkModernOptions(options.modern);
  // A misspelt mode ('modren') would serve both eras unsaid.
  if (options.eras !== undefined && options.eras !== 'both' && options.eras !== 'modern') {
    throw new RangeError(`eras must be 'both' or 'modern', got ${JSON.stringify(options.eras)}`);
  }
  // Loaded only for `closableConnections` (issue #20 item 3: the server entry's size); every
  // connection it could close is tracked after the load, so `closeConnection` never misses one.
  let closers: ConnectionClosers | undefined;
  const loadClosers = options.closableConnections ? closersModule.load().then((m) => (closers = new m.ConnectionClosers())) : undefined;
  loadClosers?.catch(() => { /* a failed load fails each connect that awaits it */ });
  // One bound on unread bytes for the endpoint, whichever era a stream is of.
  const ledger = unreadLedger(options.maxBufferedBytesTotal ?? HTTP_SERVER_DEFAULTS.maxBufferedBytesTotal);
  const legacy = createHttpServerHandler({
    ...options,
    unreadLedger: ledger,
    async connect(httpTransport, info) {
      const transport = loadClosers ? (await loadClosers).track(httpTransport) : httpTransport;
      await server.connect(transport, new SavingHooks(info, options, asSnapshot(info.restored)));
    },
  });
  // Loaded on the first 2026-07-28 request (modern-lazy.ts): a 2025-only endpoint never loads it.
  const modernOptions = { legacyVersions: options.eras === 'modern' ? [] : SUPPORTED_PROTOCOL_VERSIONS, ...options.modern };
  const modern = createModernDispatcher(server, modernOptions, (e) => options.onError?.(e));
  const guard = options.protectedResource;
  const handler = routeEras(legacy, modern, {
    ...options,
    unreadLedger: ledger,
    ...(guard ? { authenticate: (r) => guard.authenticate(r), wellKnown: (r) => guard.wellKnown(r) } : {}),
    onError: (e) => options.onError?.(e),
  });
  const reportNode = (e: Error) => options.onError?.(e);
  return Object.assign(handler, {
    node: (req: IncomingMessage, res: ServerResponse, body?: unknown) => serveNode(handler, req, res, body, reportNode),
    closeConnection: (sessionId: string | undefined, requestId: RequestId) => closers?.close(sessionId, requestId) ?? false,
    [Symbol.asyncDispose]: () => handler.close(),
  });
}

/**
 * One session's connect options: the negotiated facts are saved after initialize and on
 * each new log level, so a restarted server can restore the session. Methods on this
 * prototype rather than a closure and an options object per session (bench g: memory per
 * idle session).
 */
class SavingHooks implements ConnectOptions {
  declare readonly restore?: ConnectionSnapshot;
  declare readonly firstRequestId?: number;
  /** Set for a session in a shared store only (see ConnectOptions.initializedElsewhere). */
  declare readonly initializedElsewhere?: () => Promise<boolean>;
  readonly #info: HttpSessionInfo;
  readonly #options: McpHttpOptions;

  constructor(info: HttpSessionInfo, options: McpHttpOptions, restore: ConnectionSnapshot | undefined) {
    this.#info = info;
    this.#options = options;
    if (restore) (this as { restore?: ConnectionSnapshot }).restore = restore;
    if (info.firstRequestId !== undefined) (this as { firstRequestId?: number }).firstRequestId = info.firstRequestId;
    if (info.readSaved) (this as { initializedElsewhere?: () => Promise<boolean> }).initializedElsewhere = () => this.#initializedElsewhere();
  }

  get initializedRecheckMs(): number { return this.#options.initializedRecheckMs ?? DEFAULT_INITIALIZED_RECHECK_MS; }

  /** The saved session says the client's notifications/initialized came (to any instance). */
  async #initializedElsewhere(): Promise<boolean> {
    const saved = asSnapshot(await this.#info.readSaved!());
    return saved !== undefined && saved.initialized !== false;
  }

  onInitialize(conn: ServerConnection): void { this.#save(conn); }
  onLogLevel(conn: ServerConnection): void { this.#save(conn); }
  /**
   * notifications/initialized came: saved without `initialized: false`, so a copy another
   * instance loads next lets its asks go. A copy restored as ready has nothing new to save.
   */
  onReady(conn: ServerConnection): void {
    if (this.restore === undefined || this.restore.initialized === false) this.#save(conn);
  }

  #save(conn: ServerConnection): void {
    const snapshot = conn.snapshot();
    const info = this.#info;
    // snapshot() makes a new object each time: saved as it is, not copied (bench g: 40 B per session).
    if (snapshot) info.saveState(snapshot as unknown as Record<string, unknown>).catch((e: Error) => this.#options.onError?.(e, info.sessionId));
  }
}

/** The connection snapshot an earlier process saved, read field by field; undefined when unusable. */
function asSnapshot(value: Record<string, unknown> | undefined): ConnectionSnapshot | undefined {
  const caps = value?.clientCapabilities;
  if (!value || typeof value.protocolVersion !== 'string' || typeof caps !== 'object' || caps === null) return undefined;
  // Capabilities and client info are the client's own JSON, saved as received.
  const snapshot: ConnectionSnapshot = { protocolVersion: value.protocolVersion, clientCapabilities: caps as ClientCapabilities };
  const info = value.clientInfo as Partial<Implementation> | null | undefined;
  if (typeof info?.name === 'string' && typeof info.version === 'string') snapshot.clientInfo = info as Implementation;
  if (isLoggingLevel(value.logLevel)) snapshot.logLevel = value.logLevel;
  if (value.initialized === false) snapshot.initialized = false;
  return snapshot;
}
