/**
 * Single-use markers on Redis (`SET NX PX`): the first instance to claim an id wins, every
 * later claim on any instance loses until the marker expires. For the nonces of MRTR
 * `requestState` (2026-07-28: a state is accepted once) and DPoP proof `jti`s (RFC 9449
 * section 11.1: a proof is used once).
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { RedisLink } from './connection.ts';
import { redisKeys } from './keys.ts';

/** Claims of single-use ids, shared by every instance. */
export interface SingleUseMarkers {
  /**
   * Claim `id` in `scope` (e.g. `mrtr`, `dpop`) until `expiresAt` (epoch ms): true the first
   * time, false when it was claimed before and has not expired. An expiry already past
   * claims nothing and answers false.
   */
  claim(scope: string, id: string, expiresAt: number): Promise<boolean>;
}

/** Options of {@link createRedisMarkers}. */
export interface RedisMarkersOptions {
  prefix?: string;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** Single-use markers on `link`. */
export function createRedisMarkers(link: RedisLink, options: RedisMarkersOptions = {}): SingleUseMarkers {
  const keys = redisKeys(options.prefix);
  const now = options.now ?? Date.now;
  return {
    async claim(scope, id, expiresAt) {
      if (!/^[\w.-]{1,64}$/.test(scope)) throw new McpError(LocalErrorCode.Validation, `a marker scope is 1-64 letters, digits, '_', '.', '-', got ${JSON.stringify(scope)}`);
      const ttl = Math.ceil(expiresAt - now());
      if (!(ttl > 0)) return false;
      return await link.send(['SET', keys.marker(scope, id), '1', 'NX', 'PX', ttl]) !== null;
    },
  };
}
