/**
 * The 2024-11-05 HTTP+SSE transport, client side, for servers older than Streamable HTTP
 * (2025-03-26+ basic/transports: backwards compatibility). A GET to the server's URL opens
 * an SSE stream whose first event, `endpoint`, names the URL to POST messages to; every
 * server message then arrives on that stream as a `message` event, and each POST is only
 * acknowledged (202). The stream is the session: it has no event ids to resume from, so
 * when it ends the session is over (the transport closes).
 */
import { LocalErrorCode, McpError, parseJson, type Timers } from '../../protocol/index.ts';
import { asError } from '../../protocol/errors.ts';
import { createSseDecoder, type SseEvent } from '../sse/decode.ts';
import type { ClientReply, Exchange, Exchanger } from './client-exchange.ts';
import { discardBody, httpErrorFrom, mediaTypeOf, refusedEvent } from './client-response.ts';

/** Default of `sseEndpointTimeoutMs`: how long the GET may take to name its endpoint. */
export const DEFAULT_SSE_ENDPOINT_TIMEOUT_MS = 10_000;

/** What a link needs from the transport that opens it. */
export interface SseLinkDeps {
  /** The server's URL, which the GET goes to and the endpoint is resolved against. */
  readonly url: string;
  /** Start the GET of the server's URL (with the user's headers and `Accept: text/event-stream`). */
  get(): Exchange;
  /** An exchanger (with the transport's credentials) for the endpoint the server named. */
  exchangerFor(endpoint: string): Exchanger;
  /** Headers of a POST to the endpoint. */
  postHeaders(): Readonly<Record<string, string>>;
  readonly timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  /** Largest event on the stream, in bytes; a larger one is dropped and reported. */
  readonly maxEventBytes: number;
  readonly maxJsonDepth: number;
  /** How long the GET may take to answer and send its `endpoint` event. */
  readonly endpointTimeoutMs: number;
  /** A message from the server. */
  deliver(value: unknown): void;
  reportError(error: Error): void;
  /** The open stream ended or failed: the session is gone. */
  lost(error: Error): void;
  /** Pending while answers to the server's requests wait their turn (client-answer-gate.ts). */
  answersWaiting?(): Promise<void> | undefined;
}

/** `url` as the endpoint a stream at `base` may name; an error when it may not. */
function endpointUrl(data: string, base: string): string | McpError {
  let url: URL;
  try {
    url = new URL(data.trim(), base);
  } catch {
    return new McpError(LocalErrorCode.Protocol, `the HTTP+SSE endpoint event named ${JSON.stringify(data)}, not a URL`);
  }
  // Our credentials go with every POST: the endpoint must be the server's own origin.
  if (url.origin !== new URL(base).origin) {
    return new McpError(LocalErrorCode.Protocol, `the HTTP+SSE endpoint ${url.href} is not on the server's origin ${new URL(base).origin}`);
  }
  return url.href;
}

/** An open HTTP+SSE session: its stream, its endpoint, the POSTs in flight. */
export class SseLink {
  readonly endpoint: string;
  readonly #deps: SseLinkDeps;
  readonly #stream: Exchange;
  readonly #poster: Exchanger;
  readonly #posts = new Set<Exchange>();
  #closing = false;

  private constructor(deps: SseLinkDeps, stream: Exchange, endpoint: string) {
    this.#deps = deps;
    this.#stream = stream;
    this.endpoint = endpoint;
    this.#poster = deps.exchangerFor(endpoint);
  }

  /**
   * GET the server's URL and wait, within `endpointTimeoutMs`, for the `endpoint` event.
   * Rejects with why this is no HTTP+SSE server (a status, another content type, another
   * first event, a timeout); the GET is dropped then.
   */
  static open(deps: SseLinkDeps): Promise<SseLink> {
    const exchange = deps.get();
    return new Promise<SseLink>((resolve, reject) => {
      let link: SseLink | undefined;
      const fail = (error: Error) => {
        if (link) return;
        deps.timers.clearTimeout(timer);
        exchange.abort(error);
        reject(error);
      };
      const timer = deps.timers.setTimeout(() => {
        fail(new McpError(LocalErrorCode.Timeout, `no HTTP+SSE endpoint event from ${deps.url} within ${deps.endpointTimeoutMs} ms`));
      }, deps.endpointTimeoutMs);
      const onFirst = (event: SseEvent): SseLink | undefined => {
        // 2024-11-05 basic/transports: the server MUST send an `endpoint` event first.
        if (event.event !== 'endpoint') {
          fail(new McpError(LocalErrorCode.Protocol, `the first event of the stream at ${deps.url} was ${JSON.stringify(event.event ?? 'message')}, not endpoint`));
          return undefined;
        }
        const endpoint = endpointUrl(event.data, deps.url);
        if (endpoint instanceof McpError) {
          fail(endpoint);
          return undefined;
        }
        deps.timers.clearTimeout(timer);
        link = new SseLink(deps, exchange, endpoint);
        resolve(link);
        return link;
      };
      exchange.head.then(async (reply) => {
        if (reply.status < 200 || reply.status >= 300) return fail(await httpErrorFrom(reply, 'GET for an HTTP+SSE stream'));
        if (mediaTypeOf(reply) !== 'text/event-stream') {
          return fail(new McpError(LocalErrorCode.Protocol, `GET for an HTTP+SSE stream answered ${JSON.stringify(mediaTypeOf(reply))}, not text/event-stream`));
        }
        const reading = readStream(reply, deps, (event) => (link ? link.#onEvent(event) : onFirst(event)));
        reading.then(
          () => (link ? link.#ended(new McpError(LocalErrorCode.Http, `the HTTP+SSE stream at ${deps.url} ended; the session is over (2024-11-05 has no resumption)`)) : fail(new McpError(LocalErrorCode.Protocol, `the stream at ${deps.url} ended before its endpoint event`))),
          (error: unknown) => (link ? link.#ended(new McpError(LocalErrorCode.Http, `the HTTP+SSE stream at ${deps.url} failed: ${asError(error).message}`, { cause: error })) : fail(asError(error))),
        );
      }, (error: unknown) => fail(new McpError(LocalErrorCode.Http, `GET for an HTTP+SSE stream failed: ${asError(error).message}`, { cause: error })));
    });
  }

  /** POST one message (or batch) to the endpoint; resolves once the server acknowledged it. */
  async post(body: string): Promise<void> {
    if (this.#closing) throw new McpError(LocalErrorCode.Closed, 'cannot send: the HTTP+SSE session is closed');
    const exchange = this.#poster.send({ method: 'POST', headers: this.#deps.postHeaders(), body });
    this.#posts.add(exchange);
    try {
      let reply: ClientReply;
      try {
        reply = await exchange.head;
      } catch (error) {
        if (this.#closing) throw new McpError(LocalErrorCode.Closed, 'the HTTP+SSE session closed while sending', { cause: error });
        throw new McpError(LocalErrorCode.Http, `POST to ${this.endpoint} failed: ${asError(error).message}`, { cause: error });
      }
      if (reply.status < 200 || reply.status >= 300) throw await httpErrorFrom(reply, `POST to the HTTP+SSE endpoint ${this.endpoint}`);
      // The answer comes on the stream; the body ("Accepted") is read and dropped.
      await discardBody(reply, exchange, this.#deps.maxEventBytes);
    } finally {
      this.#posts.delete(exchange);
    }
  }

  /** Drop the stream and the POSTs in flight (2024-11-05: closing the stream ends the session). */
  async close(reason: Error): Promise<void> {
    this.#closing = true;
    this.#stream.abort(reason);
    for (const post of this.#posts) post.abort(reason);
    await this.#poster.close();
  }

  #onEvent(event: SseEvent): undefined {
    // Server messages are `message` events (the SSE default type); others are not ours.
    // Unparsable data goes up as such: the session answers it as any other transport's.
    if (event.event === undefined || event.event === 'message') this.#deps.deliver(parseJson(event.data, this.#deps.maxJsonDepth));
    return undefined;
  }

  #ended(error: Error): void {
    if (!this.#closing) this.#deps.lost(error);
  }
}

/** Feed the body of `reply` through an SSE decoder to `onEvent` until it ends. */
function readStream(reply: ClientReply, deps: SseLinkDeps, onEvent: (event: SseEvent) => unknown): Promise<void> {
  const decoder = createSseDecoder({
    maxBufferBytes: deps.maxEventBytes,
    onEvent: (event) => void onEvent(event),
    onError: (error) => deps.reportError(error),
    // This transport cannot fail one request: the refusal is reported, the request waits on.
    onNotUtf8: (error, event) => deps.reportError(refusedEvent(event, error, deps.maxJsonDepth).error),
  });
  return reply.stream((chunk) => {
    decoder.push(chunk);
    return deps.answersWaiting?.(); // no more reading while our answers wait (backpressure)
  }).then(() => decoder.end());
}
