/**
 * `notifications/<feature>/list_changed` to every client that can hear it (2025-11-25
 * server/resources and server/prompts: list changed notification). Changes made in one
 * synchronous burst (registering ten prompts in a loop) become one notification.
 */
import { type CapabilityPath } from '../protocol/index.ts';
import { hasCapability } from '../protocol/capabilities.ts';
import type { ServerConnection } from './connection.ts';

/** Which notification, gated by which of our own capabilities. */
export interface ListChangedOptions {
  method: 'notifications/resources/list_changed' | 'notifications/prompts/list_changed';
  capability: CapabilityPath;
  /** The server's live connections, read when the notification goes out. */
  connections: () => Iterable<ServerConnection>;
  onError: (error: Error, connection: ServerConnection) => void;
}

/** Returns `changed()`: call it after every change; one notification follows per burst. */
export function createListChangedNotifier(options: ListChangedOptions): () => void {
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    for (const conn of options.connections()) {
      // Only clients that finished initializing, on connections that declared listChanged
      // (a connection made before the first registration did not).
      if (conn.state !== 'ready' || !hasCapability(conn.capabilities, options.capability)) continue;
      conn.session.notify(options.method, undefined).catch((e: Error) => options.onError(e, conn));
    }
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };
}
