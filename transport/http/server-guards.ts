/**
 * Request checks of the Streamable HTTP server: DNS-rebinding defence, content
 * negotiation and the body size limit (2025-11-25 basic/transports), and the error replies.
 */
import { ErrorCode, LocalErrorCode, type JsonRpcRequest, type McpError, type RequestId } from '../../protocol/index.ts';
import { makeErrorResponse } from '../../protocol/jsonrpc.ts';
import { NotUtf8Error } from '../../protocol/utf8.ts';
import { jsonReply, type InboundRequest, type ReplySink, type ServerReply } from './exchange.ts';

/** A JSON reply carrying a JSON-RPC error (id-less unless given), as the spec allows for HTTP errors. */
export function errorReply(status: number, message: string, code: number = ErrorCode.InvalidRequest, id?: RequestId, headers?: Record<string, string>): ServerReply {
  return jsonReply(status, makeErrorResponse(id ?? null, { code, message }), headers);
}

/**
 * The reply to a request whose handling failed: 503 for a bound reached (with Retry-After),
 * 507 for a store that cannot write (disk full: the server's storage, not a bug, and the
 * session goes on serving what needs no write), else 500. `id`: the POST's request, when it
 * carried one alone (not a batch), so the error names it.
 */
export function failureReply(error: unknown, id?: RequestId): ServerReply {
  const { code, message } = error as McpError;
  if (code === LocalErrorCode.TooManyPending) return errorReply(503, `Service Unavailable: ${message}`, ErrorCode.InternalError, id, { 'retry-after': '5' });
  if (code === LocalErrorCode.Store) return errorReply(507, `Insufficient Storage: ${message}`, ErrorCode.InternalError, id);
  return errorReply(500, `Internal error: ${message}`, ErrorCode.InternalError, id);
}

/** {@link failureReply} to a POST of `requests`, reported through `onError`: it names the request a POST carried alone. */
export function postFailure(error: unknown, payload: unknown, requests: readonly JsonRpcRequest[], onError: (error: Error) => void): ServerReply {
  onError(error as Error);
  return failureReply(error, Array.isArray(payload) ? undefined : requests[0]?.id);
}

/** The reply still owed to request `id` when its session ends (404) or the server shuts down (503). */
export function owedReply(why: 'ended' | 'shutdown', id: RequestId | undefined): ServerReply {
  return why === 'ended'
    ? errorReply(404, 'Not Found: the session ended before this request was answered', -32600, id)
    : errorReply(503, 'Service Unavailable: the server is shutting down; retry after it restarts', -32603, id, { 'retry-after': '1' });
}

/**
 * 2025-11-25 basic/transports: servers MUST validate Origin; an invalid one gets 403. The Host
 * check stops a rebound name reaching a loopback server.
 */
export function checkOrigin(request: InboundRequest, allowedHosts: ReadonlySet<string> | undefined, allowedOrigins: ReadonlySet<string> | undefined): ServerReply | undefined {
  if (allowedHosts) {
    const host = request.header('host');
    if (host === null || !hasFolded(allowedHosts, host)) return errorReply(403, `Forbidden: Host ${JSON.stringify(host)} is not allowed`);
  }
  const origin = request.header('origin');
  if (origin !== null && allowedOrigins && !hasFolded(allowedOrigins, origin)) {
    return errorReply(403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`);
  }
  return undefined;
}

/**
 * Whether `lowered` (a set of lower-cased values) holds `value` in any case (RFC 9110 section
 * 4.2.3: scheme and host are case-insensitive). The value as sent is tried first: clients send
 * it lower-cased, and lowering Host and Content-Type on every POST was ~470 instructions a call
 * in bench b-sse (bench/README "Session 32: bytes4").
 */
function hasFolded(lowered: ReadonlySet<string>, value: string): boolean {
  return lowered.has(value) || lowered.has(value.toLowerCase());
}

/**
 * Whether the media type of a Content-Type or Accept item (parameters dropped, RFC 9110 section
 * 8.3.1: type and subtype are case-insensitive) is `lowered`; the type as sent is tried first.
 */
function isMediaType(value: string, lowered: string): boolean {
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim();
  return type === lowered || type.toLowerCase() === lowered;
}

/**
 * The 404 for a path that is not the endpoint's. It names both paths: a framework that mounts
 * the handler under a prefix and strips it (an express router) hands over the rest, so a
 * `path` given as the public URL's never matches, and "the endpoint is /api/mcp" alone reads
 * as nonsense to a client that asked for /api/mcp.
 */
export function wrongPath(got: string, endpoint: string): ServerReply {
  const shown = JSON.stringify(got.length > 100 ? `${got.slice(0, 100)}...` : got);
  return errorReply(404, `Not Found: the MCP endpoint is ${endpoint}, and this request's path is ${shown} `
    + '(a handler mounted under a prefix its framework strips sees the rest: give that as its path option)');
}

/** What an Accept header admits: JSON, SSE, or anything. */
interface Accepted { json: boolean; sse: boolean }

const COMMON_ACCEPT = 'application/json, text/event-stream';
const BOTH: Readonly<Accepted> = { json: true, sse: true };

/** A weight of zero (`;q=0`, `;q=0.000`): RFC 9110 section 12.4.2, "not acceptable". */
const REFUSED_WEIGHT = /;\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)/i;

/**
 * Read an Accept header: media types, lower-cased, parameters dropped. Media ranges count
 * (RFC 9110 section 12.5.1: `*\/*`, `application/*`, `text/*`), and a type or range given
 * weight 0 is refused, a type's own weight winning over a range's (the more specific applies).
 */
function accepted(request: InboundRequest): Accepted {
  const header = request.header('accept');
  // What MCP clients send (ours, the official SDKs): no split, trim or lower-casing per POST
  // (`accepted` was 1.7-2.7% of the server's CPU in bench b-json and c).
  if (header === COMMON_ACCEPT) return BOTH;
  if (header === null) return { json: false, sse: false };
  // Per type: 2 listed by name, 1 through a range, 0 not listed; negative: refused at that level.
  let json = 0;
  let sse = 0;
  const rank = (current: number, level: number, refused: boolean): number =>
    Math.abs(current) > level ? current : refused ? -level : Math.max(current, level);
  for (const part of header.split(',')) {
    const semi = part.indexOf(';');
    const type = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    const refused = semi !== -1 && REFUSED_WEIGHT.test(part);
    if (type === '*/*') {
      json = rank(json, 0.5, refused);
      sse = rank(sse, 0.5, refused);
    } else if (type === 'application/json') json = rank(json, 2, refused);
    else if (type === 'application/*') json = rank(json, 1, refused);
    else if (type === 'text/event-stream') sse = rank(sse, 2, refused);
    else if (type === 'text/*') sse = rank(sse, 1, refused);
  }
  return { json: json > 0, sse: sse > 0 };
}

/** 2025-11-25 basic/transports: a POST MUST accept both JSON and SSE (406 otherwise). */
export function checkPostHeaders(request: InboundRequest): ServerReply | undefined {
  const accept = accepted(request);
  if (!accept.json || !accept.sse) {
    return errorReply(406, 'Not Acceptable: the Accept header must list application/json and text/event-stream');
  }
  if (!isMediaType(request.header('content-type') ?? '', 'application/json')) return errorReply(415, 'Unsupported Media Type: Content-Type must be application/json');
  return undefined;
}

/** A GET must accept SSE (406 otherwise). */
export function checkGetHeaders(request: InboundRequest): ServerReply | undefined {
  if (!accepted(request).sse) return errorReply(406, 'Not Acceptable: the Accept header must list text/event-stream');
  return undefined;
}

/**
 * Read the body as text within `maxBytes`; a 413 reply when it is larger. The 413 closes the
 * connection (RFC 9110 section 10.1.1: a final status sent before the whole content is read
 * SHOULD say whether the connection closes; RFC 9112 section 9.6): kept alive, Node would
 * read and discard the rest, all of it after a 100 Continue, without end for a chunked body.
 */
export function readBody(request: InboundRequest, maxBytes: number): Promise<string | ServerReply> {
  const declared = Number(request.header('content-length') ?? Number.NaN);
  if (declared > maxBytes) return Promise.resolve(tooLargeReply(maxBytes));
  const read = request.readText;
  // Not async: the body's own promise and one `then`, no async function's promise and await.
  if (read === undefined) return request.text(maxBytes).then((text) => text ?? tooLargeReply(maxBytes), notUtf8Reply);
  // The adapter's callback reader: one promise (a POST without a session id, read for its era).
  return new Promise((resolve, reject) => read.call(request, maxBytes, (text, error) => {
    if (error === undefined) resolve(text ?? tooLargeReply(maxBytes));
    else if (error instanceof NotUtf8Error) resolve(notUtf8Reply(error));
    else reject(error);
  }));
}

/**
 * A POST's reply: its body read within `maxBytes` (the 413 and 400 replies of {@link readBody})
 * and given to `use`; a failure (the client gone before the body ended, `use` throwing or
 * rejecting) is `failed`'s reply. Never rejects. Through the adapter's callback reader when it
 * has one (the Node adapter): one promise for the body and the reply, where the body's,
 * readBody's, a `then` and a `catch` were four (an answer's POST, bench f).
 */
export function readPost(request: InboundRequest, maxBytes: number,
  use: (request: InboundRequest, body: string) => ServerReply | Promise<ServerReply>, failed: (error: unknown) => ServerReply): Promise<ServerReply> {
  if (request.readText === undefined) return readBody(request, maxBytes).then((body) => (typeof body === 'string' ? use(request, body) : body)).catch(failed);
  return new Promise((resolve) => readPostTo(request, maxBytes, use, failed, { replied: resolve }));
}

/**
 * {@link readPost} through the adapter's callback reader (`request.readText`, which it must
 * have), its reply given to `sink` once: in the same step when `use` answers at once (an
 * answer's 202), with no promise made (`exchangeTo`, bench f).
 */
export function readPostTo(request: InboundRequest, maxBytes: number,
  use: (request: InboundRequest, body: string) => ServerReply | Promise<ServerReply>, failed: (error: unknown) => ServerReply,
  sink: Pick<ReplySink, 'replied'>): void {
  const reply = (body: string | ServerReply) => {
    let replied: ServerReply | Promise<ServerReply>;
    try {
      replied = typeof body === 'string' ? use(request, body) : body;
    } catch (error) {
      return sink.replied(failed(error));
    }
    if (replied instanceof Promise) replied.then((value) => sink.replied(value), (error: unknown) => sink.replied(failed(error)));
    else sink.replied(replied);
  };
  const declared = Number(request.header('content-length') ?? Number.NaN);
  if (declared > maxBytes) return reply(tooLargeReply(maxBytes));
  request.readText!(maxBytes, (text, error) => {
    if (error === undefined) reply(text ?? tooLargeReply(maxBytes));
    else if (error instanceof NotUtf8Error) reply(notUtf8Reply(error));
    else sink.replied(failed(error));
  });
}

/** 2025-11-25 basic/transports: JSON-RPC messages MUST be UTF-8; a body that is not is a parse error. */
export function notUtf8Reply(error: unknown): ServerReply {
  if (error instanceof NotUtf8Error) return errorReply(400, `Parse error: ${error.message}`, ErrorCode.ParseError);
  throw error;
}

function tooLargeReply(maxBytes: number): ServerReply {
  return errorReply(413, `Payload Too Large: the body exceeds ${maxBytes} bytes (maxBodyBytes)`, ErrorCode.InvalidRequest, undefined, { connection: 'close' });
}
