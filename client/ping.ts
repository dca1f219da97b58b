/**
 * The client's periodic ping (2025-11-25 basic/utilities/ping), loaded with `import()` by the
 * first client given `ping`: the stdio-only client's start path stays as it was. A miss is
 * reported through `onError`; `maxMissed` in a row close the client, its pending calls
 * rejected with MCP_ERR_CLOSED naming why, and `onClose` is given that error.
 */
import { HttpError, type ClientSide, type McpError, type Peer } from '../protocol/index.ts';
import { startPinging } from '../protocol/ping.ts';

export { pingSettings } from '../protocol/ping.ts';
import type { ClientOptions } from './types.ts';

/** A running pinger; `stop()` ends it and returns the error that closed the session, if pings did. */
export interface Pinger {
  stop(): McpError | undefined;
}

/**
 * Ping `peer`'s server as `options.ping` says (checked by {@link pingSettings} before the client
 * connected). A 404 to a ping means the server forgot our session (2025-11-25
 * basic/transports, session management: a 404 to a request with a session id MUST make the
 * client start a new one): `expired` starts it, as a real call's 404 does, rather than
 * pinging the dead session on and on. One at a time.
 */
export function pingServer(peer: Peer<ClientSide>, options: ClientOptions, expired: (error: HttpError) => Promise<unknown>): Pinger {
  let gone: McpError | undefined;
  let renewing = false;
  const running = startPinging(peer, options.ping!, {
    peerName: 'server',
    timers: options.timers,
    missed: (error) => options.onError?.(error),
    gone(error) {
      gone = error;
      options.onError?.(error);
      void peer.close({ reason: error.message });
    },
    refused(error) {
      if (!(error instanceof HttpError) || error.status !== 404 || renewing) return;
      renewing = true;
      expired(error).catch((e: Error) => options.onError?.(e)).finally(() => { renewing = false; });
    },
  });
  return {
    stop() {
      running.stop();
      return gone;
    },
  };
}
