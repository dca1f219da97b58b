/**
 * Resource subscriptions, per connection (2025-11-25 server/resources: subscriptions): a
 * client subscribes to a URI and hears `notifications/resources/updated` for it until it
 * unsubscribes or its connection ends. Sets are keyed weakly by connection, so a closed
 * connection's subscriptions go with it. The updates themselves travel on the server event
 * bus; a connection asks this table whether its client wants one.
 */
import { ErrorCode, RpcError } from '../protocol/index.ts';
import type { ServerConnection } from './connection-types.ts';

/** Default number of URIs one connection may be subscribed to at once. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 1_000;

/** Options of {@link createSubscriptions}. */
export interface SubscriptionsOptions {
  /** URIs one connection may be subscribed to at once. Default {@link DEFAULT_MAX_SUBSCRIPTIONS}. */
  maxPerConnection?: number;
}

/** The subscriptions of every connection of one server. */
export interface Subscriptions {
  /** Subscribe `conn` to `uri`; idempotent. Throws -32600 beyond the limit. */
  add(conn: ServerConnection, uri: string): void;
  /** Unsubscribe; true when `conn` was subscribed. */
  remove(conn: ServerConnection, uri: string): boolean;
  has(conn: ServerConnection, uri: string): boolean;
}

/** Create the subscription table of a server. */
export function createSubscriptions(options: SubscriptionsOptions = {}): Subscriptions {
  const max = options.maxPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS;
  const byConnection = new WeakMap<ServerConnection, Set<string>>();

  return {
    add(conn, uri) {
      let set = byConnection.get(conn);
      if (!set) byConnection.set(conn, (set = new Set()));
      if (set.has(uri)) return;
      if (set.size >= max) {
        throw new RpcError(ErrorCode.InvalidRequest, `Invalid Request: this connection already holds ${max} resource subscriptions (the server's limit)`);
      }
      set.add(uri);
    },
    remove: (conn, uri) => byConnection.get(conn)?.delete(uri) ?? false,
    has: (conn, uri) => byConnection.get(conn)?.has(uri) ?? false,
  };
}
