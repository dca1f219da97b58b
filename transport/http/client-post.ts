/**
 * The POST path of the legacy Streamable HTTP client transport (2025-03-26 .. 2025-11-25
 * basic/transports): send messages in one POST, then take the reply in: a refusal (404 to a
 * known session expires it), a session id issued to `initialize`, a 202 to drain, an SSE
 * stream to launch, or one JSON body to deliver. client.ts owns the transport's state and
 * hands this path the parts of it a POST reads or changes ({@link PostDeps}).
 */
import { HttpError, LocalErrorCode, McpError, parseJson, type JsonRpcMessage, type RequestId, type SendOptions } from '../../protocol/index.ts';
import { isNotification, isRequest, responseIdOf } from '../../protocol/jsonrpc.ts';
import { asError } from '../../protocol/errors.ts';
import type { Exchange, Exchanger, OutboundRequest, ClientReply } from './client-exchange.ts';
import { bodyTextOf, checkSessionId, discardBody, httpErrorFrom, mediaTypeOf, noResponseIn, readBodyText } from './client-response.ts';
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

/** POST `body` (made of `messages`) and take its reply in (see the module comment). */
export async function postMessages(deps: PostDeps, messages: JsonRpcMessage[], body: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions): Promise<void> {
  const contents = contentsOf(messages);
  const { requestIds } = contents;
  const sentWith = deps.sessionId();
  const request: OutboundRequest = { method: 'POST', headers: deps.postHeaders(), body: JSON.stringify(body) };
  // The requests of ours whose questions this POST answers (none, unless the server asked some).
  const answer = deps.answers.sending(messages);
  let exchange = deps.exchanger.send(request);
  let inflight = deps.inflight.add(exchange);
  let handedOver = false;
  try {
    let reply: ClientReply;
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        reply = await exchange.head;
        // 503: the server is restoring its state or shutting down; an answer is sent again.
        if (reply.status !== 503 || !deps.answers.covers(messages)) break;
        failure = await httpErrorFrom(reply, 'POST');
      } catch (error) {
        if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'the HTTP transport closed while sending', { cause: error });
        failure = error;
      }
      const delay = deps.answers.delayAfter(attempt, failure instanceof HttpError || isNetworkFailure(failure), messages);
      if (delay === undefined) throw answerLost(deps, answer, attempt, failure);
      deps.inflight.remove(inflight);
      if (!(await deps.answers.pause(delay, answer)) || deps.isClosed()) {
        if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'the HTTP transport closed before the answer could be sent again', { cause: failure });
        throw new McpError(LocalErrorCode.Aborted, 'the answer is no longer wanted: the request it belongs to was cancelled', { cause: failure });
      }
      exchange = deps.exchanger.send(request);
      inflight = deps.inflight.add(exchange);
    }
    if (!isOk(reply)) throw await postRefused(deps, reply, sentWith);
    takeSession(deps, exchange, reply, contents);
    // 2025-11-25 basic/transports: notifications and responses get 202 with no body; a
    // body sent anyway is read and dropped.
    if (reply.status === 202 || requestIds.length === 0) {
      handedOver = true;
      drain(deps, exchange, reply, inflight);
      return;
    }
    const related = requestIds.length === 1 ? requestIds[0] : undefined;
    const type = mediaTypeOf(reply);
    if (type === 'text/event-stream') {
      if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'cannot read the response stream: the HTTP transport is closed');
      handedOver = true;
      deps.inflight.remove(inflight);
      const init: EventStreamInit = { kind: 'post', awaiting: requestIds };
      if (related !== undefined) init.relatedRequestId = related;
      if (sendOptions.onResumptionToken) init.onResumptionToken = sendOptions.onResumptionToken;
      // A reply that arrived whole is read without a stream when it holds every response.
      const whole = exchange.ended ? reply.takeBody?.() : undefined;
      const rest = whole === undefined ? reply : readWholeSseReply(deps, reply, init, whole);
      if (rest === undefined) return;
      if (deps.isClosed()) throw new McpError(LocalErrorCode.Closed, 'cannot read the response stream: the HTTP transport is closed');
      deps.launch(init, { exchange, reply: rest });
      return;
    }
    if (type === 'application/json') {
      // A body that arrived whole is read without a promise (readBodyText waits for the rest).
      const whole = exchange.ended ? reply.takeBody?.() : undefined;
      const text = whole === undefined ? await readBodyText(reply, deps.maxEventBytes) : bodyTextOf(whole, deps.maxEventBytes);
      const value = parseJson(text, deps.maxJsonDepth);
      const refused = deps.refuseBatch(value);
      if (refused) throw refused;
      deps.deliver(value, related);
      // 2025-11-25 basic/transports: the JSON body is the response to the POST's request; one
      // that holds none (not JSON, no response, another id) fails it now, not at its timeout.
      // The usual reply, one response to one request, is checked without building arrays.
      const single = requestIds.length === 1 && !Array.isArray(value) && responseIdOf(value) === requestIds[0];
      if (!single) {
        const answered = Array.isArray(value) ? value.map(responseIdOf) : [responseIdOf(value)];
        const missing = requestIds.filter((id) => !answered.includes(id));
        if (missing.length > 0) throw noResponseIn(value, missing);
      }
      return;
    }
    const error = new McpError(LocalErrorCode.Protocol, `the server answered a POST with content type ${JSON.stringify(type)}, neither application/json nor text/event-stream`);
    exchange.abort(error);
    throw error;
  } finally {
    if (!handedOver) deps.inflight.remove(inflight);
    deps.answers.sent(answer);
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
    const error = await httpErrorFrom(reply, 'POST', 'the session expired (the server answered 404 to its session id) and must be re-initialized');
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
