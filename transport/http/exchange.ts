/**
 * One HTTP exchange as the Streamable HTTP server sees it, independent of the HTTP server
 * that delivered it. The fetch-style adapter (`Request -> Response`) and the Node adapter
 * (`IncomingMessage`/`ServerResponse`) both translate to and from these shapes, so the
 * Node path never builds WHATWG Request, Response, Headers or ReadableStream objects: on a
 * small MCP call those cost more CPU than the MCP work itself.
 */
import type { AuthInfo } from '../../protocol/index.ts';
import type { SseConnection } from './sse-connection.ts';
import type { BoundAddress } from './allowed-peers.ts';

/** An inbound HTTP request. */
export interface InboundRequest {
  readonly method: string;
  /** The path of the request target, without the query. */
  readonly path: string;
  /** A header's value (several occurrences joined with `, `), or null. `name` is lower-case. */
  header(name: string): string | null;
  /** Every header, names lower-cased. Read-only: it may be the adapter's own object. */
  headerRecord(): Readonly<Record<string, string>>;
  /**
   * The body as UTF-8 text, or null when it is larger than `maxBytes` (the rest is then
   * not read). Rejects with a `NotUtf8Error` (protocol/utf8.ts) when the bytes are not
   * UTF-8. Called at most once.
   */
  text(maxBytes: number): Promise<string | null>;
  /**
   * {@link text} with a callback: `done` is called once, with the text (null when larger than
   * `maxBytes`) or with the failure (a `NotUtf8Error`, or the client gone before the body
   * ended). Optional: an adapter that reads with listeners gives it, and a POST's body is
   * then read with no promise made for it. Called at most once, and not with {@link text}.
   */
  readText?(maxBytes: number, done: (text: string | null, error?: Error) => void): void;
  /** The request as a WHATWG `Request` without its body, built on demand (for `options.extra`). */
  toRequest(): Request;
  /** Who sent it, once the entry's `authenticate` hook established it (never set by adapters). */
  readonly auth?: AuthInfo | undefined;
  /**
   * Call `listener` once if the client goes away (closes the connection) before the reply is
   * complete; at once if it has gone already. Absent when the adapter cannot tell.
   */
  onClientGone?(listener: () => void): void;
}

/** The answer to an {@link InboundRequest}: a complete body, or an SSE connection that streams. */
export interface ServerReply {
  status: number;
  headers: Record<string, string>;
  /** A complete body (JSON, usually); none when absent. */
  body?: string;
  /** A streaming `text/event-stream` body; its adapter pipes it to the client. */
  sse?: SseConnection;
}

/** Handles one exchange. */
export type ExchangeHandler = (request: InboundRequest) => Promise<ServerReply>;

/** Where an exchange answered through a callback puts its outcome: exactly one of the two, once. */
export interface ReplySink {
  /** The reply to write. */
  replied(reply: ServerReply): void;
  /** The exchange failed (an `exchange` promise's rejection): the adapter reports it and answers 500. */
  failed(error: Error): void;
}

/**
 * An exchange answering through a {@link ReplySink}, which names the `exchange` it answers as:
 * a wrapper that replaces a handler's `exchange` and copies the rest (`{ ...handler, exchange }`)
 * is then not bypassed, since its `exchange` is not the one named.
 */
export interface ExchangeTo {
  (request: InboundRequest, sink: ReplySink): void;
  readonly answersAs: ExchangeHandler;
}

/** `reply`'s outcome, given to `sink` (an exchange answered by its promise). */
export function replyTo(reply: Promise<ServerReply>, sink: ReplySink): void {
  reply.then((value) => sink.replied(value), (error: Error) => sink.failed(error));
}

/** `to`, as the {@link ExchangeTo} that answers as `exchange`. */
export function exchangeToOf(to: (request: InboundRequest, sink: ReplySink) => void, exchange: ExchangeHandler): ExchangeTo {
  return Object.assign(to, { answersAs: exchange });
}

/** An object that can serve exchanges directly (see `listen`). */
export interface ExchangeServable {
  exchange: ExchangeHandler;
  /**
   * {@link exchange} answering through `sink`: a reply ready as soon as the request's body is
   * read (an answer POST's 202) reaches the adapter in the same step, with no promise made
   * for it (bench f). Optional; the Node adapter uses it, read per request as `exchange` is,
   * only while it answers as the servable's `exchange` ({@link ExchangeTo.answersAs}).
   */
  exchangeTo?: ExchangeTo | undefined;
  /**
   * Told by `listen`, once bound, where it serves: the MCP handlers' Host and Origin checks
   * follow the real port of a port-0 listen (allowed-peers.ts), of each listen serving the
   * handler at once. Returns what `listen` calls when it closes, to forget that address.
   */
  listeningOn?(address: BoundAddress): (() => void) | void;
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): ServerReply {
  // No spread when there is nothing to add (every tools/call reply in JSON mode).
  return { status, headers: headers ? { 'content-type': 'application/json', ...headers } : { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** A reply with no body (202 Accepted, 200 to DELETE). */
export function emptyReply(status: number): ServerReply {
  return { status, headers: {} };
}

/**
 * True for the headers of {@link sseReply} that speak of a stream only (no caching or
 * transforming of it, no buffering by an nginx proxy): an SSE reply complete before its head
 * goes is sent whole with a Content-Length, like a JSON body, and the Node adapter leaves them
 * out of it (Node checks and lowers each header it is given: ~1.5k instructions a header in
 * bench c). A JSON reply keeps its own Cache-Control.
 */
export function streamOnlyHeader(name: string): boolean {
  return name === 'cache-control' || name === 'x-accel-buffering';
}

/** The headers of an SSE reply. */
export function sseReply(sse: SseConnection, headers?: Record<string, string>): ServerReply {
  const own: Record<string, string> = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };
  // No spread when there is nothing to add (every SSE tools/call reply).
  if (headers) for (const name in headers) own[name] = headers[name]!;
  return { status: 200, headers: own, sse };
}
