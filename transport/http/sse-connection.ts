/**
 * One live HTTP response carrying SSE text. It holds what is sent before the HTTP adapter
 * starts piping (the reply is built first, its body flows after), then writes straight to the
 * adapter's sink: a Node `ServerResponse` or a web `ReadableStream` controller.
 */
import { LocalErrorCode, McpError, type Timers } from '../../protocol/index.ts';
import { encodeSseComment } from '../sse/index.ts';
import type { UnreadLedger } from './unread-ledger.ts';

/** Settings shared by the connections of one server. */
export interface ConnectionSettings {
  timers: Timers;
  /** Sends keep-alive comments on idle connections; none when disabled. */
  keepAlive: KeepAliveTicker | undefined;
  /**
   * Bytes a client may leave unread before writers wait for it ({@link SseConnection.writable});
   * a connection that falls {@link DROP_FACTOR} times as far behind (its writers do not wait)
   * is dropped, and its client resumes from the store.
   */
  maxBufferedBytes: number;
  /**
   * Unread bytes of all the server's connections (unread-ledger.ts): over its bound, a
   * connection with anything unread is behind too. None: each connection on its own.
   */
  unread?: UnreadLedger | undefined;
  onError(error: Error): void;
}

/** Where an adapter lets a connection write. */
export interface SseSink {
  /** Write text; true when more than `maxBufferedBytes` now wait unread by the client. */
  write(text: string): boolean;
  /** End the response body. */
  end(): void;
  /**
   * Resolves once the client has read what waits unread (or went away). Called after
   * `write` reported the client behind. A sink without it gets no flow control: a client
   * that falls behind is dropped.
   */
  drained?(): Promise<void>;
}

/** How many times `maxBufferedBytes` a connection may fall behind before it is dropped. */
export const DROP_FACTOR = 4;

const KEEP_ALIVE = encodeSseComment('keep-alive');

export class SseConnection {
  #settings: ConnectionSettings;
  #sink: SseSink | undefined;
  /**
   * Text sent before a sink was attached, and its size in UTF-16 units (a bound, not a byte
   * count). This array and `#waiters` exist only while they hold something: an idle open
   * stream (bench g, one per idle session) keeps neither.
   */
  #held: string[] | undefined;
  #heldSize = 0;
  #closed = false;
  #ended = false;
  /** More than `maxBufferedBytes` wait unread; writers wait in {@link writable}. */
  #behind = false;
  #waiters: Array<() => void> | undefined;
  #sentBehind = 0;
  /** When text was last sent (ms), for the keep-alive ticker. */
  lastSend = 0;
  #lifetime: unknown;

  /**
   * `maxConnectionMs`: end the connection (not its stream) after this long, so the client
   * polls (2025-11-25 basic/transports: the server MAY close the connection).
   */
  constructor(settings: ConnectionSettings, maxConnectionMs?: number) {
    this.#settings = settings;
    // Not on the keep-alive ticker until piped (see `pipe`).
    if (maxConnectionMs !== undefined) this.#lifetime = settings.timers.setTimeout(() => this.end(), maxConnectionMs);
  }

  /** The adapter's bound on unread bytes (see {@link SseSink.write}). */
  get maxBufferedBytes(): number { return this.#settings.maxBufferedBytes; }

  /** The server-wide count of unread bytes the adapter keeps, if any. */
  get unread(): UnreadLedger | undefined { return this.#settings.unread; }

  /** True once ended or once the client went away. */
  get closed(): boolean { return this.#closed; }

  /** Queue text; false when the connection is gone (or was dropped for being too far behind). */
  send(text: string): boolean {
    if (this.#closed) return false;
    let behind: boolean;
    if (this.#sink) behind = this.#sink.write(text);
    else {
      (this.#held ??= []).push(text);
      this.#heldSize += text.length;
      behind = this.#heldSize > this.#settings.maxBufferedBytes;
    }
    if (behind) {
      // What was sent since it fell behind: text from writers that do not wait.
      this.#sentBehind = this.#behind ? this.#sentBehind + text.length : 0;
      const limit = this.#dropLimit();
      if (limit !== undefined) {
        // Too far behind: drop the connection; the history is in the store for a resume.
        this.#settings.onError(new McpError(LocalErrorCode.MessageTooLarge, `SSE client fell more than ${limit} bytes behind; connection dropped`));
        this.end();
        return false;
      }
      if (!this.#behind) {
        this.#behind = true;
        // Held text waits for a sink: `pipe` looks again.
        if (this.#sink) void this.#sink.drained!().then(() => this.#caughtUp());
      }
    }
    if (this.#sink && this.#settings.keepAlive) this.lastSend = this.#settings.timers.now();
    return true;
  }

  /** True while more than `maxBufferedBytes` wait unread (see {@link writable}). */
  get behind(): boolean { return this.#behind && !this.#closed; }

  /**
   * Resolves when the client has read enough that more may be sent (at once when it is not
   * behind), or when the connection is gone: flow control for the stream's writers.
   */
  writable(): Promise<void> {
    if (!this.#behind || this.#closed) return Promise.resolve();
    return new Promise((resolve) => (this.#waiters ??= []).push(resolve));
  }

  /** End the response body (after what is queued). */
  end(): void {
    if (this.#closed) return;
    this.#ended = true;
    this.#sink?.end();
    this.#release();
  }

  /**
   * Adapter side, before {@link pipe}: when the connection ended before any sink was attached
   * (the reply was complete before its head was written, as a quick call's is), its whole body,
   * taken; otherwise undefined, and the adapter pipes. The adapter can then send the head and the
   * body in one write with a length, rather than a chunked stream.
   */
  takeEnded(): string | undefined {
    if (!this.#ended || this.#sink) return undefined;
    const held = this.#held;
    const body = held === undefined ? '' : held.length === 1 ? held[0]! : held.join('');
    this.#held = undefined;
    this.#heldSize = 0;
    return body;
  }

  /** Adapter side: write what was held, then everything sent from now on, to `sink`. */
  pipe(sink: SseSink): void {
    if (this.#sink) throw new Error('SSE connection already has a sink');
    this.#sink = sink;
    const held = this.#held;
    this.#held = undefined;
    this.#heldSize = 0;
    // On the keep-alive ticker from here: before a sink nothing reaches the client, and a
    // quick call's connection ends before it is piped (`takeEnded`), so it never joins. What
    // it buys: no Set add and delete per SSE POST (bench c, `--cpu-prof` of the server).
    if (!this.#closed) this.#settings.keepAlive?.add(this);
    let behind = false;
    if (held !== undefined) for (const text of held) behind = sink.write(text);
    if (this.#ended) sink.end();
    else if (this.#behind) {
      if (behind && sink.drained) void sink.drained().then(() => this.#caughtUp());
      else this.#caughtUp();
    }
  }

  /** The bound this connection went past, when it must be dropped. */
  #dropLimit(): number | undefined {
    const max = this.#settings.maxBufferedBytes;
    if (!this.#sink) return this.#heldSize > DROP_FACTOR * max ? DROP_FACTOR * max : undefined;
    if (!this.#sink.drained) return max; // no flow control: the bound is hard
    if (this.#sentBehind > (DROP_FACTOR - 1) * max) return DROP_FACTOR * max;
    // Writers that do not wait, over many connections: the sum is bounded the same way.
    const unread = this.#settings.unread;
    return unread && this.#sentBehind > 0 && unread.total > DROP_FACTOR * unread.max ? DROP_FACTOR * unread.max : undefined;
  }

  #caughtUp(): void {
    this.#behind = false;
    const waiters = this.#waiters;
    if (waiters === undefined) return;
    this.#waiters = undefined;
    for (const wake of waiters) wake();
  }

  /** Adapter side: the client went away. Not a cancellation of its requests. */
  gone(): void {
    this.#release();
  }

  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sink) this.#settings.keepAlive?.delete(this);
    if (this.#lifetime !== undefined) this.#settings.timers.clearTimeout(this.#lifetime);
    this.#lifetime = undefined;
    this.#caughtUp();
  }
}

/**
 * One timer for the keep-alive comments of all of a server's connections (a comment stops
 * proxies from closing an idle stream), rather than a timer per connection re-armed on
 * every send. It ticks every half interval while connections are open, so a connection
 * silent for `intervalMs` gets its comment within 1.5 intervals.
 */
export class KeepAliveTicker {
  #timers: Timers;
  #intervalMs: number;
  #live = new Set<SseConnection>();
  #timer: unknown;

  constructor(timers: Timers, intervalMs: number) {
    this.#timers = timers;
    this.#intervalMs = intervalMs;
  }

  add(conn: SseConnection): void {
    conn.lastSend = this.#timers.now();
    this.#live.add(conn);
    if (this.#timer === undefined) this.#arm();
  }

  delete(conn: SseConnection): void {
    this.#live.delete(conn);
  }

  /** Stop ticking (server closing). */
  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#live.clear();
  }

  #arm(): void {
    // Not unref'd: an open stream is work in progress, as a per-connection timer was.
    this.#timer = this.#timers.setTimeout(() => this.#tick(), Math.max(1, Math.floor(this.#intervalMs / 2)));
  }

  #tick(): void {
    this.#timer = undefined;
    const now = this.#timers.now();
    for (const conn of [...this.#live]) {
      if (now - conn.lastSend >= this.#intervalMs) conn.send(KEEP_ALIVE);
    }
    if (this.#live.size > 0) this.#arm();
  }
}
