/**
 * `subscriptions/listen` (2026-07-28 basic/patterns/subscriptions, SEP-2575): the long-lived
 * request that replaces the 2025 GET stream and `resources/subscribe`. The client names the
 * notifications it wants in a `SubscriptionFilter`; the server acknowledges first with what it
 * agreed to honour, then forwards matching server-bus events, each tagged with the listen
 * request's id, and answers `SubscriptionsListenResult` when it ends the stream itself (the
 * server closing). A client ends it by closing the stream (HTTP) or `notifications/cancelled`
 * (stdio); then nothing more is sent.
 *
 * Topics are pluggable: the built-in ones cover list changes and resource updates; an
 * extension adds its own {@link ListenTopic} through the dispatcher's `listen.topics` option
 * (the tasks extension's `taskIds`, fed by `task_changed` bus events, is always there:
 * server/tasks/listen-topic.ts).
 */
import { ErrorCode, RpcError, type JsonRpcNotification, type RequestId, type ServerCapabilities } from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import type { ServerEvent, ServerEventBus } from '../event-bus.ts';
import type { RequestAuth } from '../request.ts';
import { META } from './envelope.ts';
import type { NotificationSink } from './modern-request.ts';

/** What one listen stream asked for and was granted, by filter key. */
export type SubscriptionFilter = Readonly<Record<string, unknown>>;

/** Who listens: the facts a topic may check (an owner, a capability). */
export interface Listener {
  readonly auth: RequestAuth;
  readonly clientCapabilities: Record<string, unknown>;
}

/**
 * One kind of notification a listen stream can carry. `agree` reads the client's filter and
 * returns the part it honours (undefined: none of it); `deliver` turns a bus event into the
 * notification for a stream that was granted `granted` (undefined: not for this stream). The
 * dispatcher tags the notification with the subscription id.
 */
export interface ListenTopic {
  /** The filter keys this topic owns (e.g. `toolsListChanged`, `taskIds`). */
  readonly keys: readonly string[];
  agree(filter: SubscriptionFilter, capabilities: ServerCapabilities, listener: Listener): SubscriptionFilter | undefined;
  deliver(event: ServerEvent, granted: SubscriptionFilter, listener: Listener): JsonRpcNotification | undefined;
}

/** Limits and topics of `subscriptions/listen`. */
export interface ListenOptions {
  /** Listen streams open at once (per process); one more is refused with -32603. Default 1000. */
  maxStreams?: number;
  /**
   * Listen streams one authenticated principal (issuer and subject, else client id) may hold
   * open; one more is refused with -32603, so one client cannot take every stream of
   * `maxStreams`. Unauthenticated requests share `maxStreams` only. Default 100.
   */
  maxStreamsPerPrincipal?: number;
  /** URIs one stream may name in `resourceSubscriptions`; more is -32602. Default 1000. */
  maxResourceSubscriptions?: number;
  /** Task ids one stream may name in `taskIds` (the tasks extension); more is -32602. Default 1000. */
  maxTaskIds?: number;
  /** Topics beyond the built-in list-changed and resource ones (extensions). */
  topics?: readonly ListenTopic[];
}

export const LISTEN_DEFAULTS = { maxStreams: 1000, maxStreamsPerPrincipal: 100, maxResourceSubscriptions: 1000, maxTaskIds: 1000 } as const;

/** Whose streams `auth` opens, for the per-principal bound; undefined when unauthenticated. */
function principalOf(auth: RequestAuth): string | undefined {
  const who = auth.subject ?? auth.clientId;
  return who === undefined ? undefined : JSON.stringify([auth.issuer ?? '', who]);
}

const LISTS = [
  ['toolsListChanged', 'tools'], ['promptsListChanged', 'prompts'], ['resourcesListChanged', 'resources'],
] as const;

/** `notifications/{tools,prompts,resources}/list_changed`, when the server declares the list. */
function listChangedTopic(key: string, list: 'tools' | 'prompts' | 'resources'): ListenTopic {
  return {
    keys: [key],
    agree: (filter, caps) => (filter[key] === true && caps[list] !== undefined ? { [key]: true } : undefined),
    deliver: (event, granted) => (event.type === 'list_changed' && event.list === list && granted[key] === true
      ? { jsonrpc: '2.0', method: `notifications/${list}/list_changed` as never } : undefined),
  };
}

/** `notifications/resources/updated` for the URIs named in `resourceSubscriptions`. */
function resourceTopic(max: number): ListenTopic {
  return {
    keys: ['resourceSubscriptions'],
    agree(filter, caps) {
      const uris = filter.resourceSubscriptions;
      if (uris === undefined) return undefined;
      if (!Array.isArray(uris) || !uris.every((u) => typeof u === 'string')) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: notifications.resourceSubscriptions must be an array of URIs');
      if (uris.length > max) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: at most ${max} resourceSubscriptions per stream (listen.maxResourceSubscriptions; got ${uris.length})`);
      return caps.resources !== undefined && uris.length > 0 ? { resourceSubscriptions: [...new Set(uris)] } : undefined;
    },
    deliver(event, granted) {
      if (event.type !== 'resource_updated') return undefined;
      const uris = granted.resourceSubscriptions as readonly string[] | undefined;
      return uris?.includes(event.uri) ? { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: event.uri } as never } : undefined;
    },
  };
}

/** The listen streams of one dispatcher. */
export class ListenStreams {
  readonly #bus: ServerEventBus | undefined;
  readonly #topics: readonly ListenTopic[];
  readonly #maxStreams: number;
  readonly #maxPerPrincipal: number;
  /** Each open stream's way to end itself gracefully (server closing). */
  readonly #open = new Set<() => void>();
  /** Open streams per authenticated principal ({@link principalOf}). */
  readonly #perPrincipal = new Map<string, number>();

  constructor(bus: ServerEventBus | undefined, options: ListenOptions = {}) {
    this.#bus = bus;
    this.#maxStreams = options.maxStreams ?? LISTEN_DEFAULTS.maxStreams;
    this.#maxPerPrincipal = options.maxStreamsPerPrincipal ?? LISTEN_DEFAULTS.maxStreamsPerPrincipal;
    const max = options.maxResourceSubscriptions ?? LISTEN_DEFAULTS.maxResourceSubscriptions;
    this.#topics = [...LISTS.map(([key, list]) => listChangedTopic(key, list)), resourceTopic(max), ...(options.topics ?? [])];
  }

  get size(): number { return this.#open.size; }

  /**
   * Serve one listen request until the client goes (`signal`) or the server closes; resolves
   * with the `SubscriptionsListenResult` to send (not sent when the client went).
   */
  async listen(id: RequestId, params: Record<string, unknown>, caps: ServerCapabilities, listener: Listener, sink: NotificationSink | undefined, signal: AbortSignal): Promise<Record<string, unknown>> {
    const filter = params.notifications;
    if (!isObject(filter)) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: subscriptions/listen needs a "notifications" filter object');
    if (!this.#bus) throw new RpcError(ErrorCode.InternalError, 'Internal error: this server has no event bus to listen to');
    if (this.#open.size >= this.#maxStreams) throw new RpcError(ErrorCode.InternalError, `Internal error: ${this.#maxStreams} listen streams are open already (listen.maxStreams); try again later`);
    const principal = principalOf(listener.auth);
    const held = principal === undefined ? 0 : this.#perPrincipal.get(principal) ?? 0;
    if (held >= this.#maxPerPrincipal) {
      throw new RpcError(ErrorCode.InternalError, `Internal error: this principal holds ${this.#maxPerPrincipal} listen streams already (maxStreamsPerPrincipal); close one first`);
    }
    const granted: Array<[ListenTopic, SubscriptionFilter]> = [];
    for (const topic of this.#topics) {
      const part = topic.agree(filter, caps, listener);
      if (part) granted.push([topic, part]);
    }
    const agreed = Object.assign({}, ...granted.map(([, part]) => part)) as Record<string, unknown>;
    const tag = { [META.subscriptionId]: id };
    const send = (n: JsonRpcNotification) => {
      if (signal.aborted) return;
      const p = (n.params ?? {}) as Record<string, unknown>;
      void Promise.resolve(sink?.({ ...n, params: { ...p, _meta: { ...(isObject(p._meta) ? p._meta : {}), ...tag } } as never }));
    };
    // The acknowledgement is the stream's first message (SubscriptionsAcknowledgedNotification).
    send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged' as never, params: { notifications: agreed } as never });
    let end: () => void = () => {};
    const ended = new Promise<void>((resolve) => { end = resolve; });
    const stop = this.#bus.subscribe((event) => {
      let delivered = false;
      for (const [topic, part] of granted) {
        const n = topic.deliver(event, part, listener);
        if (n) { send(n); delivered = true; }
      }
      return delivered;
    });
    const onAbort = () => end();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#open.add(end);
    if (principal !== undefined) this.#perPrincipal.set(principal, held + 1);
    try {
      if (!signal.aborted) await ended;
    } finally {
      stop();
      signal.removeEventListener('abort', onAbort);
      this.#open.delete(end);
      if (principal !== undefined) {
        const left = (this.#perPrincipal.get(principal) ?? 1) - 1;
        if (left > 0) this.#perPrincipal.set(principal, left);
        else this.#perPrincipal.delete(principal);
      }
    }
    return { _meta: tag };
  }

  /** End every stream gracefully: each answers its `SubscriptionsListenResult`. */
  close(): void {
    for (const end of [...this.#open]) end();
  }
}
