/**
 * The public options and interface of the HTTP client transport (client.ts creates it), and
 * the check of its endpoint URL.
 */
import type { RequestId, Timers } from '../../protocol/index.ts';
import type { DisposableTransport } from '../disposable.ts';
import type { FetchLike } from './client-fetch.ts';
import type { HttpClientAuth } from './client-auth.ts';
import type { ReconnectOptions } from './reconnect.ts';
import type { AnswerRetryOptions } from './client-answer-retry.ts';
import type { Dispatcher } from 'undici';
import type { ParamHeader } from './client-modern-headers.ts';
import type { HttpTransportCache, HttpTransportKind } from './client-transport-cache.ts';

/** Options of `createHttpClientTransport` (client.ts). */
export interface HttpClientTransportOptions {
  /** The server's MCP endpoint. */
  url: string | URL;
  /**
   * Reaches the server instead of the default (undici's dispatcher API). Redirects are the
   * function's to follow.
   */
  fetch?: FetchLike;
  /**
   * The undici dispatcher (Agent, Pool, ProxyAgent...) to send through. Default: one
   * keep-alive Agent shared by every transport of the process, as fetch shares its global
   * dispatcher. `close()` aborts this transport's requests and leaves the dispatcher open.
   */
  dispatcher?: Dispatcher;
  /** Extra headers on every request (e.g. `Authorization`); the protocol's own headers win. */
  headers?: Readonly<Record<string, string>>;
  /** Credentials for every request, renewed on 401/403 (e.g. `createOAuthClient` of mcpwire/client). */
  auth?: HttpClientAuth;
  /** Rejoin an existing session (e.g. from a stored token) instead of learning one from initialize. */
  sessionId?: string;
  /** The protocol version negotiated earlier, when rejoining a session. */
  protocolVersion?: string;
  /** Open the standalone GET stream once the session is initialized. Default true. */
  openStandaloneStream?: boolean;
  /** Reconnection of lost SSE streams; see {@link ReconnectOptions} for the defaults. */
  reconnect?: ReconnectOptions;
  /** Largest inbound message in bytes: one SSE event, or one JSON response body. Default 16 MiB (`DEFAULT_CLIENT_MAX_MESSAGE_BYTES`). */
  maxEventBytes?: number;
  /** Deepest nesting of objects and arrays in an inbound request or notification; a deeper one is refused (-32600). Default 512. */
  maxJsonDepth?: number;
  /**
   * Answers to the server's questions (responses to its elicitation, sampling and roots
   * requests; in the 2026-07-28 era the request retried with `inputResponses`) that meet a
   * network failure (connection refused or reset) are sent again, so a server restarting on
   * its state gets them; requests and notifications never are. Stops when the transport
   * closes, when the request the question belongs to is cancelled, or after `maxAttempts`
   * (that request then fails with MCP_ERR_HTTP). See {@link AnswerRetryOptions} for the
   * defaults (500 ms doubling to 3 s, 60 tries); `false` sends an answer once.
   */
  answerRetry?: AnswerRetryOptions | false;
  /**
   * Answers to the server's requests (pings, questions) POSTed at once; the others wait their
   * turn, so a server flooding requests cannot make the client open a connection per answer.
   * Default 16.
   */
  answerConcurrency?: number;
  /** Answers waiting their turn beyond `answerConcurrency`; past it one is refused (MCP_ERR_TOO_MANY_PENDING, reported through `onError`). Default 1 024. */
  maxQueuedAnswers?: number;
  /** How long `close()` waits for the DELETE of the session. Default 5 000 ms. */
  closeTimeoutMs?: number;
  /** The server forgot the session (HTTP 404); the client must initialize again. */
  onSessionExpired?: (sessionId: string) => void;
  /** Timers for reconnection delays and the close timeout. Default: the platform's. */
  timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  /**
   * The 2024-11-05 HTTP+SSE transport (2025-03-26+ basic/transports: backwards compatibility).
   * `fallback` (default): when the POST of `initialize` gets 400, 404 or 405, GET the URL and,
   * if its stream opens with an `endpoint` event, go on over HTTP+SSE; `off`: never; `only`:
   * speak HTTP+SSE from the start (the URL is the server's SSE endpoint).
   */
  legacySse?: 'fallback' | 'off' | 'only';
  /** How long the HTTP+SSE GET may take to answer and send its `endpoint` event. Default 10 000 ms. */
  sseEndpointTimeoutMs?: number;
  /**
   * Where the transport an endpoint speaks is remembered per URL, so a known HTTP+SSE server is
   * reached with a GET at once; `false` for none. Default: one per process (entries live 10 minutes).
   */
  transportCache?: HttpTransportCache | false;
}

/** Options of {@link HttpClientTransport.resume}. */
export interface ResumeOptions {
  /** Told each event id seen on the resumed stream. */
  onResumptionToken?: (token: string) => void;
  /** The requests whose responses travel on that stream; once all arrived, it ends. */
  requestIds?: RequestId[];
}

/** A Streamable HTTP client transport. */
export interface HttpClientTransport extends DisposableTransport {
  /** The server's endpoint, as given. */
  readonly url: string;
  /** The session id, once the server issued one (or the one given to rejoin). */
  readonly sessionId: string | undefined;
  /** The protocol version sent in `MCP-Protocol-Version`, once known. */
  readonly protocolVersion: string | undefined;
  /**
   * A number that changes each time the credentials the `auth` option gives change (0 without
   * `auth`): a result cached with `cacheScope: "private"` is reused only under the same one.
   */
  readonly credentialsEpoch: number;
  /** `sse` once the transport speaks the 2024-11-05 HTTP+SSE transport, else `streamable`. */
  readonly httpTransport: HttpTransportKind;
  /**
   * Resume a request's SSE stream from a stored event id, e.g. in a new process: GET with
   * `Last-Event-ID`. Resolves once the stream is open; the replayed and live messages are
   * delivered like any others, and the stream is resumed again if it drops. Rejects with an
   * HttpError when the server refuses (404: session gone; 400/410: unknown or evicted id).
   */
  resume(lastEventId: string, options?: ResumeOptions): Promise<void>;
  /**
   * DELETE the session without closing the transport. Resolves true when the session is
   * gone (the id is forgotten), false when the server does not allow it (405).
   */
  terminateSession(): Promise<boolean>;
  /**
   * Which arguments of `tool` its 2026-07-28 requests mirror into `Mcp-Param-*` headers (from
   * the `x-mcp-header` marks of its input schema); undefined or empty forgets the tool.
   */
  setParamHeaders(tool: string, headers: readonly ParamHeader[] | undefined): void;
}

/**
 * The endpoint URL as a string, or a TypeError naming the fault: an address without a scheme
 * (`localhost:3000/mcp`) or one that is not http(s) otherwise failed each request as "Invalid URL".
 */
export function checkUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new TypeError(`url must be an absolute http: or https: URL (e.g. http://127.0.0.1:3000/mcp), got ${JSON.stringify(String(url))}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`url must be an http: or https: URL (e.g. http://127.0.0.1:3000/mcp), got ${JSON.stringify(String(url))}`);
  return String(url);
}

/** A TypeError unless `options` is an options object: a URL given alone, or nothing, failed as "Cannot destructure property 'legacySse'". */
export function checkOptionsObject(options: unknown): void {
  if (typeof options !== 'object' || options === null || options instanceof URL) {
    throw new TypeError(`createHttpClientTransport: options must be an object { url, ... }, got ${typeof options === 'object' && options !== null ? `the URL ${String(options)}` : JSON.stringify(options) ?? String(options)}`);
  }
}
