/**
 * An injected fetch as the HTTP client transport's way to the server. Any fetch-compatible
 * function can be given (tests pass one that calls a server's `Request -> Response` handler
 * in-process); this adapter puts it under the transport's own exchange interface
 * (client-exchange.ts), which the default undici path implements directly.
 */
import type { Exchange, Exchanger, OutboundRequest, ClientReply } from './client-exchange.ts';

/** What the transport passes to a {@link FetchLike}. */
/**
 * What the HTTP client transport hands its `fetch` (a subset of `RequestInit`, so the global
 * `fetch` takes it as it is).
 */
export interface FetchInit {
  /** POST for messages, GET for the standalone stream and resumption, DELETE to end a session. */
  method: 'POST' | 'GET' | 'DELETE';
  /** Lower-case header names: accept, content-type, the MCP headers, authorization when signed in. */
  headers: Record<string, string>;
  /** The JSON-RPC message (or batch) as JSON text; absent on GET and DELETE. */
  body?: string;
  /** Aborts the exchange: a cancelled call, a closed transport, a timeout. */
  signal?: AbortSignal;
}

/** A fetch-compatible function: the transport's only way to reach the server. */
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

/** One exchange through a fetch: an AbortSignal per request, a web stream per body. */
class FetchExchange implements Exchange, ClientReply {
  readonly head: Promise<ClientReply>;
  status = 0;
  statusText = '';
  #controller = new AbortController();
  #response: Response | undefined;
  #read = false;
  ended = false;
  #onCancelError: (error: unknown) => void;

  constructor(fetch: FetchLike, url: string, request: OutboundRequest, onCancelError: (error: unknown) => void) {
    this.#onCancelError = onCancelError;
    const signal = this.#controller.signal;
    // A copy: the function may keep or change what it is given.
    const init: FetchInit = { method: request.method, headers: { ...request.headers }, signal };
    if (request.body !== undefined) init.body = request.body;
    let sent: Promise<Response>;
    try {
      sent = fetch(url, init);
    } catch (error) {
      sent = Promise.reject(error);
    }
    const fetched = sent.then((response) => {
      if (signal.aborted) {
        // Aborted while the fetch ignored the signal: the reply is not wanted.
        this.#cancel(response);
        throw signal.reason;
      }
      this.#response = response;
      this.status = response.status;
      this.statusText = response.statusText;
      return this as ClientReply;
    });
    // An abort settles the head at once, whether or not the fetch honours the signal.
    const aborted = new Promise<never>((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    aborted.catch(() => {});
    this.head = Promise.race([fetched, aborted]);
  }

  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  abort(reason: Error): void {
    this.#controller.abort(reason);
    // A body nobody started to read is cancelled here; one being read stops in stream().
    if (this.#response !== undefined && !this.#read) {
      this.#read = true;
      this.#cancel(this.#response);
    }
  }

  header(name: string): string | undefined {
    return this.#response?.headers.get(name) ?? undefined;
  }

  #cancel(response: Response): void {
    response.body?.cancel().catch(this.#onCancelError);
  }

  async stream(onChunk: (chunk: Uint8Array) => void | PromiseLike<void>): Promise<void> {
    if (this.#read) throw new Error('the body of a reply is read once');
    this.#read = true;
    const body = this.#response?.body;
    if (!body) {
      this.ended = true;
      return;
    }
    const signal = this.#controller.signal;
    const reader = body.getReader();
    // The fetch may not wire its signal to the body: an abort cancels the body, which settles
    // a pending read. Not a race of each read with one abort promise: every race leaves a
    // reaction on that promise holding the chunk it read, for as long as the stream lives.
    const onAbort = () => { reader.cancel(signal.reason).catch(() => { /* the abort is the stop we asked for */ }); };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let ended = false;
    /** What the consumer threw, given as the reason of the cancel. */
    let stopped: unknown;
    try {
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          ended = true; // the body failed: it is already closed, nothing to cancel
          throw error;
        }
        if (signal.aborted) throw signal.reason;
        if (next.done) {
          ended = true;
          this.ended = true;
          return;
        }
        try {
          // A promise from the consumer holds the next read until it settles (backpressure).
          const wait = onChunk(next.value);
          if (wait !== undefined) await wait;
        } catch (error) {
          stopped = error;
          throw error;
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      // Cancelling settles a read still pending, so the lock can be released after it. When
      // the signal aborted the fetch too, the body is already errored with that abort and
      // cancel() only echoes it: that is the stop we asked for, not a fault.
      if (!ended) {
        await reader.cancel(signal.aborted ? signal.reason : stopped).catch((error: unknown) => {
          if (!signal.aborted) this.#onCancelError(error);
        });
      }
      reader.releaseLock();
    }
  }
}

/**
 * An {@link Exchanger} over `fetch` for the endpoint `url`. `onCancelError` hears of a body
 * that failed to cancel (other than through our own abort).
 */
export function createFetchExchanger(fetch: FetchLike, url: string, onCancelError: (error: unknown) => void): Exchanger {
  return {
    send: (request) => new FetchExchange(fetch, url, request, onCancelError),
    close: async () => {},
  };
}
