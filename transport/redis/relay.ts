/**
 * Client answers carried between instances over Redis pub/sub: in the legacy era a server
 * asks the client (elicitation, sampling, roots) on the stream of the call, and the client
 * POSTs the answer, which a load balancer may send to any instance (2025-11-25
 * basic/transports: the client answers with a POST). The instance that received it publishes
 * it; the instance whose session waits for it delivers it.
 */
import type { SessionRelay } from '../event-store/types.ts';
import type { RedisLink } from './connection.ts';
import { redisKeys } from './keys.ts';

/** A relay that can be closed (it holds a subscriber connection). */
export interface RedisRelay extends SessionRelay {
  close(): Promise<void>;
}

/** Create the relay: `link` publishes; a second connection subscribes. */
export async function createRedisRelay(link: RedisLink, options: { prefix?: string; onError?: (error: Error) => void } = {}): Promise<RedisRelay> {
  const channel = redisKeys(options.prefix).relayChannel();
  const origin = Buffer.from(crypto.getRandomValues(new Uint8Array(9))).toString('base64url');
  const listeners = new Set<(sessionId: string, payload: unknown) => void>();
  const listening = await link.duplicate('answer relay subscriber');
  // A refused SUBSCRIBE (an ACL without the channel) must not leave the connection open.
  const stop = await listening.subscribe(channel, (text) => {
    let parsed: { origin?: unknown; sessionId?: unknown; payload?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (error) {
      options.onError?.(new Error(`relay: a message on ${channel} is not JSON`, { cause: error }));
      return;
    }
    if (parsed.origin === origin || typeof parsed.sessionId !== 'string') return;
    for (const listener of listeners) listener(parsed.sessionId, parsed.payload);
  }).catch(async (error: unknown) => {
    await listening.close().catch(() => undefined);
    throw error;
  });
  return {
    async send(sessionId, payload) {
      await link.send(['PUBLISH', channel, JSON.stringify({ origin, sessionId, payload })]);
    },
    listen(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    async close() {
      listeners.clear();
      // Closed even when unsubscribing fails (Redis gone): the connection must not outlive us.
      try {
        await stop();
      } finally {
        await listening.close();
      }
    },
  };
}
