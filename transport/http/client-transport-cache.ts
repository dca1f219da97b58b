/**
 * Which HTTP transport an endpoint speaks, remembered between transports of one process:
 * a server found to speak the 2024-11-05 HTTP+SSE transport is reached with a GET at once
 * next time, instead of a Streamable HTTP POST it refuses (2025-03-26+ basic/transports:
 * backwards compatibility). Entries are per endpoint URL, not per origin: one origin often
 * serves both transports at two paths (`/mcp` and `/sse`).
 */

import { monotonicNow } from '../../protocol/correlation.ts';

/** The transports an HTTP endpoint may speak. */
export type HttpTransportKind = 'streamable' | 'sse';

/** Where transport answers are kept (the `transportCache` option). */
export interface HttpTransportCache {
  get(url: string): HttpTransportKind | undefined;
  set(url: string, kind: HttpTransportKind): void;
  delete(url: string): void;
}

/** Default lifetime of an entry: 10 minutes, as the era cache. */
export const DEFAULT_TRANSPORT_CACHE_TTL_MS = 600_000;

/** A cache whose entries expire `ttlMs` after they were set (on a monotonic clock: a wall-clock step moves no expiry). */
export function createHttpTransportCache(ttlMs = DEFAULT_TRANSPORT_CACHE_TTL_MS, now: () => number = monotonicNow): HttpTransportCache {
  const entries = new Map<string, { kind: HttpTransportKind; until: number }>();
  return {
    get(url) {
      const entry = entries.get(url);
      if (entry === undefined) return undefined;
      if (entry.until > now()) return entry.kind;
      entries.delete(url);
      return undefined;
    },
    set: (url, kind) => void entries.set(url, { kind, until: now() + ttlMs }),
    delete: (url) => void entries.delete(url),
  };
}

/** The process-wide cache transports share unless given their own. */
export const sharedTransportCache: HttpTransportCache = createHttpTransportCache();
