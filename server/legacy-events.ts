/**
 * Server events as a 2025-era connection tells them to its client: list changes as
 * `notifications/<list>/list_changed` when this connection declared `listChanged`
 * (2025-11-25 server/tools, server/resources, server/prompts), resource updates as
 * `notifications/resources/updated` when the client subscribed to the URI (2025-11-25
 * server/resources: subscriptions). Only clients that finished initializing hear anything.
 */
import { versionAtLeast } from '../protocol/index.ts';
import { hasCapability } from '../protocol/capabilities.ts';
import type { ServerConnection } from './connection-types.ts';
import type { ServerEvent } from './event-bus.ts';
import { connectionPrincipal } from './tasks/principal.ts';


/** What the delivery needs besides the connection. */
export interface LegacyDelivery {
  /** True when `conn` subscribed to `uri`. */
  subscribed(conn: ServerConnection, uri: string): boolean;
  /** A notification that could not be sent. */
  report(error: Error, conn: ServerConnection): void;
}

/** Tell `conn`'s client about `event`; true when a notification went out. */
export function deliverToConnection(conn: ServerConnection, event: ServerEvent, delivery: LegacyDelivery): boolean | Promise<boolean> {
  if (conn.state !== 'ready') return false;
  if (event.type === 'task_status') return deliverTaskStatus(conn, event, delivery);
  if (event.type === 'task_changed' || event.type === 'task_input') return false; // 2026-07-28 tasks: listen only; between instances
  if (event.type === 'resource_updated') {
    if (!delivery.subscribed(conn, event.uri)) return false;
    return sent(conn.peer.notify('notifications/resources/updated', { uri: event.uri }), conn, delivery);
  }
  // A connection made before the first registration did not declare listChanged.
  if (!hasCapability(conn.capabilities, [event.list, 'listChanged'])) return false;
  return sent(conn.peer.notify(`notifications/${event.list}/list_changed`, undefined), conn, delivery);
}

/**
 * Tell each of `connections` about `event` (a snapshot: one added while it goes out hears the
 * next); resolves with how many notifications went out. The listener of a server's own bus
 * for all its connections (event-bus.ts `createServerBus`). A delivery that throws counts as
 * not delivered and goes to `failed`, as a throwing subscriber's does on the bus.
 */
export function deliverToAll(
  connections: Iterable<ServerConnection>, event: ServerEvent, delivery: LegacyDelivery, failed: (error: unknown) => void,
): number | Promise<number> {
  let count = 0;
  let waits: Promise<boolean>[] | undefined;
  for (const conn of [...connections]) {
    try {
      const delivered = deliverToConnection(conn, event, delivery);
      if (delivered instanceof Promise) (waits ??= []).push(delivered.catch((e: unknown) => { failed(e); return false; }));
      else if (delivered) count++;
    } catch (error) {
      failed(error);
    }
  }
  return waits === undefined ? count : Promise.all(waits).then((done) => count + done.filter(Boolean).length);
}

/**
 * 2025-11-25 basic/utilities/tasks: `notifications/tasks/status` (optional), only to the
 * task's owner, only on connections that negotiated tasks.
 */
function deliverTaskStatus(conn: ServerConnection, event: Extract<ServerEvent, { type: 'task_status' }>, delivery: LegacyDelivery): boolean | Promise<boolean> {
  if (!conn.capabilities.tasks || !versionAtLeast(conn.protocolVersion, '2025-11-25')) return false;
  // An authenticated task's owner is its issuer and subject, never a connection's principal:
  // its session (bound to that principal) hears it.
  if (connectionPrincipal(conn) !== event.owner && (event.sessionId === undefined || conn.sessionId !== event.sessionId)) return false;
  return sent(conn.peer.notify('notifications/tasks/status', event.task), conn, delivery);
}

function sent(sending: Promise<void>, conn: ServerConnection, delivery: LegacyDelivery): Promise<boolean> {
  return sending.then(() => true, (error: Error) => {
    delivery.report(error, conn);
    return false;
  });
}
