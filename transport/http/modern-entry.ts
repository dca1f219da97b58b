/**
 * One endpoint, two eras (2026-07-28 basic/versioning: dual-era servers). A POST that names
 * a 2026-07-28 version (header, or `_meta` in the body) is served statelessly; `initialize`
 * and every request of a 2025 session go to the legacy handler unchanged. In modern-only
 * mode every POST is stateless and GET/DELETE get 405 (legacy traffic reaching a 2026-only
 * server).
 */
import { ErrorCode, LATEST_PROTOCOL_VERSION, type AuthInfo, type JsonRpcNotification, type Timers } from '../../protocol/index.ts';
import { systemTimers } from '../../protocol/correlation.ts';
import { checkMaxJsonDepth } from '../../protocol/jsonrpc.ts';
import { MODERN_META } from '../../protocol/modern-meta.ts';
import { loadOnce } from '../../protocol/load-once.ts';
import { exchangeToOf, replyTo, type InboundRequest, type ReplySink, type ServerReply } from './exchange.ts';
import type { ModernServable } from './modern-http.ts';
import { errorReply, failureReply, owedReply, readBody } from './server-guards.ts';
import { createAllowedPeers } from './allowed-peers.ts';
import { KeepAliveTicker } from './sse-connection.ts';
import type { UnreadLedger } from './unread-ledger.ts';
import { HTTP_SERVER_DEFAULTS, type HttpServerOptions } from './server-options.ts';
import type { HttpServerHandler } from './server.ts';
import { webAdapter } from './web-adapter-lazy.ts';

/** What an `authenticate` hook lets through: the principal the request proved to be. */
export interface Authenticated {
  readonly auth: AuthInfo;
  /** The request body, when the hook had to read it (e.g. to learn the call's scopes). */
  readonly body?: string;
}

/**
 * The verdict of an `authenticate` hook: a reply refuses the request (401, 403), an
 * {@link Authenticated} lets it through as that principal, undefined lets it through anonymous.
 */
export type AuthenticateResult = ServerReply | Authenticated | undefined;

/** A 2026-era servable that accepts the principal of each call (the server's dispatcher does). */
export type AuthAwareServable = ModernServable & {
  handle(message: unknown, call: { signal?: AbortSignal; notify?: (n: JsonRpcNotification) => void | Promise<void>; auth?: AuthInfo }):
    ReturnType<ModernServable['handle']>;
};

/** Which eras an endpoint serves. */
export type EraMode = 'both' | 'modern';

/** Options of {@link routeEras}: the legacy handler's own (path, hosts, limits) and the mode. */
export interface EraRouterOptions extends Pick<HttpServerOptions,
  'path' | 'allowedHosts' | 'allowedOrigins' | 'disableHostChecks' | 'maxBodyBytes' | 'maxJsonDepth' | 'maxBufferedBytes' | 'keepAliveMs' | 'timers'> {
  /** Unread bytes of all the endpoint's SSE connections, shared with the legacy handler (unread-ledger.ts). */
  unreadLedger?: UnreadLedger;
  /** Serve both eras (default) or the 2026-07-28 era only. */
  eras?: EraMode;
  onError?: (error: Error) => void;
  /**
   * Runs first for every request to the MCP path, before any session is looked up or created
   * and before the era is chosen: resolve to a reply (401 with `WWW-Authenticate`, 403) to
   * refuse the request, to `{ auth }` to let it through as that principal (handlers see it
   * as `req.auth`; a 2025 session is bound to it), or to undefined to let it through
   * anonymous (2025-11-25 and 2026-07-28 basic/authorization: the resource server validates
   * every request). server/auth builds one for OAuth bearer and DPoP tokens.
   */
  authenticate?: ((request: InboundRequest) => Promise<AuthenticateResult>) | undefined;
  /**
   * Answers requests outside the MCP path before the legacy handler's 404 (the protected
   * resource metadata document, RFC 9728 §3); undefined passes the request on.
   */
  wellKnown?: ((request: InboundRequest) => ServerReply | undefined) | undefined;
}

/**
 * True when `version` is a version of the stateless era. Only a date compares as one: a
 * header such as "banana" sorts after "2026-07-28" but is no version, and a 2025 session's
 * request carrying it is the legacy handler's 400 (2025-11-25 basic/transports: an invalid
 * MCP-Protocol-Version gets 400 Bad Request), not a stateless 202 that drops a notification.
 */
function isModernVersion(version: string | null): boolean {
  if (version === null) return false;
  // What it buys: the latest legacy date, on every POST of a 2025 session, skips the shape
  // regex (~760 instructions a call, counted in bench b-sse); other values take the test.
  if (version === LATEST_PROTOCOL_VERSION) return false;
  const v = version.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= '2026-07-28';
}

/**
 * True when `version`, outside a 2025 session, is not one of the legacy era's dates: a
 * client naming an unknown version ("v999.0.0") in `_meta` or the header speaks the
 * stateless era's envelope, and gets its -32022 with the request's id (2026-07-28
 * basic/versioning: UnsupportedProtocolVersionError), not the legacy handler's reply.
 */
function claimsNonLegacy(version: string): boolean {
  const v = version.trim();
  return !(/^\d{4}-\d{2}-\d{2}$/.test(v) && v < '2026-07-28');
}

/** An inbound request whose body was already read. */
function withBody(request: InboundRequest, body: string): InboundRequest {
  const read: InboundRequest = { ...request, header: (n) => request.header(n), headerRecord: () => request.headerRecord(), toRequest: () => request.toRequest(), text: async () => body };
  delete read.readText; // an adapter's own callback reader read the body already: not again
  return read;
}

/** True when `text` is over `maxBytes` bytes of UTF-8 (counted only when it could be). */
function tooLarge(text: string, maxBytes: number): boolean {
  return text.length > maxBytes || (text.length * 3 > maxBytes && new TextEncoder().encode(text).byteLength > maxBytes);
}

/** The same request, as sent by `auth`. Adapters' requests may be class instances: delegate. */
function withAuth(request: InboundRequest, verdict: Authenticated): InboundRequest {
  const body = verdict.body;
  return {
    method: request.method, path: request.path, auth: verdict.auth,
    header: (n) => request.header(n), headerRecord: () => request.headerRecord(), toRequest: () => request.toRequest(),
    text: body === undefined ? (max) => request.text(max) : async (max) => (tooLarge(body, max) ? null : body),
  };
}

/** `call` with `auth`, its properties (a lazy `signal` getter) left unread. */
function withCallAuth<C extends object>(call: C, auth: AuthInfo): C & { auth: AuthInfo } {
  return Object.defineProperty(Object.create(call) as C & { auth: AuthInfo }, 'auth', { value: auth, enumerable: true });
}

/** Claims, in `params._meta`, a version that is not one of the legacy era's dates. */
function claimsModern(body: string): boolean {
  if (!body.includes(MODERN_META.protocolVersion)) return false;
  try {
    const m = JSON.parse(body) as { params?: { _meta?: Record<string, unknown> } };
    const v = m?.params?._meta?.[MODERN_META.protocolVersion];
    return typeof v === 'string' && claimsNonLegacy(v);
  } catch {
    return false; // the legacy handler reports the parse error
  }
}

/** modern-http.ts, loaded on the first 2026-07-28 POST (issue #20 item 3). */
const modernPost = loadOnce(() => import('./modern-http.ts'));

/** Put `legacy` and the stateless path of `modern` behind one endpoint. */
export function routeEras(legacy: HttpServerHandler, modern: AuthAwareServable, options: EraRouterOptions = {}): HttpServerHandler {
  const mode = options.eras ?? 'both';
  const path = options.path ?? HTTP_SERVER_DEFAULTS.path;
  const maxBodyBytes = options.maxBodyBytes ?? HTTP_SERVER_DEFAULTS.maxBodyBytes;
  const maxJsonDepth = checkMaxJsonDepth(options.maxJsonDepth);
  const timers: Timers = options.timers ?? systemTimers;
  const onError = options.onError ?? (() => {});
  const peers = createAllowedPeers(options);
  const keepAliveMs = options.keepAliveMs ?? HTTP_SERVER_DEFAULTS.keepAliveMs;
  const keepAlive = keepAliveMs > 0 ? new KeepAliveTicker(timers, keepAliveMs) : undefined;
  // `open`: the 2026-07-28 replies (JSON or SSE) still owed, ended by close() (modern-http.ts).
  const open = new Set<() => void>();
  const settings = { maxBodyBytes, maxJsonDepth, timers, maxBufferedBytes: options.maxBufferedBytes ?? HTTP_SERVER_DEFAULTS.maxBufferedBytes, unread: options.unreadLedger, keepAlive, open, onError };

  let closed = false;
  async function stateless(request: InboundRequest, body?: string): Promise<ServerReply> {
    // As the legacy handler after close(): no call starts that the shutdown would cut.
    if (closed) return owedReply('shutdown', undefined);
    // 2026-07-28 basic/transports/streamable-http: Origin validation still applies (403).
    const refused = peers.check(request);
    if (refused) return refused;
    const auth = request.auth;
    // The call's signal may be a getter that makes it on first read: kept a getter.
    const servable: ModernServable = auth ? { handle: (message, call) => modern.handle(message, withCallAuth(call, auth)) } : modern;
    try {
      return await (modernPost.loaded ?? await modernPost.load()).serveModernPost(request, servable, settings, body);
    } catch (error) {
      onError(error as Error);
      return errorReply(500, `Internal error: ${(error as Error).message}`, ErrorCode.InternalError);
    }
  }

  /**
   * A 2025 session's POST (every call of a legacy client): it goes to the legacy handler with
   * no async step of its own around it. The same checks, in the order of `route` below.
   */
  function sessionPost(request: InboundRequest): boolean {
    return mode === 'both' && !options.authenticate && request.method === 'POST' && request.path === path
      && !isModernVersion(request.header('mcp-protocol-version')) && request.header('mcp-session-id') !== null;
  }

  function exchange(request: InboundRequest): Promise<ServerReply> {
    return sessionPost(request) ? legacy.exchange(request) : route(request);
  }

  /** {@link exchange} through `sink`: a 2025 session's POST by the legacy handler's own `exchangeTo` (an answer's 202 with no promise, bench f). */
  function exchangeTo(request: InboundRequest, sink: ReplySink): void {
    const to = legacy.exchangeTo;
    if (to !== undefined && sessionPost(request)) return to.call(legacy, request, sink);
    replyTo(exchange(request), sink);
  }

  async function route(request: InboundRequest): Promise<ServerReply> {
    if (request.path !== path) return options.wellKnown?.(request) ?? legacy.exchange(request);
    if (options.authenticate) {
      const verdict = await options.authenticate(request);
      if (verdict && 'auth' in verdict) request = withAuth(request, verdict);
      else if (verdict) return verdict;
    }
    if (mode === 'modern') {
      if (request.method === 'POST') return stateless(request);
      // 2026-07-28 basic/transports/streamable-http: legacy GET/DELETE reaching a 2026-only server.
      return errorReply(405, `Method Not Allowed: this server speaks 2026-07-28 only; ${request.method} is not offered`, ErrorCode.InvalidRequest, undefined, { allow: 'POST' });
    }
    if (request.method !== 'POST') return legacy.exchange(request);
    const version = request.header('mcp-protocol-version');
    if (isModernVersion(version)) return stateless(request);
    // A 2025 session's requests never carry the modern envelope: no need to look.
    if (request.header('mcp-session-id') !== null) return legacy.exchange(request);
    if (version !== null && claimsNonLegacy(version)) return stateless(request);
    let body: string | ServerReply;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      // The client gone before its body ended: the handler's failure to report, as the legacy handler's own read reports it.
      onError(error as Error);
      return failureReply(error);
    }
    if (typeof body !== 'string') return body;
    return claimsModern(body) ? stateless(request, body) : legacy.exchange(withBody(request, body));
  }

  return {
    get sessionCount() { return legacy.sessionCount; },
    exchange,
    exchangeTo: exchangeToOf(exchangeTo, exchange),
    listeningOn(address) {
      const forgetOwn = peers.listeningOn(address);
      const forgetLegacy = legacy.listeningOn?.(address);
      return () => {
        forgetOwn();
        forgetLegacy?.();
      };
    },
    async handle(request) {
      const { fromWebRequest, toWebResponse } = webAdapter.loaded ?? await webAdapter.load();
      return toWebResponse(await exchange(fromWebRequest(request)));
    },
    restore: () => legacy.restore(),
    close: () => {
      closed = true;
      for (const end of [...open]) end();
      open.clear();
      modern.close?.();
      keepAlive?.stop();
      return legacy.close();
    },
  };
}
