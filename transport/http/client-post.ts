/**
 * The POST path of the legacy Streamable HTTP client transport (2025-03-26 .. 2025-11-25
 * basic/transports): send messages in one POST, then take the reply in: a refusal (404 to a
 * known session expires it), a session id issued to `initialize`, a 202 to drain, an SSE
 * stream to launch, or one JSON body to deliver. client.ts owns the transport's state and
 * hands this path the parts of it a POST reads or changes ({@link PostDeps}).
 */
import { HttpError, LocalErrorCode, McpError, parseJson, type JsonRpcMessage, type RequestId, type SendFailure, type SendOptions } from '../../protocol/index.ts';
import { SENT } from '../../protocol/transport.ts';
import { isNotification, isRequest, responseIdOf } from '../../protocol/jsonrpc.ts';
import { asError } from '../../protocol/errors.ts';
import { allowsBatches } from '../../protocol/versions.ts';
import type { Exchange, Exchanger, OutboundRequest, ClientReply, HeadListener } from './client-exchange.ts';
import { checkSessionId, discardBody, httpErrorFrom, jsonTextOf, mediaTypeOf, noResponseIn, readBodyText } from './client-response.ts';
import type { EventStreamInit, StreamConnection } from './client-stream-types.ts';
import { readWholeSseReply } from './client-sse-whole.ts';
import { isNetworkFailure, type AnswerRetry, type AnswerSend } from './client-answer-retry.ts';
import type { LiveEntry, LiveList } from './live-list.ts';

/** What one POST carries, found in one pass over its messages. */
export interface PostContents {
  requestIds: RequestId[];
  isInitialize: boolean;
  isInitialized: boolean;
}

/** Find what `messages` carry (see {@link PostContents}). */
export function contentsOf(messages: readonly JsonRpcMessage[]): PostContents {
  const contents: PostContents = { requestIds: [], isInitialize: false, isInitialized: false };
  for (const m of messages) {
    if (isRequest(m)) {
      contents.requestIds.push(m.id);
      if (m.method === 'initialize') contents.isInitialize = true;
    } else if (isNotification(m) && m.method === 'notifications/initialized') contents.isInitialized = true;
  }
  return contents;
}

/** The transport's state and actions a POST uses (client.ts implements them). */
export interface PostDeps {
  readonly exchanger: Exchanger;
  readonly maxEventBytes: number;
  readonly maxJsonDepth: number;
  /** Requests in flight; the POST is in it until its body is handed over or read. */
  readonly inflight: LiveList<Exchange>;
  /** The session id the POST goes with (undefined before initialize). */
  sessionId(): string | undefined;
  /** The POST headers for the current session and version. */
  postHeaders(): Readonly<Record<string, string>>;
  isClosed(): boolean;
  /** The server issued a (checked) session id in answer to `initialize`. */
  sessionIssued(id: string): void;
  /** `notifications/initialized` went through. */
  initialized(): void;
  /** The server forgot the session the POST went with. */
  expire(oldId: string): void;
  /** An error for a batch the session's version does not allow, else undefined. */
  refuseBatch(value: unknown): McpError | undefined;
  deliver(value: unknown, relatedRequestId: RequestId | undefined): void;
  /** Read an SSE response in a stream of the transport's own. */
  launch(init: EventStreamInit, first: StreamConnection): void;
  /** Work running in the background (bodies being drained), which closing waits for. */
  readonly running: Set<Promise<void>>;
  reportError(error: Error): void;
  /** How answers to the server's questions are sent again after a network failure. */
  readonly answers: AnswerRetry;
  /** Our request `id` failed (an answer to a question it waits on was given up). */
  requestFailed(id: RequestId, error: Error): void;
}

const isOk = (reply: ClientReply): boolean => reply.status >= 200 && reply.status < 300;

/**
 * POST `body` (made of `messages`) and take its reply in (see the module comment). The
 * promise settles once the reply was taken in: delivered, handed to a stream, or refused.
 * With `failure`, it is SENT once the POST is on its way, and a failure is told to `failure`.
 */
export function postMessages(
  deps: PostDeps, messages: JsonRpcMessage[], body: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions, failure?: SendFailure,
): Promise<void> {
  try {
    return new Post(deps, messages, body, sendOptions, failure).promise ?? SENT;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * One POST, from its send to its reply taken in. An object rather than an async function:
 * the usual reply (a whole SSE or JSON body, or a 202, on the first try) is taken in the turn
 * its head is heard of ({@link Exchange.listen}), with one promise per POST, the one returned;
 * an async function, its `await` of the head and the callers' async wrappers cost four more
 * and their microtask turns (bench/README.md, "Session 14: the HTTP client's CPU per call").
 * Anything else (a re-send, a refusal, a body still arriving) goes on in async methods.
 */
class Post implements HeadListener {
  /** Settles once the reply was taken in; none when a failure goes to `#failure` (the peer's calls). */
  readonly promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  readonly #failure: SendFailure | undefined;
  readonly #deps: PostDeps;
  readonly #messages: JsonRpcMessage[];
  readonly #contents: PostContents;
  readonly #sendOptions: SendOptions;
  /** The session id the POST went with. */
  readonly #sentWith: string | undefined;
  readonly #request: OutboundRequest;
  /** The requests of ours whose questions this POST answers (none, unless the server asked some). */
  readonly #answer: AnswerSend | undefined;
  #exchange: Exchange;
  #inflight: LiveEntry<Exchange>;
  /** The reply's body went to a stream or a drain, which take it out of `inflight` themselves. */
  #handedOver = false;

  constructor(deps: PostDeps, messages: JsonRpcMessage[], body: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions, failure: SendFailure | undefined) {
    this.#deps = deps;
    this.#failure = failure;
    this.#messages = messages;
    this.#contents = contentsOf(messages);
    this.#sendOptions = sendOptions;
    this.#sentWith = deps.sessionId();
    this.#request = { method: 'POST', headers: deps.postHeaders(), body: JSON.stringify(body) };
    this.#answer = deps.answers.sending(messages);
    // A promise (and its executor) only for a caller that awaits the POST: a peer's call passes its failure callback.
    this.promise = failure ? undefined : new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const exchange = (this.#exchange = deps.exchanger.send(this.#request));
    this.#inflight = deps.inflight.add(exchange);
    if (exchange.listen) exchange.listen(this);
    else exchange.head.then((reply) => this.onHead(reply), (error: unknown) => this.onHeadError(error));
  }

  onHead(reply: ClientReply): void {
    let later: Promise<void> | undefined;
    try {
      // 503: the server is restoring its state or shutting down; an answer is sent again.
      later = reply.status === 503 && this.#deps.answers.covers(this.#messages) ? this.#retry(reply, undefined) : this.#take(reply);
    } catch (error) {
      this.#end(true, error);
      return;
    }
    if (later === undefined) this.#end(false, undefined);
    else later.then(() => this.#end(false, undefined), (error: unknown) => this.#end(true, error));
  }

  onHeadError(error: unknown): void {
    this.#retry(undefined, error).then(() => this.#end(false, undefined), (e: unknown) => this.#end(true, e));
  }

  /** Settle the POST, having let go of what it held. */
  #end(failed: boolean, error: unknown): void {
    if (!this.#handedOver) this.#deps.inflight.remove(this.#inflight);
    this.#deps.answers.sent(this.#answer);
    const failure = this.#failure;
    if (!failure) {
      if (failed) this.#reject?.(error);
      else this.#resolve?.();
    } else if (failed) {
      // In a later job, as the rejection it replaces was heard: not inside undici's callback or our own reply handling.
      queueMicrotask(() => failure.sendFailed(error));
    }
  }

  /**
   * The try that got `reply` (a 503) or failed with `error` was not the last: send the answers
   * again after the policy's pause, until a reply is taken or the policy gives up.
   */
  async #retry(reply: ClientReply | undefined, error: unknown): Promise<void> {
    const deps = this.#deps;
    for (let attempt = 1; ; attempt++) {
      let failure = error;
      if (reply !== undefined) {
        if (reply.status !== 503 || !deps.answers.covers(this.#messages)) return this.#take(reply);
        failure = await httpErrorFrom(reply, 'POST');
      } else if (deps.isClosed()) {
        throw new McpError(LocalErrorCode.Closed, 'the HTTP transport closed while sending', { cause: error });
      }
      const delay = deps.answers.delayAfter(attempt, failure instanceof HttpError || isNetworkFailure(failure), this.#messages);
      if (delay === undefined) throw answerLost(deps, this.#answer, attempt, failure);
      deps.inflight.remove(this.#inflight);
      if (!(await deps.answers.pause(delay, this.#answer)) || deps.isClosed()) {
        if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'the HTTP transport closed before the answer could be sent again', { cause: failure });
        throw new McpError(LocalErrorCode.Aborted, 'the answer is no longer wanted: the request it belongs to was cancelled', { cause: failure });
      }
      this.#exchange = deps.exchanger.send(this.#request);
      this.#inflight = deps.inflight.add(this.#exchange);
      try {
        reply = await this.#exchange.head;
        error = undefined;
      } catch (e) {
        reply = undefined;
        error = e;
      }
    }
  }

  /**
   * Take the final reply in: at once (undefined) when it is whole or needs no body, else the
   * promise of the rest.
   */
  #take(reply: ClientReply): Promise<void> | undefined {
    const deps = this.#deps;
    const exchange = this.#exchange;
    if (!isOk(reply)) return postRefused(deps, reply, this.#sentWith).then((error) => { throw error; });
    const { requestIds } = this.#contents;
    takeSession(deps, exchange, reply, this.#contents);
    // 2025-11-25 basic/transports: notifications and responses get 202 with no body; a
    // body sent anyway is read and dropped.
    if (reply.status === 202 || requestIds.length === 0) {
      this.#handedOver = true;
      drain(deps, exchange, reply, this.#inflight);
      return undefined;
    }
    const related = requestIds.length === 1 ? requestIds[0] : undefined;
    const type = mediaTypeOf(reply);
    if (type === 'text/event-stream') {
      if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'cannot read the response stream: the HTTP transport is closed');
      this.#handedOver = true;
      deps.inflight.remove(this.#inflight);
      const init: EventStreamInit = { kind: 'post', awaiting: requestIds };
      if (related !== undefined) init.relatedRequestId = related;
      const onToken = this.#sendOptions.onResumptionToken;
      if (onToken) init.onResumptionToken = onToken;
      // A reply that arrived whole is read without a stream when it holds every response.
      const whole = exchange.ended ? reply.takeBody?.() : undefined;
      const rest = whole === undefined ? reply : readWholeSseReply(deps, reply, init, whole);
      if (rest === undefined) return undefined;
      if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'cannot read the response stream: the HTTP transport is closed');
      deps.launch(init, { exchange, reply: rest });
      return undefined;
    }
    if (type === 'application/json') {
      // A body that arrived whole is read at once (readBodyText waits for the rest).
      const whole = exchange.ended ? reply.takeBody?.() : undefined;
      if (whole === undefined) return readBodyText(reply, deps.maxEventBytes, 'maxEventBytes', true).then((text) => deliverJson(deps, text, requestIds, related));
      deliverJson(deps, jsonTextOf(whole, deps.maxEventBytes, 'maxEventBytes'), requestIds, related);
      return undefined;
    }
    const error = new McpError(LocalErrorCode.Protocol, `the server answered a POST with content type ${JSON.stringify(type)}, neither application/json nor text/event-stream`);
    exchange.abort(error);
    throw error;
  }
}

/**
 * Deliver a POST's JSON reply `text`. 2025-11-25 basic/transports: the JSON body is the
 * response to the POST's requests; one that holds none (not JSON, no response, another id)
 * fails them now, not at their timeout.
 */
function deliverJson(deps: PostDeps, text: string, requestIds: readonly RequestId[], related: RequestId | undefined): void {
  const value = parseJson(text, deps.maxJsonDepth);
  const refused = deps.refuseBatch(value);
  if (refused) throw refused;
  deps.deliver(value, related);
  // The usual reply, one response to one request, is checked without building arrays.
  const single = requestIds.length === 1 && !Array.isArray(value) && responseIdOf(value) === requestIds[0];
  if (!single) {
    const answered = Array.isArray(value) ? value.map(responseIdOf) : [responseIdOf(value)];
    const missing = requestIds.filter((id) => !answered.includes(id));
    if (missing.length > 0) throw noResponseIn(value, missing);
  }
}

/**
 * The error of a POST that failed after `attempts` tries. When it carried answers, the
 * requests of ours that wait on them fail too: the server will not go on without the answer.
 */
function answerLost(deps: PostDeps, answer: AnswerSend | undefined, attempts: number, error: unknown): McpError {
  const calls = answer?.calls ?? [];
  if (calls.length === 0 && attempts === 1) return error instanceof HttpError ? error : new McpError(LocalErrorCode.Http, `POST failed: ${asError(error).message}`, { cause: error });
  const lost = deps.answers.givenUp(attempts, error, 'POST of the answer to the server\'s question');
  for (const call of calls) deps.requestFailed(call, new McpError(LocalErrorCode.Http, `request ${JSON.stringify(call)} cannot go on: ${lost.message}`, { cause: lost }));
  return lost;
}

/** The error for a POST (sent with session `sentWith`) answered with a failure status. */
async function postRefused(deps: PostDeps, reply: ClientReply, sentWith: string | undefined): Promise<Error> {
  if (reply.status === 404 && sentWith !== undefined) {
    const error = await httpErrorFrom(reply, 'POST', 'the session expired (the server answered 404 to its session id) and must be re-initialized', sentWith);
    deps.expire(sentWith);
    return error;
  }
  return httpErrorFrom(reply, 'POST');
}

/** Take in what a successful POST means for the session: a new session id, its initialization. */
function takeSession(deps: PostDeps, exchange: Exchange, reply: ClientReply, contents: PostContents): void {
  if (contents.isInitialize) {
    const issued = reply.header('mcp-session-id');
    if (issued !== undefined) {
      const checked = checkSessionId(issued);
      if (checked instanceof McpError) {
        exchange.abort(checked);
        throw checked;
      }
      deps.sessionIssued(checked);
    }
  }
  if (contents.isInitialized) deps.initialized();
}

/** Read and drop the body of `exchange` (in flight as `inflight`) in the background; closing waits for it. */
function drain(deps: PostDeps, exchange: Exchange, reply: ClientReply, inflight: LiveEntry<Exchange>): void {
  if (exchange.ended) {
    // The usual empty 202: all of it arrived with the head, the connection is free already.
    deps.inflight.remove(inflight);
    return;
  }
  const done = discardBody(reply, exchange, deps.maxEventBytes).then(
    () => {
      deps.inflight.remove(inflight);
      deps.running.delete(done);
    },
    (e: unknown) => {
      deps.inflight.remove(inflight);
      deps.running.delete(done);
      deps.reportError(new McpError(LocalErrorCode.Http, 'reading an ignored response body failed', { cause: e }));
    },
  );
  deps.running.add(done);
}

/**
 * A JSON-RPC batch answered in a session whose version has none (2025-06-18 removed them):
 * an error for the requests it answers, at once, rather than a wait for their timeout.
 */
export function batchRefusal(value: unknown, version: string | undefined): McpError | undefined {
  if (!Array.isArray(value) || version === undefined || allowsBatches(version)) return undefined;
  return new McpError(LocalErrorCode.Protocol, `the server answered with a JSON-RPC batch, which protocol ${version} does not have`);
}
