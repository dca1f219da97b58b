/**
 * Single-use markers on Redis (`SET NX PX`): the first instance to claim an id wins, every
 * later claim on any instance loses until the marker expires. For the nonces of MRTR
 * `requestState` (2026-07-28: a state is accepted once) and DPoP proof `jti`s (RFC 9449
 * section 11.1: a proof is used once).
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { RedisLink } from './connection.ts';
import { redisKeys } from './keys.ts';
import type { SingleUseMarkers } from '../single-use-markers.ts';

export type { SingleUseMarkers } from '../single-use-markers.ts';

/** Options of {@link createRedisMarkers}. */
export interface RedisMarkersOptions {
  prefix?: string;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** Single-use markers on `link`, shared by every instance. */
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
