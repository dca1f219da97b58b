/**
 * The contract of single-use markers, whatever keeps them: the nonces of 2026-07-28
 * `requestState` (basic/patterns/mrtr: a server that needs a state used once MUST enforce it
 * itself) and DPoP proof `jti`s (RFC 9449 section 11.1). Kept in one file (file-markers.ts,
 * one process and its restarts) or in Redis (redis/markers.ts, every instance); the shape of
 * `inputRounds.nonces`.
 */

/** Claims of single-use ids. */
export interface SingleUseMarkers {
  /**
   * Claim `id` in `scope` (e.g. `mrtr`, `dpop`) until `expiresAt` (epoch ms): true the first
   * time, false when it was claimed before and has not expired. An expiry already past
   * claims nothing and answers false.
   */
  claim(scope: string, id: string, expiresAt: number): Promise<boolean>;
}
