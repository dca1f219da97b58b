/**
 * The 2026-07-28 requests of the HTTP client transport (basic/transports/streamable-http):
 * each request is one stateless POST, with no session id, answered with JSON or with an SSE
 * stream that carries the request's own notifications and ends with its response. There is
 * no resumption: a stream that ends without the response loses the request
 * (MCP_ERR_STREAM_LOST), and the client decides whether to issue it again. Cancelling a
 * request closes its stream. An error status whose body is a JSON-RPC error answers the
 * request with that error.
 */
import { HttpError, LocalErrorCode, McpError, parseJson, type JsonRpcRequest, type RequestId } from '../../protocol/index.ts';
import { asError } from '../../protocol/errors.ts';
import { responseIdOf } from '../../protocol/jsonrpc.ts';
import { createSseDecoder } from '../sse/decode.ts';
import type { Exchange, Exchanger } from './client-exchange.ts';
import { MODERN_META } from '../../protocol/modern-meta.ts';
import { modernRequestHeaders, type ParamHeader } from './client-modern-headers.ts';
import { httpErrorFrom, mediaTypeOf, noResponseIn, readBodyText, refusedEvent } from './client-response.ts';
import { isNetworkFailure, type AnswerRetry, type AnswerSend } from './client-answer-retry.ts';
import { SKIP_LIMIT } from './client-streams.ts';

/** What the poster needs from its transport. */
export interface ModernPostDeps {
  exchanger: Exchanger;
  /** The user's headers, lower-case names (the protocol's own win). */
  userHeaders: Readonly<Record<string, string>>;
  maxEventBytes: number;
  maxJsonDepth: number;
  deliver(value: unknown, relatedRequestId: RequestId): void;
  requestFailed(id: RequestId, error: Error): void;
  reportError(error: Error): void;
  paramHeaders(tool: string): readonly ParamHeader[] | undefined;
  /** How a request that carries answers (`inputResponses`) is sent again after a network failure. */
  answers: AnswerRetry;
}

/** True for a retried request that carries the answers to the server's input requests (basic/patterns/mrtr). */
function carriesAnswers(message: JsonRpcRequest): boolean {
  const params = message.params as Record<string, unknown> | undefined;
  return params !== undefined && params.inputResponses !== undefined;
}

/** True for a request whose `_meta` names a version of the stateless era. */
export function isModernRequest(message: unknown): message is JsonRpcRequest {
  if (typeof message !== 'object' || message === null || !('id' in message) || !('method' in message)) return false;
  const meta = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
  const version = meta?.[MODERN_META.protocolVersion];
  return typeof version === 'string' && version >= '2026-07-28';
}

/** The modern requests of one transport, each on its own POST. */
export class ModernPoster {
  readonly #deps: ModernPostDeps;
  readonly #inflight = new Map<RequestId, Exchange>();
  readonly #running = new Set<Promise<void>>();

  constructor(deps: ModernPostDeps) {
    this.#deps = deps;
  }

  /**
   * POST `message`; resolves once its answer began (JSON delivered, or the stream handed to
   * a reader), rejects when the POST itself failed.
   */
  async post(message: JsonRpcRequest): Promise<void> {
    const headers = {
      ...this.#deps.userHeaders,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      ...modernRequestHeaders(message as { method: string; params?: Record<string, unknown> }, this.#deps.paramHeaders),
    };
    const request = { method: 'POST', headers, body: JSON.stringify(message) } as const;
    let exchange = this.#deps.exchanger.send(request);
    const id = message.id;
    this.#inflight.set(id, exchange);
    let handedOver = false;
    /** Tracked while a retry that carries answers is on its way, so a cancel ends its re-sends. */
    let answer: AnswerSend | undefined;
    try {
      let reply;
      const answers = carriesAnswers(message) ? this.#deps.answers : undefined;
      answer = answers?.track([id]);
      for (let attempt = 1; ; attempt++) {
        let failure: unknown;
        try {
          reply = await exchange.head;
          // 503: the server is starting or shutting down; a retry that carries answers is sent again.
          if (reply.status !== 503 || answers === undefined || answers.maxAttempts <= 1) break;
          failure = await httpErrorFrom(reply, `POST ${message.method}`);
        } catch (error) {
          failure = error;
        }
        // No response at all (a reset keep-alive socket, a refused connection): as with a
        // stream cut before its response, the request is lost and the client decides whether
        // it is safe to issue again (2026-07-28 basic/transports/streamable-http: no resumability). A retry
        // that carries the user's answers is sent again here, as the legacy era's answers are
        // (client-answer-retry.ts): dropped, the answers would be asked for again or lost.
        // The same id: the server never answered it, and a server that did take the first
        // try refuses the second by its single-use requestState (basic/patterns/mrtr).
        const retryable = !exchange.aborted && (failure instanceof HttpError || isNetworkFailure(failure));
        const delay = answers?.delayAfter(attempt, retryable, undefined);
        if (delay === undefined || !(await answers!.pause(delay, answer)) || this.#inflight.get(id) !== exchange) {
          if (failure instanceof HttpError) throw answers!.givenUp(attempt, failure, `POST ${message.method}`);
          const what = attempt === 1 ? 'failed before any response' : `failed before any response (sent ${attempt} times)`;
          throw new McpError(exchange.aborted || this.#inflight.get(id) !== exchange ? LocalErrorCode.Aborted : LocalErrorCode.StreamLost, `POST ${message.method} ${what}: ${asError(failure).message}`, { cause: failure });
        }
        exchange = this.#deps.exchanger.send(request);
        this.#inflight.set(id, exchange);
      }
      if (reply.status < 200 || reply.status >= 300) {
        const error = await httpErrorFrom(reply, `POST ${message.method}`);
        // 2026-07-28 basic/transports/streamable-http: the modern errors travel as JSON-RPC bodies with 4xx.
        if (error.rpcError) {
          this.#deps.deliver({ jsonrpc: '2.0', id, error: error.rpcError }, id);
          return;
        }
        throw error;
      }
      const type = mediaTypeOf(reply);
      if (type === 'application/json') {
        const value = parseJson(await readBodyText(reply, this.#deps.maxEventBytes, 'maxEventBytes', true), this.#deps.maxJsonDepth);
        this.#deps.deliver(value, id);
        // The body is the request's one response: one that holds none fails it now, not at its timeout.
        if (responseIdOf(value) !== id) throw noResponseIn(value, [id]);
        return;
      }
      if (type !== 'text/event-stream') {
        const error = new McpError(LocalErrorCode.Protocol, `the server answered ${message.method} with content type ${JSON.stringify(type)}, neither application/json nor text/event-stream`);
        exchange.abort(error);
        throw error;
      }
      handedOver = true;
      const reading = this.#read(id, exchange, reply).finally(() => {
        this.#inflight.delete(id);
        this.#running.delete(reading);
      });
      this.#running.add(reading);
    } finally {
      if (!handedOver) this.#inflight.delete(id);
      this.#deps.answers.sent(answer);
    }
  }

  /** Read one request's stream until its response; a stream that ends first loses the request. */
  async #read(id: RequestId, exchange: Exchange, reply: { stream(onChunk: (chunk: Uint8Array) => void): Promise<void> }): Promise<void> {
    let answered = false;
    const max = this.#deps.maxEventBytes;
    /** The event over `maxEventBytes` dropped last, while no event has followed it, and the bytes read since. */
    let dropped: McpError | undefined;
    let skipped = 0;
    const decoder = createSseDecoder({
      maxBufferBytes: max,
      onEvent: (event) => {
        dropped = undefined;
        if (event.data === '' || answered) return;
        const value = parseJson(event.data, this.#deps.maxJsonDepth);
        if (responseIdOf(value) === id) answered = true;
        this.#deps.deliver(value, id);
        // The response ends the stream (2026-07-28 basic/transports/streamable-http: SHOULD); let it go.
        if (answered) exchange.abort(new McpError(LocalErrorCode.Closed, 'the response arrived'));
      },
      onError: (error) => {
        if (error.code === LocalErrorCode.MessageTooLarge) {
          dropped = error;
          skipped = 0;
        }
        this.#deps.reportError(error);
      },
      onNotUtf8: (error, event) => {
        dropped = undefined;
        if (answered) return;
        const refused = refusedEvent(event, error, this.#deps.maxJsonDepth);
        if (refused.id !== id) return this.#deps.reportError(refused.error);
        answered = true;
        this.#deps.requestFailed(id, refused.error);
        exchange.abort(new McpError(LocalErrorCode.Closed, 'the response arrived'));
      },
    });
    let failure: Error | undefined;
    try {
      await reply.stream((chunk) => {
        decoder.push(chunk);
        // An event that runs on that far may never end: stop rather than discard to the timeout (client-streams.ts).
        if (dropped !== undefined && (skipped += chunk.byteLength) > SKIP_LIMIT * max) {
          throw new McpError(LocalErrorCode.MessageTooLarge, `an event on the response stream of request ${JSON.stringify(id)} ran past ${SKIP_LIMIT + 1} times maxEventBytes (${max}) without ending: the stream was ended`, { cause: dropped });
        }
      });
      decoder.end();
    } catch (error) {
      failure = asError(error);
    }
    if (failure instanceof McpError && failure.code === LocalErrorCode.MessageTooLarge && !answered && !exchange.aborted) {
      this.#deps.requestFailed(id, failure);
      return;
    }
    // Cancelled or closed: the peer settled the request already.
    if (answered || exchange.aborted) return;
    // 2026-07-28 basic/transports/streamable-http: no resumability; the request is lost with its stream.
    this.#deps.requestFailed(id, new McpError(LocalErrorCode.StreamLost, `the response stream of request ${JSON.stringify(id)} ended before its response${failure ? `: ${failure.message}` : ''}`, failure ? { cause: failure } : undefined));
  }

  /** Cancel request `id` by closing its stream (2026-07-28 basic/transports/streamable-http); false when it is not ours. */
  cancel(id: RequestId): boolean {
    const exchange = this.#inflight.get(id);
    if (!exchange) return false;
    this.#inflight.delete(id);
    exchange.abort(new McpError(LocalErrorCode.Aborted, `request ${JSON.stringify(id)} was cancelled`));
    this.#deps.answers.cancelled(id); // a re-send of its answers waiting to go out
    return true;
  }

  /** Abort every request and wait for their readers. */
  async close(reason: Error): Promise<void> {
    for (const exchange of this.#inflight.values()) exchange.abort(reason);
    this.#inflight.clear();
    await Promise.allSettled([...this.#running]);
  }
}
