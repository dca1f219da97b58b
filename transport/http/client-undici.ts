/**
 * The HTTP client transport's default way to the server: undici's dispatcher API on a
 * keep-alive Agent shared by every transport of the process (or a dispatcher the caller
 * gives), with one handler object per exchange. The body's
 * bytes go straight from undici's parser to the consumer (the SSE decoder, or a JSON buffer):
 * no fetch algorithm, no Response, no web stream, no AbortSignal. Redirects are followed
 * (client-redirect.ts) only when a 3xx arrives. No compression is asked for.
 */
import { Agent, type Dispatcher } from 'undici';
import type { Exchange, Exchanger, OutboundRequest, ClientReply, HeadListener } from './client-exchange.ts';
import { isFollowed, nextHop, type Hop, type RedirectTrail } from './client-redirect.ts';
import { LiveList, type LiveEntry } from './live-list.ts';

/** Bytes held for a reply whose body nobody reads yet; past them the connection pauses. */
const HOLD_BYTES = 64 * 1024;

/** The endpoint, parsed once per transport. */
interface Target {
  url: URL;
  origin: string;
  path: string;
}

type ResponseHeaders = Record<string, string | string[] | undefined>;

const NO_HEADERS: ResponseHeaders = {};

/** Settled once: what the head's microtask hangs on. */
const RESOLVED = Promise.resolve();

/** The consumer of a body already taken whole ({@link DispatchExchange.takeBody}). */
const IGNORE_CHUNK = (): void => {};

/** Where an exchange stands. */
const Phase = { Head: 0, Body: 1, Ended: 2, Failed: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * One exchange: the request's undici handler, its {@link Exchange} and its {@link ClientReply} in
 * one object, so a call allocates little. Undici calls the `on*` methods; the transport the
 * rest.
 */
class DispatchExchange implements Exchange, ClientReply, Dispatcher.DispatchHandler {
  status = 0;
  statusText = '';
  aborted = false;
  #agent: Dispatcher;
  #target: Target;
  #request: OutboundRequest;
  /** The current hop, once a redirect moved the request away from the target. */
  #hop: Hop | undefined;
  #trail: RedirectTrail | undefined;
  /** The next hop, while the body of the 3xx that named it is skipped. */
  #following: Hop | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #headers: ResponseHeaders = NO_HEADERS;
  #phase: Phase = Phase.Head;
  /** Why the exchange was aborted or failed. */
  #reason: Error | undefined;
  /** Why it failed before its head arrived. */
  #headError: Error | undefined;
  /** The `head` promise, made when first read (a POST listens instead). */
  #head: Promise<ClientReply> | undefined;
  #resolveHead: ((reply: ClientReply) => void) | undefined;
  #rejectHead: ((error: Error) => void) | undefined;
  #listener: HeadListener | undefined;
  /** Chunks that arrived before the consumer. */
  #held: Uint8Array[] | undefined;
  #heldBytes = 0;
  #onChunk: ((chunk: Uint8Array) => void | PromiseLike<void>) | undefined;
  /** The consumer asked for a pause (returned a promise): chunks are held until it settles. */
  #consumerWaits = false;
  #resolveBody: (() => void) | undefined;
  #rejectBody: ((error: Error) => void) | undefined;
  /** Its exchanger's exchanges not yet ended or failed (what closing the exchanger aborts). */
  #live: LiveList<DispatchExchange>;
  /** This exchange's place in `#live`. */
  #liveEntry: LiveEntry<DispatchExchange>;

  constructor(agent: Dispatcher, target: Target, request: OutboundRequest, live: LiveList<DispatchExchange>) {
    this.#agent = agent;
    this.#live = live;
    this.#liveEntry = live.add(this);
    this.#target = target;
    this.#request = request;
    this.#dispatch(target.origin, target.path, request);
  }

  #dispatch(origin: string, path: string, request: OutboundRequest): void {
    const options: Dispatcher.DispatchOptions = { origin, path, method: request.method, headers: request.headers };
    if (request.body !== undefined) options.body = request.body;
    // A synchronous failure comes back through onResponseError.
    this.#agent.dispatch(options, this);
  }

  get head(): Promise<ClientReply> {
    return this.#head ??= this.#phase === Phase.Head
      ? new Promise<ClientReply>((resolve, reject) => {
        this.#resolveHead = resolve;
        this.#rejectHead = reject;
      })
      : this.#headError === undefined ? Promise.resolve(this) : Promise.reject(this.#headError);
  }

  listen(listener: HeadListener): void {
    this.#listener = listener;
    if (this.#phase !== Phase.Head) this.#queueTell(); // failed already, while dispatching
  }

  /**
   * Exchanges whose listeners are due to hear of their heads, told in one microtask. The array
   * is kept, not emptied (V8 would drop its storage and allocate it again for the next call).
   */
  static readonly #due: Array<DispatchExchange | undefined> = [];
  static #dueCount = 0;

  #queueTell(): void {
    DispatchExchange.#due[DispatchExchange.#dueCount++] = this;
    // A promise job rather than queueMicrotask, which makes an async resource and a bound function each time.
    if (DispatchExchange.#dueCount === 1) void RESOLVED.then(DispatchExchange.#tellDue);
  }

  static #tellDue(): void {
    const due = DispatchExchange.#due;
    let fault: { error: unknown } | undefined;
    // Any queued while these are told are told in this same turn.
    for (let i = 0; i < DispatchExchange.#dueCount; i++) {
      const exchange = due[i] as DispatchExchange;
      due[i] = undefined;
      try {
        exchange.#tell();
      } catch (error) {
        fault ??= { error }; // a listener that broke its contract; the others are still told
      }
    }
    DispatchExchange.#dueCount = 0;
    if (fault) throw fault.error;
  }

  #tell(): void {
    const listener = this.#listener as HeadListener;
    if (this.#headError === undefined) listener.onHead(this);
    else listener.onHeadError(this.#headError);
  }

  get ended(): boolean {
    return this.#phase === Phase.Ended;
  }

  header(name: string): string | undefined {
    const value = this.#headers[name];
    return typeof value === 'string' ? value : value === undefined ? undefined : value.join(', ');
  }

  abort(reason: Error): void {
    if (this.aborted || this.#phase === Phase.Failed) return;
    if (this.#phase === Phase.Ended) {
      // Read to its end: nothing left to stop. Unread, its held chunks are dropped.
      if (this.#onChunk === undefined) this.#fail(reason);
      return;
    }
    this.aborted = true;
    this.#reason = reason;
    if (this.#phase === Phase.Head) this.#fail(reason);
    // Undici reports the abort back through onResponseError, synchronously. Still queued,
    // the request has no controller yet: onRequestStart aborts it.
    this.#controller?.abort(reason);
  }

  stream(onChunk: (chunk: Uint8Array) => void | PromiseLike<void>): Promise<void> {
    if (this.#onChunk !== undefined) return Promise.reject(new Error('the body of a reply is read once'));
    return new Promise<void>((resolve, reject) => {
      this.#onChunk = onChunk;
      this.#resolveBody = resolve;
      this.#rejectBody = reject;
      this.#flush();
    });
  }

  /** Hand the held chunks over until the consumer waits; then settle the body, or read on. */
  #flush(): void {
    const held = this.#held;
    while (held !== undefined && held.length > 0 && !this.#consumerWaits && this.#phase !== Phase.Failed) {
      const chunk = held.shift() as Uint8Array;
      this.#heldBytes -= chunk.byteLength;
      this.#deliver(chunk);
    }
    if (this.#consumerWaits) return;
    this.#held = undefined;
    this.#heldBytes = 0;
    if (this.#phase === Phase.Failed) this.#settleBody(this.#reason);
    else if (this.#phase === Phase.Ended) this.#settleBody(undefined);
    else if (this.#controller?.paused) this.#controller.resume();
  }

  takeBody(): readonly Uint8Array[] | undefined {
    if (this.#phase !== Phase.Ended || this.#onChunk !== undefined) return undefined;
    this.#onChunk = IGNORE_CHUNK; // read once: a later stream() rejects
    const held = this.#held ?? [];
    this.#held = undefined;
    this.#heldBytes = 0;
    return held;
  }

  #deliver(chunk: Uint8Array): void {
    try {
      const wait = (this.#onChunk as (chunk: Uint8Array) => void | PromiseLike<void>)(chunk);
      if (wait !== undefined) this.#pauseFor(wait);
    } catch (error) {
      // The consumer wants no more: stop the body and reject with its error.
      const reason = error instanceof Error ? error : new Error(String(error));
      if (this.#phase === Phase.Body && this.#controller) {
        this.#reason = reason;
        this.#controller.abort(reason);
      }
      this.#fail(reason);
    }
  }

  /** Backpressure: read nothing more from the connection until the consumer's `wait` settles. */
  #pauseFor(wait: PromiseLike<void>): void {
    this.#consumerWaits = true;
    if (this.#phase === Phase.Body) this.#controller?.pause();
    wait.then(() => {
      this.#consumerWaits = false;
      this.#flush();
    }, (error: unknown) => {
      this.#consumerWaits = false;
      const reason = error instanceof Error ? error : new Error(String(error));
      if (this.#phase === Phase.Body && this.#controller) {
        this.#reason = reason;
        this.#controller.abort(reason);
      }
      this.#fail(reason);
    });
  }

  #fail(reason: Error): void {
    const phase = this.#phase;
    if (phase === Phase.Failed) return;
    this.#phase = Phase.Failed;
    this.#live.remove(this.#liveEntry);
    this.#reason = reason;
    this.#held = undefined;
    if (phase === Phase.Head) {
      this.#headError = reason;
      this.#rejectHead?.(reason);
      if (this.#listener !== undefined) this.#queueTell();
    } else this.#settleBody(reason);
  }

  #settleBody(error: Error | undefined): void {
    const resolve = this.#resolveBody;
    const reject = this.#rejectBody;
    if (resolve === undefined || reject === undefined) return;
    this.#resolveBody = undefined;
    this.#rejectBody = undefined;
    if (error === undefined) resolve();
    else reject(error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.aborted) controller.abort(this.#reason as Error);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders, statusMessage?: string): void {
    if (this.#phase !== Phase.Head) return;
    const location = headers.location;
    if (isFollowed(statusCode, typeof location === 'string' ? location : undefined)) {
      try {
        const from = this.#hop ?? { url: this.#target.url, request: this.#request };
        this.#following = nextHop((this.#trail ??= { visited: new Set() }), from, statusCode, location as string);
      } catch (error) {
        const reason = error instanceof Error ? error : new Error(String(error));
        this.#reason = reason;
        controller.abort(reason);
        return;
      }
      if (this.#following !== undefined) return; // its body is skipped; onResponseEnd goes on
    }
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    this.#headers = headers;
    this.#phase = Phase.Body;
    this.#resolveHead?.(this);
    if (this.#listener !== undefined) this.#queueTell();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#phase !== Phase.Body) return; // a redirect's body, or after a failure
    if (this.#onChunk !== undefined && !this.#consumerWaits) {
      this.#deliver(chunk);
      return;
    }
    // Nobody reads yet, or the consumer waits: hold what the parser had already read.
    (this.#held ??= []).push(chunk);
    this.#heldBytes += chunk.byteLength;
    if (this.#heldBytes > HOLD_BYTES) controller.pause();
  }

  onResponseEnd(): void {
    const next = this.#following;
    if (next !== undefined) {
      this.#following = undefined;
      this.#controller = undefined;
      this.#hop = next;
      if (this.aborted) return; // aborted between two hops: the head already rejected
      this.#dispatch(next.url.origin, `${next.url.pathname}${next.url.search}`, next.request);
      return;
    }
    if (this.#phase !== Phase.Body) return;
    this.#phase = Phase.Ended;
    this.#live.remove(this.#liveEntry);
    if (this.#onChunk !== undefined && !this.#consumerWaits) this.#settleBody(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    // Our own abort reason wins over how undici words it.
    this.#fail(this.#reason ?? error);
  }
}

/** An exchange that failed before it started. */
function refused(error: Error): Exchange {
  return { head: Promise.reject(error), aborted: false, ended: false, abort() {} };
}

let sharedAgent: Agent | undefined;

/**
 * The process-wide keep-alive pool, made on first use. Shared like fetch's global
 * dispatcher: many sessions to one server then share a few idle connections instead of
 * keeping one each open on the server (each costs the server a socket, ~4.7 KB of heap).
 * undici unrefs idle sockets, so the pool never keeps a process alive.
 */
function defaultAgent(): Agent {
  // bodyTimeout 0: an SSE stream may rightly stay silent for longer than undici's default
  // 300 s; the session's request timeouts and the reconnect policy bound the waiting instead.
  return (sharedAgent ??= new Agent({ bodyTimeout: 0 }));
}

/**
 * An {@link Exchanger} for the endpoint `url`, parsed once here, over `dispatcher` or the
 * shared pool. A URL that does not parse fails each request, as a fetch would. Closing it
 * leaves the pool open: the transport aborts its own exchanges.
 */
export function createUndiciExchanger(url: string, dispatcher?: Dispatcher): Exchanger {
  const agent = dispatcher ?? defaultAgent();
  const live = new LiveList<DispatchExchange>();
  let target: Target | Error;
  try {
    const parsed = new URL(url);
    target = { url: parsed, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  } catch (error) {
    target = error instanceof Error ? error : new TypeError(String(error));
  }
  return {
    send: (request) => (target instanceof Error ? refused(target) : new DispatchExchange(agent, target, request, live)),
    async close() {
      const reason = new Error('the HTTP client closed');
      for (const exchange of live.values()) exchange.abort(reason);
    },
  };
}
