/**
 * How many answers to the server's requests (responses to its pings, questions, ...) the
 * legacy HTTP client transport POSTs at once. Each answer is a POST of its own (2025-11-25
 * basic/transports: a response is sent in a POST, answered 202), so a server that floods
 * requests on a call's stream had the client open one connection per answer at once: 200 000
 * pings ran it out of file descriptors (EMFILE). At most `concurrency` answers are on their
 * way; up to `maxQueued` more wait their turn in order; past that an answer is refused with
 * MCP_ERR_TOO_MANY_PENDING (its request is the server's, which sees no answer).
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** Default of `answerConcurrency`. */
export const DEFAULT_ANSWER_CONCURRENCY = 16;
/** Default of `maxQueuedAnswers`. */
export const DEFAULT_MAX_QUEUED_ANSWERS = 1024;

interface Waiting {
  send: () => Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The gate of one transport (see the module comment). */
export class AnswerGate {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  #running = 0;
  /** At most `maxQueued` long, so shifting its head stays cheap. */
  readonly #queue: Waiting[] = [];
  /** Resolves the promise of {@link drained}; made only while answers wait. */
  #drained: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(concurrency = DEFAULT_ANSWER_CONCURRENCY, maxQueued = DEFAULT_MAX_QUEUED_ANSWERS) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`answerConcurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new RangeError(`maxQueuedAnswers must be an integer >= 0, got ${maxQueued}`);
    this.#concurrency = concurrency;
    this.#maxQueued = maxQueued;
  }

  /** Run `send` now, or once an earlier answer is through; rejects at once when the queue is full. */
  run(send: () => Promise<void>): Promise<void> {
    if (this.#running < this.#concurrency) return this.#start(send);
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(new McpError(LocalErrorCode.TooManyPending,
        `too many answers to the server's requests waiting to be sent (maxQueuedAnswers ${this.#maxQueued}): the server asks faster than it takes the answers`));
    }
    return new Promise<void>((resolve, reject) => this.#queue.push({ send, resolve, reject }));
  }

  /**
   * Undefined when no answer waits its turn; else a promise that resolves once none does (or
   * the gate closed). The transport's streams stop reading while it is pending, so a server
   * that asks faster than it takes the answers is held back instead of seeing them refused.
   */
  drained(): Promise<void> | undefined {
    if (this.#queue.length === 0) return undefined;
    if (this.#drained === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => { resolve = r; });
      this.#drained = { promise, resolve };
    }
    return this.#drained.promise;
  }

  /** Refuse every answer still waiting (the transport closed). */
  close(error: Error): void {
    for (const w of this.#queue.splice(0)) w.reject(error);
    this.#settleDrained();
  }

  #settleDrained(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.resolve();
  }

  #start(send: () => Promise<void>): Promise<void> {
    this.#running++;
    let sent: Promise<void>;
    try {
      sent = send();
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent.finally(() => {
      this.#running--;
      this.#next();
    });
  }

  #next(): void {
    const w = this.#queue.shift();
    if (w) this.#start(w.send).then(w.resolve, w.reject);
    if (this.#queue.length === 0) this.#settleDrained();
  }
}
