/**
 * The Node `http` adapter. A server handler (anything with `exchange`) is served directly:
 * IncomingMessage -> InboundRequest, ServerReply -> ServerResponse, no WHATWG objects on the way.
 * Any other `Request -> Response` function is served through Request/Response conversion,
 * with backpressure. Either way a client disconnect ends the response body, which the SSE
 * stream treats as a lost connection, not a cancelled request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { loadOnce } from '../../protocol/load-once.ts';
import { shown } from '../../protocol/wrong-arguments.ts';
import type { ExchangeServable } from './exchange.ts';
import { checkLimit, lingerOnClose } from './linger-close.ts';
import { isWildcardHost } from './server-options.ts';
import { ownExchangeListener, preParsedTextOr400, type NodeListener } from './node-exchange.ts';

export { toExchangeListener, type NodeListener } from './node-exchange.ts';

/** A fetch-style handler (`Request -> Response`) that `listen` serves through Request/Response conversion. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The fetch-style serving (node-fetch-serve.ts), loaded by the first request to such a
 * handler: a server of exchanges (every MCP handler made here) never loads or bundles it.
 */
const fetchServe = loadOnce(() => import('./node-fetch-serve.ts'));

/** Turn a `Request -> Response` handler into a Node request listener. */
export function toNodeListener(handler: FetchHandler, onError?: (error: Error) => void): NodeListener {
  return (req, res, parsed) => {
    const text = preParsedTextOr400(parsed, res);
    if (text === false) return;
    const loaded = fetchServe.loaded;
    void (loaded ? loaded.serve(handler, req, res, text) : fetchServe.load().then((m) => m.serve(handler, req, res, text))).catch((error: Error) => {
      onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  };
}

/** Options of {@link listen}: where to bind, and the Node server's limits (README: limits). */
export interface ListenOptions {
  /**
   * Bind address: a non-empty string (TypeError otherwise; Node took `''` or a number for every
   * interface). Default 127.0.0.1 (2025-11-25 basic/transports: bind to localhost when local).
   */
  host?: string;
  /**
   * TCP port, an integer from 0 to 65535 (RangeError otherwise, TypeError for a non-number:
   * Node took `'x'` for a Unix socket path); 0 picks a free one. Default 3000.
   */
  port?: number;
  /**
   * Longest time (ms) a client may take to send one whole request, headers and body; past it
   * Node answers 408 and closes the connection, so a slow body cannot hold a connection
   * open. 0 disables. Default 30 000. (A response, an SSE stream included, is not limited.)
   */
  requestTimeoutMs?: number;
  /** Longest time (ms) a client may take to send the request headers (at most `requestTimeoutMs`). 0 disables. Default 10 000. */
  headersTimeoutMs?: number;
  /**
   * How long (ms) a connection the server closes (after a 413, or a `Connection: close`
   * request) keeps reading, and discarding, what the client still sends before it is
   * dropped; it ends sooner when the client closes. A client still writing a body over the
   * limit then reads its 413 instead of a reset (RFC 9112 section 9.6). 0 closes at once.
   * Default 1 000.
   */
  closeLingerMs?: number;
  /**
   * How long (ms) an idle keep-alive connection stays open for the client's next request.
   * Default 65 000: past the 60 s idle timeout of common proxies, so the proxy closes first.
   */
  keepAliveTimeoutMs?: number;
  /** Connections open at once; one accepted past it is closed at once. 0 (default): no cap. */
  maxConnections?: number;
  /**
   * Header fields in one request; a request with more gets 431 and its connection is closed
   * (RFC 6585 section 5). Node alone kept the first 2 000 and dropped the rest unsaid, so a
   * header sent after them (`Accept`, `Mcp-Session-Id`) was answered as if missing. 0: no
   * count limit (Node's 16 KiB header size limit still holds). Default 2 000.
   */
  maxHeaderCount?: number;
  /** Told an error the handler rejected with (or failed serving a request with); that request got 500. */
  onError?: (error: Error) => void;
}

/** Defaults of the {@link ListenOptions} limits. */
export const LISTEN_DEFAULTS = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, closeLingerMs: 1_000, keepAliveTimeoutMs: 65_000, maxConnections: 0, maxHeaderCount: 2_000 };

/** What {@link listen} resolves with, once bound. */
export interface ListeningServer {
  /** The Node http server. */
  readonly server: Server;
  /** The bind address, as given (default 127.0.0.1). */
  readonly host: string;
  /** The port bound: the real one when 0 was asked for. */
  readonly port: number;
  /** Stop listening and close idle and open connections. */
  close(): Promise<void>;
  /** `close()`, for `await using listening = await listen(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serve `handler` (a server handler, served directly, or any fetch-style function) on a Node http server. */
export function listen(handler: FetchHandler | ExchangeServable, options: ListenOptions = {}): Promise<ListeningServer> {
  const { host, port } = checkListenArguments(handler, options);
  const lingerMs = checkLimit('closeLingerMs', options.closeLingerMs ?? LISTEN_DEFAULTS.closeLingerMs);
  const maxHeaderCount = checkLimit('maxHeaderCount', options.maxHeaderCount ?? LISTEN_DEFAULTS.maxHeaderCount);
  const listener = countingHeaders(typeof handler === 'function' ? toNodeListener(handler, options.onError) : ownExchangeListener(handler, options.onError), maxHeaderCount);
  const requestTimeout = checkLimit('requestTimeoutMs', options.requestTimeoutMs ?? LISTEN_DEFAULTS.requestTimeoutMs);
  const headersTimeout = Math.min(checkLimit('headersTimeoutMs', options.headersTimeoutMs ?? LISTEN_DEFAULTS.headersTimeoutMs), requestTimeout || Number.POSITIVE_INFINITY);
  const shortest = Math.min(requestTimeout || Number.POSITIVE_INFINITY, headersTimeout || Number.POSITIVE_INFINITY);
  const server = createServer({
    requestTimeout, headersTimeout,
    // Node checks the timeouts every this many ms (30 s by default): often enough that a
    // limit holds within a quarter of itself (and at least once a second).
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(shortest / 4))),
  }, listener);
  // Node keeps this many fields and drops the rest: one past the limit tells a request over it.
  server.maxHeadersCount = maxHeaderCount === 0 ? 0 : maxHeaderCount + 1;
  server.keepAliveTimeout = checkLimit('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? LISTEN_DEFAULTS.keepAliveTimeoutMs);
  const maxConnections = checkLimit('maxConnections', options.maxConnections ?? LISTEN_DEFAULTS.maxConnections);
  if (maxConnections > 0) server.maxConnections = maxConnections;
  if (lingerMs > 0) server.on('connection', (socket: Socket) => lingerOnClose(socket, lingerMs));
  // RFC 9110 section 10.1.1: a server that will refuse the content (413 by its Content-Length)
  // answers with that final status instead of 100 Continue. Node sends 100 before the handler
  // looks; here it goes only once the handler starts reading the body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const onListener = (event: string | symbol) => {
      if (event !== 'data' && event !== 'readable') return;
      req.off('newListener', onListener);
      if (!res.headersSent) res.writeContinue();
    };
    req.on('newListener', onListener);
    listener(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      // The handler's Host/Origin checks follow the port bound, not the 0 asked for.
      // Another listen of the same handler adds its names; this one's are forgotten when it closes.
      const forget = typeof handler !== 'function' ? handler.listeningOn?.({ host, port: bound, machineAddresses: isWildcardHost(host) ? machineAddresses() : [] }) : undefined;
      const close = () => new Promise<void>((done) => {
        forget?.();
        server.close(() => done());
        server.closeAllConnections();
      });
      resolve({ server, host, port: bound, close, [Symbol.asyncDispose]: close });
    });
  });
}

/**
 * `listen`'s handler, host and port checked before anything binds: `listen(undefined)` bound the
 * port and then threw from the listening callback, out of reach of the caller (the process
 * crashed with the port still open); `host: ''` or a number bound every interface; `port: 'x'`
 * made a Unix socket named x in the working directory; an options string served port 3000.
 */
function checkListenArguments(handler: unknown, options: unknown): { host: string; port: number } {
  const servable = typeof handler === 'function' || (typeof handler === 'object' && handler !== null && typeof (handler as ExchangeServable).exchange === 'function');
  if (!servable) throw new TypeError(`listen: handler must be an MCP handler (createMcpHttpHandler) or a function (request: Request) => Promise<Response>, got ${shown(handler)}`);
  if (typeof options !== 'object' || options === null) throw new TypeError(`listen: options must be an object (ListenOptions), got ${shown(options)}`);
  const { host = '127.0.0.1', port = 3000 } = options as ListenOptions;
  if (typeof host !== 'string' || host === '') throw new TypeError(`host must be a non-empty string (an address or name to bind), got ${shown(host)}`);
  if (typeof port !== 'number') throw new TypeError(`port must be a number, got ${shown(port)}`);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  return { host, port };
}

/** `listener`, behind a 431 for a request with more than `max` header fields (0: no limit). */
function countingHeaders(listener: NodeListener, max: number): NodeListener {
  if (max === 0) return listener;
  return (req, res, body) => {
    if (req.rawHeaders.length <= 2 * max) return listener(req, res, body);
    // RFC 6585 section 5; closed, as Node closes after its own 431 (the body is not read).
    const message = `Request Header Fields Too Large: more than ${max} header fields (maxHeaderCount)`;
    res.writeHead(431, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } }));
  };
}

/**
 * The IP addresses of this machine's network interfaces (loopback included), for the allowed
 * hosts of a server bound to every interface: `defaultAllowedHosts('0.0.0.0', port, machineAddresses())`.
 */
export function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    // A link-local IPv6 address needs its zone in a URL; browsers do not send it as a Host.
    for (const info of list ?? []) if (!(info.family === 'IPv6' && info.scopeid)) out.push(info.address);
  }
  return out;
}
