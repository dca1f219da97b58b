/**
 * The client's periodic ping (2025-11-25 basic/utilities/ping), loaded with `import()` by the
 * first client given `ping`: the stdio-only client's start path stays as it was. A miss is
 * reported through `onError`; `maxMissed` in a row close the client, its pending calls
 * rejected with MCP_ERR_CLOSED naming why, and `onClose` is given that error.
 */
import type { ClientSide, McpError, Peer } from '../protocol/index.ts';
import { startPinging } from '../protocol/ping.ts';

export { pingSettings } from '../protocol/ping.ts';
import type { ClientOptions } from './types.ts';

/** A running pinger; `stop()` ends it and returns the error that closed the session, if pings did. */
export interface Pinger {
  stop(): McpError | undefined;
}

/** Ping `peer`'s server as `options.ping` says (checked by {@link pingSettings} before the client connected). */
export function pingServer(peer: Peer<ClientSide>, options: ClientOptions): Pinger {
  let gone: McpError | undefined;
  const running = startPinging(peer, options.ping!, {
    peerName: 'server',
    timers: options.timers,
    missed: (error) => options.onError?.(error),
    gone(error) {
      gone = error;
      options.onError?.(error);
      void peer.close({ reason: error.message });
    },
  });
  return {
    stop() {
      running.stop();
      return gone;
    },
  };
}
