/**
 * One client connected to a server: the legacy lifecycle (2025-11-25 basic/lifecycle),
 * version negotiation, capability gating both ways, and log level. Requests are served from
 * the server's method table (method-table.ts), with `req` built from this connection's
 * `initialize` state; server events reach the client through the event bus.
 *
 * A server may hold thousands of idle connections, so one costs as little as we can make
 * it: a class instance whose behaviour lives on the prototype, holding references to what
 * every connection of the server shares ({@link ConnectionShared}) and to the caller's own
 * connect options, never copies of them.
 */
import {
  createPeer, ErrorCode, LocalErrorCode, McpError, RpcError, versionAtLeast,
  type ClientCapabilities, type Implementation, type InitializeParams, type InitializeResult, type LoggingLevel,
  type RequestContext, type RpcErrorObject, type ServerCapabilities, type ServerSide, type Peer, type PeerLimits, type PeerOptions,
  type SetLevelParams, type Timers, type Transport,
} from '../protocol/index.ts';
import { allowsBatches, negotiateVersion } from '../protocol/versions.ts';
import { askNeeds, capabilityName, clientCapabilityFor, hasCapability, methodSince, serverCapabilitiesAt, serverCapabilityFor } from '../protocol/capabilities.ts';
import { systemTimers } from '../protocol/correlation.ts';
import { DEFAULT_PEER_LIMITS } from '../protocol/limits.ts';
import type { ConnectionSnapshot, ConnectionState, ServerConnection } from './connection-types.ts';
import type { DeclarationCache } from './declarations.ts';
import type { ServerEventBus } from './event-bus.ts';
import { deliverToConnection, type LegacyDelivery } from './legacy-events.ts';
import { legacyRequest } from './legacy-request.ts';
import { isLoggingLevel } from './logging.ts';
import { capabilityGate, type AnyMethodHandler, type MethodTable } from './method-table.ts';
import type { SavedReadReports } from './saved-reads.ts';
import { MissingCapabilityError } from './capability-error.ts';

export type { ConnectionSnapshot, ConnectionState, ServerConnection } from './connection-types.ts';

/** What every connection of one server shares: built once per server, referenced by each. */
export interface ConnectionShared {
  readonly serverInfo: Implementation;
  readonly instructions: string | undefined;
  readonly limits: Partial<PeerLimits> | undefined;
  readonly timers: Timers | undefined;
  /** Non-fatal faults of a connection's peer engine. */
  report(error: Error, conn: ServerConnection): void;
  /** The connection ended (before the caller's own `onClose`). */
  closed(conn: ServerConnection): void;
  /** Where identical client declarations are shared. */
  readonly declarations: DeclarationCache;
  /** The server's method table: every connection serves from the same one. */
  readonly methods: MethodTable;
  /**
   * Server events (list changed, resource updated) this connection tells its client. None:
   * the server's own bus tells every connection itself (legacy-events.ts `deliverToAll`).
   */
  readonly events: ServerEventBus | undefined;
  /** How an event becomes a notification to this kind of connection. */
  readonly delivery: LegacyDelivery;
  /** Failed reads of saved sessions, reported once per outage for the whole server. */
  readonly savedReads: SavedReadReports;
}

/** The caller's options for one connection; kept by reference, read when needed. */
export interface ConnectionHooks {
  /** Resume a connection whose negotiation happened before a restart. */
  readonly restore?: ConnectionSnapshot;
  /** First id of our requests on this connection (past any id an earlier process used). */
  readonly firstRequestId?: number;
  /** Called once the client has sent `notifications/initialized` (or on restore). */
  onReady?: (conn: ServerConnection) => void;
  /** Called after initialize, so the transport can persist the negotiated facts. */
  onInitialize?: (conn: ServerConnection) => void;
  onLogLevel?: (conn: ServerConnection) => void;
  onClose?: (conn: ServerConnection, reason: Error | undefined) => void;
  /** See ConnectOptions.initializedElsewhere (server.ts). */
  initializedElsewhere?: () => Promise<boolean>;
  /** See ConnectOptions.initializedRecheckMs (server.ts). */
  readonly initializedRecheckMs?: number;
}

/** Default of ConnectOptions.initializedRecheckMs. */
export const DEFAULT_INITIALIZED_RECHECK_MS = 1_000;

const NO_CLIENT_CAPABILITIES: ClientCapabilities = Object.freeze({});
const NO_HOOKS: ConnectionHooks = Object.freeze({});
const NO_LIMITS: Partial<PeerLimits> = Object.freeze({});

/** An outbound message the negotiated capabilities do not allow. */
function refuse(message: string): never {
  throw new McpError(LocalErrorCode.Capability, message);
}

/** Why the server closed a connection, when for a cause of its own (a ping's timeout): rare, so not a field of every connection. */
const closeReasons = new WeakMap<ServerConnection, Error>();

/**
 * The negotiated state of one connection and the lifecycle rules that guard it. It is the
 * peer engine's options object: the peer calls its hooks (`checkInbound`, `checkOutbound`,
 * `allowBatch`, `onError`, `onClose`) as methods of its options, so they live once on this
 * prototype instead of as closures on every connection. Only its {@link Connection} and
 * that peer hold it, so applications cannot reach (or replace) the hooks.
 */
class Lifecycle implements PeerOptions {
  readonly conn: Connection;
  readonly shared: ConnectionShared;
  readonly hooks: ConnectionHooks;
  readonly transport: Transport;
  readonly capabilities: ServerCapabilities;
  state: ConnectionState;
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo: Implementation | undefined;
  logLevel: LoggingLevel | undefined;
  /** PeerOptions: set only when the caller gave one. */
  declare readonly firstRequestId?: number;
  /** Stops this connection hearing server events (set once it starts). */
  unsubscribe: (() => void) | undefined;
  /** Input requests waiting for notifications/initialized (made on first need). */
  #waiting: Array<() => void> | undefined;
  /** While asks wait on a shared session: the timer of the next look at the saved record. */
  #recheck: unknown;
  /** The method table's handler last routed, and its binding to this connection (requestHandler). */
  #routed: AnyMethodHandler | undefined = undefined;
  #bound: ((params: any, rc: RequestContext<ServerSide>) => unknown) | undefined = undefined;

  constructor(conn: Connection, transport: Transport, shared: ConnectionShared, capabilities: ServerCapabilities, hooks: ConnectionHooks) {
    this.conn = conn;
    this.shared = shared;
    this.hooks = hooks;
    this.transport = transport;
    this.capabilities = capabilities;
    const restore = hooks.restore;
    // A copy saved before notifications/initialized came is restored as still waiting for it.
    this.state = restore ? (restore.initialized === false ? 'initializing' : 'ready') : 'awaiting-initialize';
    this.protocolVersion = restore?.protocolVersion ?? '';
    this.clientCapabilities = restore?.clientCapabilities ?? NO_CLIENT_CAPABILITIES;
    this.clientInfo = restore?.clientInfo;
    this.logLevel = restore?.logLevel;
    if (hooks.firstRequestId !== undefined) (this as { firstRequestId?: number }).firstRequestId = hooks.firstRequestId;
  }

  // Read once by createPeer; the defaults are the peer's own.
  get limits(): Partial<PeerLimits> { return this.shared.limits ?? NO_LIMITS; }
  get timers(): Timers { return this.shared.timers ?? systemTimers; }

  onError(error: Error): void {
    this.shared.report(error, this.conn);
  }

  onClose(): void {
    this.state = 'closed';
    this.#release(); // the waiting asks then fail as sends on a closed connection
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.shared.closed(this.conn);
    this.hooks.onClose?.(this.conn, closeReasons.get(this.conn));
  }

  /** 2025-03-26 basic: JSON-RPC batches belong to that version only. */
  allowBatch(): boolean {
    return allowsBatches(this.protocolVersion);
  }

  /**
   * The handler of `method` for this connection: capability gating first (2025-11-25
   * basic/lifecycle: only negotiated capabilities, so an undeclared one is "method not
   * found"), then the server's method table, run with `req` built from this connection.
   */
  requestHandler(method: string): ((params: any, rc: RequestContext<ServerSide>) => unknown) | undefined {
    if (method === 'initialize') return (params: InitializeParams) => this.initialize(params);
    if (method === 'logging/setLevel') return capabilityGate(method, this.capabilities) ?? ((params: SetLevelParams) => this.setLevel(params));
    // route() gates by capability itself: gating here too looked the method up twice a request.
    const handler = this.shared.methods.route(method, this.capabilities);
    if (!handler) return undefined;
    // The last handler's binding to this connection, kept: a closure made per request (bench h)
    // is made once while the same method repeats.
    if (handler !== this.#routed) {
      this.#routed = handler;
      this.#bound = (params, rc) => handler(params, legacyRequest(rc, this.conn));
    }
    return this.#bound;
  }

  /** The client's notifications the lifecycle hears (others go to the peer's own handlers). */
  notificationHandler(method: string): (() => void) | undefined {
    return method === 'notifications/initialized' ? () => this.initialized() : undefined;
  }

  /** 2025-11-25 basic/lifecycle: nothing but initialize and ping before initialize; each method from its version on. */
  checkInbound(method: string): RpcErrorObject | undefined {
    const state = this.state;
    if (method === 'initialize') {
      return state === 'awaiting-initialize' ? undefined : { code: ErrorCode.InvalidRequest, message: 'Invalid Request: the session is already initialized' };
    }
    if (method === 'ping') return undefined;
    if (state === 'awaiting-initialize') {
      return { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${method} before initialize; send initialize first` };
    }
    const protocolVersion = this.protocolVersion;
    const since = methodSince(method);
    if (since && !versionAtLeast(protocolVersion, since)) {
      return { code: ErrorCode.MethodNotFound, message: `Method not found: ${method} is not part of protocol ${protocolVersion}` };
    }
    return undefined;
  }

  checkOutbound(method: string, params: unknown): void {
    if (this.state === 'closed') throw new McpError(LocalErrorCode.Closed, `cannot send ${method}: connection closed`);
    const { protocolVersion, clientCapabilities } = this;
    const since = methodSince(method);
    if (since && protocolVersion && !versionAtLeast(protocolVersion, since)) refuse(`${method} is not part of protocol ${protocolVersion}`);
    const notification = method.startsWith('notifications/');
    const clientPath = clientCapabilityFor(method);
    if (clientPath && !notification && !hasCapability(clientCapabilities, clientPath)) {
      throw new MissingCapabilityError(`the client did not declare the ${capabilityName(clientPath)} capability needed for ${method}`, clientPath);
    }
    const ownPath = notification ? serverCapabilityFor(method) : undefined;
    if (ownPath && !hasCapability(this.capabilities, ownPath)) refuse(`the server did not declare ${capabilityName(ownPath)}, needed for ${method}`);
    if (method === 'elicitation/create' && (params as { mode?: unknown } | undefined)?.mode === 'url' && !versionAtLeast(protocolVersion, '2025-11-25')) {
      refuse(`URL elicitation needs protocol 2025-11-25; this session uses ${protocolVersion}`);
    }
    // 2025-11-25 client/elicitation and client/sampling: a mode, tools or context the client did not declare.
    const needs = askNeeds(method, params, clientCapabilities);
    if (needs) throw new MissingCapabilityError(needs.why, needs.path);
  }

  initialize(params: InitializeParams): InitializeResult {
    if (typeof params !== 'object' || params === null || typeof params.protocolVersion !== 'string'
      || typeof params.capabilities !== 'object' || params.capabilities === null
      || typeof params.clientInfo !== 'object' || params.clientInfo === null) {
      throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: initialize needs protocolVersion, capabilities and clientInfo');
    }
    const protocolVersion = negotiateVersion(params.protocolVersion);
    const shared = this.shared;
    this.protocolVersion = protocolVersion;
    this.clientCapabilities = shared.declarations.share(params.capabilities);
    this.clientInfo = shared.declarations.share(params.clientInfo);
    this.state = 'initializing';
    this.transport.setProtocolVersion?.(protocolVersion);
    this.hooks.onInitialize?.(this.conn);
    const result: InitializeResult = { protocolVersion, capabilities: serverCapabilitiesAt(this.capabilities, protocolVersion), serverInfo: shared.serverInfo };
    if (shared.instructions !== undefined) result.instructions = shared.instructions;
    return result;
  }

  initialized(): void {
    if (this.state !== 'initializing') return;
    this.state = 'ready';
    this.#release();
    this.hooks.onReady?.(this.conn);
  }

  /**
   * Undefined when the server may send the client requests now. Between the initialize
   * response and notifications/initialized, a promise that settles when it may: 2025-11-25
   * basic/lifecycle, "the server SHOULD NOT send requests other than pings and logging before
   * receiving the initialized notification" (over HTTP that POST may arrive after a call's, or
   * at another instance, which relays it). It rejects on `signal` or after `timeoutMs` (the
   * ask's own bounds; without one, the peer's `requestTimeoutMs`), and resolves with the
   * milliseconds it waited (the ask's timeout counts them).
   */
  whenReady(abortable: { readonly signal: AbortSignal }, timeoutMs: number | undefined): Promise<number> | undefined {
    if (this.state !== 'initializing') return undefined;
    const signal = abortable.signal; // read only to wait: a request's signal is made when first read
    const bound = timeoutMs ?? this.limits.requestTimeoutMs ?? DEFAULT_PEER_LIMITS.requestTimeoutMs;
    return new Promise<number>((resolve, reject) => {
      const timers = this.timers;
      const since = timers.now();
      const done = (error?: Error) => {
        timers.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const waiting = this.#waiting;
        if (waiting?.includes(release)) waiting.splice(waiting.indexOf(release), 1);
        if (error) reject(error);
        else resolve(timers.now() - since);
      };
      const release = () => done();
      const onAbort = () => done(new McpError(LocalErrorCode.Aborted, 'aborted while waiting for the client\'s notifications/initialized', { cause: signal.reason }));
      const timer = timers.setTimeout(() => done(new McpError(LocalErrorCode.Timeout, `the client sent no notifications/initialized within ${bound} ms, so nothing was asked`)), bound);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      (this.#waiting ??= []).push(release);
      this.#scheduleRecheck();
    });
  }

  #release(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (this.#recheck !== undefined && this.#recheck !== null) this.timers.clearTimeout(this.#recheck);
    this.#recheck = undefined;
    if (waiting) for (const release of waiting) release();
  }

  /**
   * A session shared by instances: the relay that tells this copy the client's
   * notifications/initialized came elsewhere is Redis pub/sub, which keeps no message for a
   * subscriber that was away (an outage, a reconnect). So while asks wait, the saved record
   * is read again every `initializedRecheckMs`; one saved as initialized lets them go.
   */
  #scheduleRecheck(): void {
    const check = this.hooks.initializedElsewhere;
    if (check === undefined || this.#recheck !== undefined) return;
    const timers = this.timers;
    const ms = this.hooks.initializedRecheckMs ?? DEFAULT_INITIALIZED_RECHECK_MS;
    const waiting = () => this.state === 'initializing' && (this.#waiting?.length ?? 0) > 0;
    const tick = () => {
      if (!waiting()) {
        this.#recheck = undefined;
        return;
      }
      // Not undefined while the read is out: no second chain starts meanwhile.
      this.#recheck = null;
      const report = (error: Error) => this.onError(error);
      check().then((came) => {
        this.shared.savedReads.succeeded(timers.now(), report);
        return came;
      }, (error: Error) => {
        this.shared.savedReads.failed(error, ms, timers.now(), report);
        return false;
      }).then((came) => {
        if (this.#recheck !== null) return; // released (and maybe a new chain) meanwhile
        this.#recheck = undefined;
        if (came) this.initialized();
        else if (waiting()) this.#scheduleRecheck();
      });
    };
    this.#recheck = timers.setTimeout(tick, ms);
  }

  setLevel(params: SetLevelParams): Record<string, never> {
    // 2025-11-25 server/utilities/logging, error handling: an invalid log level is -32602.
    if (!isLoggingLevel(params?.level)) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: unknown logging level ${JSON.stringify(params?.level)}`);
    this.logLevel = params.level;
    this.hooks.onLogLevel?.(this.conn);
    return {};
  }
}

/**
 * A connection, as applications and features see it: its peer engine, what the server
 * declared, and read-only views of what was negotiated. Handlers are installed before
 * {@link Connection.start}.
 */
export class Connection implements ServerConnection {
  readonly peer: Peer<ServerSide>;
  readonly capabilities: ServerCapabilities;
  #life: Lifecycle;

  constructor(transport: Transport, shared: ConnectionShared, capabilities: ServerCapabilities, hooks: ConnectionHooks = NO_HOOKS) {
    this.capabilities = capabilities;
    const life = new Lifecycle(this, transport, shared, capabilities, hooks);
    this.#life = life;
    // Every handler, initialize included, is found through Lifecycle's `requestHandler` and
    // `notificationHandler`: nothing per connection but what a call needs while it runs.
    this.peer = createPeer<ServerSide>(life);
  }

  get state(): ConnectionState { return this.#life.state; }
  get sessionId(): string | undefined { return this.#life.transport.sessionId; }
  get protocolVersion(): string { return this.#life.protocolVersion; }
  get clientCapabilities(): ClientCapabilities { return this.#life.clientCapabilities; }
  get clientInfo(): Implementation | undefined { return this.#life.clientInfo; }
  get logLevel(): LoggingLevel | undefined { return this.#life.logLevel; }

  snapshot(): ConnectionSnapshot | undefined {
    const { protocolVersion, clientCapabilities, clientInfo, logLevel } = this.#life;
    if (!protocolVersion) return undefined;
    // Saved before notifications/initialized: a restored copy holds its asks until it comes.
    if (this.#life.state === 'initializing') return { protocolVersion, clientCapabilities, ...(clientInfo ? { clientInfo } : {}), ...(logLevel ? { logLevel } : {}), initialized: false };
    // One literal per shape: a field added after creation goes to a separate property array,
    // and an HTTP session keeps its saved snapshot for its life (bench g: 40 B per session).
    if (clientInfo) return logLevel ? { protocolVersion, clientCapabilities, clientInfo, logLevel } : { protocolVersion, clientCapabilities, clientInfo };
    return logLevel ? { protocolVersion, clientCapabilities, logLevel } : { protocolVersion, clientCapabilities };
  }

  /** Close the connection; `reason` (why the server ends it) goes to the `onClose` hook. */
  close(reason?: Error): Promise<void> {
    if (reason !== undefined && !closeReasons.has(this)) closeReasons.set(this, reason);
    return this.peer.close();
  }

  /** See Lifecycle.whenReady: undefined, or when the client's initialized notification lets requests go. */
  whenReady(abortable: { readonly signal: AbortSignal }, timeoutMs: number | undefined): Promise<number> | undefined {
    return this.#life.whenReady(abortable, timeoutMs);
  }

  /** Connect the transport and start hearing server events. */
  async start(): Promise<void> {
    const life = this.#life;
    const { events, delivery } = life.shared;
    if (events) life.unsubscribe = events.subscribe((event) => deliverToConnection(this, event, delivery));
    try {
      await this.peer.connect(life.transport);
    } catch (error) {
      life.unsubscribe?.();
      life.unsubscribe = undefined;
      throw error;
    }
    if (life.hooks.restore && life.state === 'ready') life.hooks.onReady?.(this);
  }
}
