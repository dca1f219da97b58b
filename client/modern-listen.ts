/**
 * `client.listen(filter, handlers)`: change notifications in both eras. In 2026-07-28 it is a
 * `subscriptions/listen` request whose stream stays open (basic/patterns/subscriptions): the
 * server acknowledges first (`notifications/subscriptions/acknowledged`), then sends only the
 * opted-in notifications, each stamped with `_meta` `subscriptionId` (the listen request's
 * id). A dropped stream is listened again after a backoff, and since changes in the gap were
 * missed, every list and resource the server agreed to watch is reported changed once the new
 * stream is acknowledged (the application re-fetches). In the legacy era the same call
 * subscribes to the resources (`resources/subscribe`); list changes come on the session.
 * Here: the registry that routes a listen's notifications; one listen's loop is
 * modern-listen-run.ts, loaded on the first listen.
 */
import { LocalErrorCode, McpError, type ClientSide, type Peer, type RequestId, type RequestOptions } from '../protocol/index.ts';
import { META, type EnvelopeParts } from './modern-envelope.ts';
import { loadOnce } from '../protocol/load-once.ts';
import type { ListKind } from './types.ts';

/** What to listen for (2026-07-28 SubscriptionFilter). */
export interface ListenFilter {
  /** `notifications/tools/list_changed` (the server must declare `tools.listChanged`). */
  toolsListChanged?: boolean;
  /** `notifications/prompts/list_changed` (`prompts.listChanged`). */
  promptsListChanged?: boolean;
  /** `notifications/resources/list_changed` (`resources.listChanged`). */
  resourcesListChanged?: boolean;
  /** `notifications/resources/updated` for these URIs (`resources.subscribe`). */
  resourceSubscriptions?: string[];
  /** The tasks extension (SEP-2663): `notifications/tasks` for these 2026 tasks; the listen declares the extension. */
  taskIds?: string[];
}

/** Where the notifications of one listen go; unset ones fall back to the client's options. */
export interface ListenHandlers {
  /** The server agreed to `agreed` (a subset of the filter); again after each re-listen. */
  onAcknowledged?: (agreed: ListenFilter) => void;
  onListChanged?: (kind: ListKind) => void;
  onResourceUpdated?: (uri: string) => void;
  /**
   * A watched task changed: `task` is the DetailedTask the server pushed, or undefined after a
   * re-listen (what changed in the gap was missed: fetch it with `tasks/get`).
   */
  onTaskChanged?: (taskId: string, task: Record<string, unknown> | undefined) => void;
  /** The listen stopped for good after `maxAttempts` failures; without it the error goes to the client's `onError`. */
  onGiveUp?: (error: Error) => void;
  /** The stream dropped; the client listens again after `delayMs` (`attempt`: 1 for the first try after an acknowledged stream). */
  onDrop?: (error: Error, attempt: number, delayMs: number) => void;
}

/** Re-listen backoff. */
export interface ListenOptions {
  /** First delay before listening again, doubled per failed attempt. Default 500 ms. */
  initialDelayMs?: number;
  /** Largest delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Attempts in a row without an acknowledgement before giving up (reported to `onError`). Default 10. */
  maxAttempts?: number;
  /** Aborting it ends the listen, as `close()` does. */
  signal?: AbortSignal;
}

/** A running listen. */
export interface Listening {
  /** Resolves with what the server agreed to, once the first stream is acknowledged. */
  readonly acknowledged: Promise<ListenFilter>;
  /** The id of the current listen request (the `subscriptionId` its notifications carry). */
  readonly subscriptionId: RequestId | undefined;
  /** End it (closes the stream over HTTP, `notifications/cancelled` over stdio). */
  close(): Promise<void>;
}

/** What the listen registry needs from the client core. */
export interface ListenDeps {
  peer: Peer<ClientSide>;
  envelope(): EnvelopeParts;
  onListChanged: (kind: ListKind) => void;
  onResourceUpdated: (uri: string) => void;
  /** A list's cached result is stale (a re-listen: its changes in the gap were missed). */
  forget(kind: ListKind): void;
  report(error: Error): void;
}

/** What a listen's loop shares with its registry. */
export interface ListenRegistryState {
  /** Running listens by the id of their current request. */
  active: Map<RequestId, { handlers: ListenHandlers; ack(agreed: ListenFilter): void }>;
  raw: (method: string, params: unknown, options?: RequestOptions) => Promise<unknown>;
  deps: ListenDeps;
}

const listenRun = loadOnce(() => import('./modern-listen-run.ts'));

/** The listens of one client, and the routing of their notifications by subscription id. */
export function createListenRegistry(deps: ListenDeps) {
  const active: ListenRegistryState['active'] = new Map();
  const state: ListenRegistryState = { active, raw: deps.peer.request.bind(deps.peer) as unknown as ListenRegistryState['raw'], deps };
  (deps.peer.onNotification as (m: string, h: (p: Record<string, unknown> | undefined) => void) => void)(
    'notifications/subscriptions/acknowledged',
    (params) => {
      const id = (params?._meta as Record<string, unknown> | undefined)?.[META.subscriptionId];
      const entry = (typeof id === 'string' || typeof id === 'number') ? active.get(id) : undefined;
      entry?.ack((params?.notifications ?? {}) as ListenFilter);
    },
  );
  // SEP-2663: a task's status, pushed on the listen that named it.
  (deps.peer.onNotification as (m: string, h: (p: Record<string, unknown> | undefined) => void) => void)(
    'notifications/tasks', (params) => { route('notifications/tasks', params); },
  );

  /** Route a change notification to its listen; true when one took it. */
  function route(method: string, params: Record<string, unknown> | undefined): boolean {
    const id = (params?._meta as Record<string, unknown> | undefined)?.[META.subscriptionId];
    const entry = (typeof id === 'string' || typeof id === 'number') ? active.get(id) : undefined;
    if (!entry) return false;
    const kind = /^notifications\/(tools|prompts|resources)\/list_changed$/.exec(method)?.[1] as ListKind | undefined;
    if (kind) (entry.handlers.onListChanged ?? deps.onListChanged)(kind);
    else if (method === 'notifications/resources/updated' && typeof params?.uri === 'string') (entry.handlers.onResourceUpdated ?? deps.onResourceUpdated)(params.uri);
    else if (method === 'notifications/tasks' && typeof params?.taskId === 'string') entry.handlers.onTaskChanged?.(params.taskId, params);
    return true;
  }

  /**
   * The listen loop (modern-listen-run.ts) loads on the first listen; until then the returned
   * handle waits for it, and a close before it loaded starts nothing.
   */
  function listen(filter: ListenFilter, handlers: ListenHandlers = {}, options: ListenOptions = {}): Listening {
    const loaded = listenRun.loaded;
    if (loaded) return loaded.startListen(state, filter, handlers, options);
    let started: Listening | undefined;
    let closed = false;
    const starting = listenRun.load().then((run) => (closed ? undefined : (started = run.startListen(state, filter, handlers, options))));
    const acknowledged = starting.then((l) => l?.acknowledged ?? Promise.reject(new McpError(LocalErrorCode.Aborted, 'listen closed before it was acknowledged')));
    acknowledged.catch(() => {}); // as the loop's own: reported through onError when nobody awaits it
    starting.catch((error: Error) => deps.report(error));
    return {
      acknowledged,
      get subscriptionId() { return started?.subscriptionId; },
      async close() {
        closed = true;
        await (await starting.catch(() => undefined))?.close();
      },
    };
  }

  /**
   * SEP-2663: push one 2026 task's changes to `changed` (see TaskClientDeps.watch). Polling
   * stays the fallback, so a server that grants no `taskIds` is simply not listened to.
   */
  function watchTask(taskId: string, changed: (task: Record<string, unknown> | undefined) => void): () => void {
    const listening = listen({ taskIds: [taskId] }, {
      onTaskChanged: (_id, task) => changed(task),
      onAcknowledged(agreed) {
        if (!agreed.taskIds?.includes(taskId)) return void listening.close();
        changed(undefined); // what changed between the first tasks/get and this stream was missed
      },
      onGiveUp() {}, // no listen here: the waiter polls, as it would without one
    }, { maxAttempts: 2 });
    return () => void listening.close();
  }

  /** True when `id` is the request of a running listen (its server may end it with notifications/cancelled). */
  const owns = (id: RequestId): boolean => active.has(id);

  return { listen, route, watchTask, owns };
}
