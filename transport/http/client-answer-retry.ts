/**
 * Answers to the server's questions (JSON-RPC responses to its elicitation, sampling and roots
 * requests) that meet a network failure are POSTed again until the server is back. A server
 * restarted on its state waits for the answer to the question its previous process asked
 * (2025-11-25 basic/transports: resumability and redelivery): an answer dropped on a refused
 * or reset connection leaves that question open, and the call it belongs to hangs for ever.
 * A 503 is taken the same way: a server answers it while it restores its state or shuts down
 * (with `Retry-After`, RFC 9110 15.6.4), before it read the message. Requests and
 * notifications are not sent again: a request's fate is told by its resumed stream. The server takes a duplicated answer (a re-send whose first try did arrive) as
 * one it already has. In the 2026-07-28 era the answers travel in a retried request
 * (`inputResponses`, basic/patterns/mrtr), which client-modern.ts re-sends the same way.
 */
import { LocalErrorCode, McpError, type JsonRpcMessage, type RequestId, type Timers } from '../../protocol/index.ts';
import { isNotification, isRequest, isResponse } from '../../protocol/jsonrpc.ts';
import { asError } from '../../protocol/errors.ts';

/** How an answer that met a network failure is sent again (option `answerRetry`). */
export interface AnswerRetryOptions {
  /** Pause before the second try. Default 500 ms. */
  initialDelayMs?: number;
  /** The pause doubles after each failed try, up to this. Default 3 000 ms. */
  maxDelayMs?: number;
  /** Tries in all, the first included (1: never again). Default 60, about 3 minutes. */
  maxAttempts?: number;
}

/** The defaults of {@link AnswerRetryOptions}: about 3 minutes, long enough for a server restart. */
export const DEFAULT_ANSWER_RETRY: Readonly<Required<AnswerRetryOptions>> = { initialDelayMs: 500, maxDelayMs: 3_000, maxAttempts: 60 };

/** Error codes of a connection that failed, or closed before the reply's head (Node's and undici's). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** True when `error` (or one of its causes) is a network failure, not an HTTP answer or our own abort. */
export function isNetworkFailure(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    if (e instanceof McpError) return false; // ours: closed, aborted, refused with a status
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** True for a POST of JSON-RPC responses only (the answers `answerRetry` covers). */
export function onlyResponses(messages: readonly JsonRpcMessage[]): boolean {
  return messages.length > 0 && messages.every(isResponse);
}

function check(name: string, value: number, min: number, integer = false): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(`answerRetry.${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${value}`);
  }
  return value;
}

/** One POST of answers on its way: the requests of ours it lets go on, and its pause, if one is under way. */
export interface AnswerSend {
  readonly calls: readonly RequestId[];
  /** One of `calls` was cancelled: the answers are no longer wanted. */
  cancelled: boolean;
  stop: (() => void) | undefined;
}

/**
 * The re-sends of one transport: the settings, the questions asked on each request's stream
 * (so an answer that is given up fails the call that waits for it, not a silent hang), and the
 * pauses under way, which closing the transport or cancelling that call ends.
 */
export class AnswerRetry {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** 0 when the option is off. */
  readonly maxAttempts: number;
  readonly #timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  /** The server's open questions that came on the stream of one of our requests: question id -> that request's id. */
  readonly #asked = new Map<RequestId, RequestId>();
  /** The POSTs of answers to those questions on their way. */
  readonly #sending = new Set<AnswerSend>();
  /** The pauses under way (answers to the standalone stream's questions included); closing ends them. */
  readonly #waiting = new Set<(waited: boolean) => void>();
  #closed = false;

  constructor(options: AnswerRetryOptions | false | undefined, timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>) {
    const o = options === false ? { maxAttempts: 0 } : options ?? {};
    this.initialDelayMs = check('initialDelayMs', o.initialDelayMs ?? DEFAULT_ANSWER_RETRY.initialDelayMs, 0);
    this.maxDelayMs = check('maxDelayMs', o.maxDelayMs ?? DEFAULT_ANSWER_RETRY.maxDelayMs, this.initialDelayMs);
    this.maxAttempts = options === false ? 0 : check('maxAttempts', o.maxAttempts ?? DEFAULT_ANSWER_RETRY.maxAttempts, 1, true);
    this.#timers = timers;
  }

  /**
   * The server sent `value` on the stream of our request `related`: a question is remembered
   * until answered; a question withdrawn (notifications/cancelled, whose answer the client
   * withholds) is forgotten, so only open questions are held.
   */
  asked(value: unknown, related: RequestId | undefined): void {
    if (related === undefined || this.maxAttempts === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const m = value as JsonRpcMessage;
    if (isRequest(m)) this.#asked.set(m.id, related);
    else if (this.#asked.size > 0 && isNotification(m) && m.method === 'notifications/cancelled') {
      const id = (m.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#asked.delete(id);
    }
  }

  /**
   * The POST of `messages` begins: undefined unless they answer questions asked on our
   * requests' streams (cheap when none is open); else its {@link AnswerSend}, tracked until
   * {@link sent}. Forgets those questions.
   */
  sending(messages: readonly JsonRpcMessage[]): AnswerSend | undefined {
    if (this.#asked.size === 0) return undefined;
    const calls: RequestId[] = [];
    for (const m of messages) {
      if (!isResponse(m) || m.id === null || m.id === undefined) continue;
      const call = this.#asked.get(m.id);
      if (call === undefined) continue;
      this.#asked.delete(m.id);
      if (!calls.includes(call)) calls.push(call);
    }
    return calls.length === 0 ? undefined : this.track(calls);
  }

  /** Track a POST that lets `calls` go on (2026-07-28: the retried request itself). */
  track(calls: readonly RequestId[]): AnswerSend {
    const send: AnswerSend = { calls, cancelled: false, stop: undefined };
    this.#sending.add(send);
    return send;
  }

  /** The POST of `send` is over, one way or another. */
  sent(send: AnswerSend | undefined): void {
    if (send) this.#sending.delete(send);
  }

  /** True when `messages` are answers this transport sends again (the option is on). */
  covers(messages: readonly JsonRpcMessage[]): boolean {
    return this.maxAttempts > 1 && onlyResponses(messages);
  }

  /**
   * The pause before try `attempt + 1` after try `attempt` failed (`retryable`: a network
   * failure or a 503), or undefined when `messages` (undefined: a modern retry) are not sent again.
   */
  delayAfter(attempt: number, retryable: boolean, messages: readonly JsonRpcMessage[] | undefined): number | undefined {
    if (!retryable || this.#closed || attempt >= this.maxAttempts) return undefined;
    if (messages !== undefined && !onlyResponses(messages)) return undefined;
    return Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
  }

  /** Wait `ms`; resolves false when the transport closed, or `send` was cancelled, before or meanwhile. */
  pause(ms: number, send: AnswerSend | undefined): Promise<boolean> {
    if (this.#closed || send?.cancelled) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = this.#timers.setTimeout(() => finish(true), ms);
      const finish = (waited: boolean) => {
        this.#timers.clearTimeout(timer);
        if (send) send.stop = undefined;
        this.#waiting.delete(finish);
        resolve(waited);
      };
      if (send) send.stop = () => finish(false);
      this.#waiting.add(finish);
    });
  }

  /** Our request `call` was cancelled: its questions' answers are no longer wanted. */
  cancelled(call: RequestId): void {
    for (const [question, related] of this.#asked) if (related === call) this.#asked.delete(question);
    for (const send of this.#sending) {
      if (!send.calls.includes(call)) continue;
      send.cancelled = true;
      send.stop?.();
    }
  }

  /** The transport closed: every pause ends, nothing more is sent again. */
  close(): void {
    this.#closed = true;
    this.#asked.clear();
    for (const finish of this.#waiting) finish(false);
  }

  /** The error of an answer given up after `attempts` tries. */
  givenUp(attempts: number, error: unknown, what: string): McpError {
    const tries = attempts === 1 ? 'once' : `${attempts} times`;
    return new McpError(LocalErrorCode.Http, `${what} failed (sent ${tries}; the last: ${asError(error).message})`, { cause: error });
  }
}
