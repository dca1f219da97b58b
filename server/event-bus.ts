/**
 * The server event bus: what changed on the server (a list, a resource), published once and
 * heard by whoever serves clients: each 2025-era connection now, `subscriptions/listen`
 * streams in the 2026 era. Features publish; they never loop over connections. The
 * interface is small so a shared bus (Redis pub/sub, for several instances behind one load
 * balancer) can implement it; {@link createMemoryEventBus} serves one process.
 */
import type { Task } from '../protocol/index.ts';
import type { DetailedTask } from './tasks/modern-wire.ts';

/** Something clients may want to hear about. */
export type ServerEvent =
  /** 2025-11-25 server/tools, server/resources, server/prompts: list changed. */
  | { readonly type: 'list_changed'; readonly list: 'tools' | 'resources' | 'prompts' }
  /** 2025-11-25 server/resources: subscriptions, `notifications/resources/updated`. */
  | { readonly type: 'resource_updated'; readonly uri: string }
  /**
   * 2025-11-25 basic/utilities/tasks: a task's status changed; only its owner hears it: the
   * connection whose principal it is, or the session that made it (`sessionId`; a session is
   * bound to the principal that opened it, so an authenticated owner's session qualifies).
   */
  | { readonly type: 'task_status'; readonly owner: string; readonly task: Task; readonly sessionId?: string }
  /**
   * 2026-07-28 tasks extension (SEP-2663): a task's status changed; the task as `tasks/get`
   * shows it (the params of `notifications/tasks`, for `subscriptions/listen` streams that
   * asked for its `taskIds`). Only its owner may hear it.
   */
  | { readonly type: 'task_changed'; readonly owner: string; readonly task: DetailedTask }
  /**
   * Between the instances of one server (never delivered to clients): answers to a task's
   * questions were recorded in the shared TaskStore (2026-07-28 `tasks/update`), so the
   * instance running the task takes them from there.
   */
  | { readonly type: 'task_input'; readonly taskId: string };

/**
 * Hears every event; resolves true when it delivered the event to its client (a
 * connection not subscribed to the URI, or not ready, answers false).
 */
export type ServerEventListener = (event: ServerEvent) => boolean | Promise<boolean>;

/** Publish server events; subscribe to them. */
export interface ServerEventBus {
  /**
   * Deliver `event` to every subscriber; resolves with how many delivered it (for a shared
   * bus: how many of this process's subscribers did).
   */
  publish(event: ServerEvent): Promise<number>;
  /** Hear every event published from now on; returns the function that stops it. */
  subscribe(listener: ServerEventListener): () => void;
}

/** Options of {@link createMemoryEventBus}. */
export interface MemoryEventBusOptions {
  /** A listener threw or rejected (it counts as not delivered). */
  onError?: (error: Error) => void;
}

/** An in-process bus: listeners are called synchronously, in subscription order. */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): ServerEventBus {
  return new MemoryEventBus(options);
}

/**
 * Hears every event for several clients at once; resolves with how many of them it delivered
 * the event to (each counts in {@link ServerEventBus.publish}'s total as a listener would).
 */
export type CountingListener = (event: ServerEvent) => number | Promise<number>;

/**
 * The bus a server makes when given none: `fanOut` tells all the server's 2025-era
 * connections, ahead of the other subscribers, so a connection holds no subscription of its
 * own (a listener, its entry and the function that stops it: ~260 B per idle HTTP session,
 * bench g). Not exported from the package: a bus the application gives is subscribed to
 * per connection, as {@link ServerEventBus} says.
 */
export function createServerBus(options: MemoryEventBusOptions, fanOut: CountingListener): ServerEventBus {
  return new MemoryEventBus(options, fanOut);
}

class MemoryEventBus implements ServerEventBus {
  /** One entry per subscription, so a listener subscribed twice hears each event twice. */
  readonly #subscribers = new Set<{ listener: ServerEventListener }>();
  readonly #options: MemoryEventBusOptions;
  readonly #fanOut: CountingListener | undefined;

  constructor(options: MemoryEventBusOptions, fanOut?: CountingListener) {
    this.#options = options;
    this.#fanOut = fanOut;
  }

  publish(event: ServerEvent): Promise<number> {
    const deliveries: (boolean | number | Promise<boolean | number>)[] = [];
    // A snapshot: a listener subscribed while this event goes out hears the next one.
    const subscribers = [...this.#subscribers];
    if (this.#fanOut) this.#hear(this.#fanOut, event, deliveries);
    for (const { listener } of subscribers) this.#hear(listener, event, deliveries);
    return Promise.all(deliveries).then((done) => {
      let count = 0;
      for (const d of done) count += typeof d === 'number' ? d : d ? 1 : 0;
      return count;
    });
  }

  #hear(listener: ServerEventListener | CountingListener, event: ServerEvent, deliveries: (boolean | number | Promise<boolean | number>)[]): void {
    try {
      const delivered = listener(event);
      deliveries.push(delivered instanceof Promise ? delivered.catch((e: unknown) => this.#failed(e)) : delivered);
    } catch (error) {
      deliveries.push(this.#failed(error));
    }
  }

  subscribe(listener: ServerEventListener): () => void {
    const entry = { listener };
    this.#subscribers.add(entry);
    return () => { this.#subscribers.delete(entry); };
  }

  #failed(error: unknown): false {
    this.#options.onError?.(error instanceof Error ? error : new Error(String(error)));
    return false;
  }
}
