/**
 * The DPoP `jti` replay cache (RFC 9449 §11.1: a proof is used once within its acceptance
 * window). A narrow interface so several instances can share one (e.g. Redis `SET NX PX`).
 */

/** Remembers keys for a while; `add` is atomic. */
export interface ReplayCache {
  /** Record `key` for `ttlMs`; resolves false when it was already there (a replay). */
  add(key: string, ttlMs: number): Promise<boolean>;
}

/** Options of {@link createMemoryReplayCache}. */
export interface MemoryReplayCacheOptions {
  /** Keys kept at most; when full, expired keys go first, then the oldest. Default 100 000. */
  maxEntries?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** An in-process {@link ReplayCache}: one server instance. */
export function createMemoryReplayCache(options: MemoryReplayCacheOptions = {}): ReplayCache {
  const max = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  // Insertion order is expiry order (one TTL per server), so the first keys expire first.
  const expiries = new Map<string, number>();
  const prune = (t: number) => {
    for (const [key, expiry] of expiries) {
      if (expiry > t && expiries.size < max) break;
      expiries.delete(key);
    }
  };
  return {
    async add(key, ttlMs) {
      const t = now();
      const seen = expiries.get(key);
      if (seen !== undefined && seen > t) return false;
      expiries.delete(key);
      if (expiries.size >= max) prune(t);
      expiries.set(key, t + ttlMs);
      return true;
    },
  };
}
