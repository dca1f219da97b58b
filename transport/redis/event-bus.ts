/**
 * The server event bus on Redis pub/sub: an event published on any instance reaches the
 * subscribers of every instance (list_changed, resources/updated, task status, and through
 * them `subscriptions/listen` streams). Local subscribers hear local events at once; events
 * from other instances arrive through the channel. Pub/sub delivers to the instances
 * connected now: an instance that is disconnected misses events (see README, failure
 * behaviour), like a client that is not connected.
 */
import type { RedisLink } from './connection.ts';
import { redisKeys } from './keys.ts';

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  prefix?: string;
  /** A listener failed, or a message on the channel was not an event. */
  onError?: (error: Error) => void;
}

/**
 * A bus of JSON events, shaped like the server's `ServerEventBus` (pass
 * `RedisEventBus<ServerEvent>` as `createServer`'s `eventBus`); generic because the transport
 * layer does not import the server's types.
 */
export interface RedisEventBus<E = unknown> {
  /** Deliver to local subscribers and publish to the other instances; resolves with the local deliveries. */
  publish(event: E): Promise<number>;
  /** Hear every event from now on, from any instance; returns the function that stops it. */
  subscribe(listener: (event: E) => boolean | Promise<boolean>): () => void;
  /** Stop listening on the channel (the subscriber connection closes). */
  close(): Promise<void>;
}

/** Create the bus: `link` publishes; a second connection subscribes. */
export async function createRedisEventBus<E = unknown>(link: RedisLink, options: RedisEventBusOptions = {}): Promise<RedisEventBus<E>> {
  const channel = redisKeys(options.prefix).busChannel();
  const origin = Buffer.from(crypto.getRandomValues(new Uint8Array(9))).toString('base64url');
  const subscribers = new Set<{ listener: (event: E) => boolean | Promise<boolean> }>();
  const onError = options.onError ?? (() => {});
  const deliver = (event: E): Promise<number> => {
    const deliveries = [...subscribers].map(async ({ listener }) => {
      try {
        return await listener(event);
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
        return false;
      }
    });
    return Promise.all(deliveries).then((done) => done.filter(Boolean).length);
  };
  const listening = await link.duplicate('event bus subscriber');
  // A refused SUBSCRIBE (an ACL without the channel) must not leave the connection open.
  const stop = await listening.subscribe(channel, (text) => {
    let parsed: { origin?: unknown; event?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (error) {
      onError(new Error(`event bus: a message on ${channel} is not JSON`, { cause: error }));
      return;
    }
    if (parsed.origin === origin) return; // delivered locally when published
    if (typeof parsed.event !== 'object' || parsed.event === null) return onError(new Error(`event bus: a message on ${channel} carries no event`));
    void deliver(parsed.event as E);
  }).catch(async (error: unknown) => {
    await listening.close().catch(() => undefined);
    throw error;
  });
  return {
    async publish(event) {
      const local = deliver(event);
      await link.send(['PUBLISH', channel, JSON.stringify({ origin, event })]);
      return local;
    },
    subscribe(listener) {
      const entry = { listener };
      subscribers.add(entry);
      return () => { subscribers.delete(entry); };
    },
    async close() {
      subscribers.clear();
      // Closed even when unsubscribing fails (Redis gone): the connection must not outlive us.
      try {
        await stop();
      } finally {
        await listening.close();
      }
    },
  };
}
