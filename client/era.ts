/**
 * Which era a server speaks (2026-07-28 basic/versioning: dual-era clients). The client
 * sends a modern `server/discover` first: a `DiscoverResult`, or an error only a modern
 * server sends (-32020, -32021, -32022; over HTTP a 400 with such a body), means modern;
 * any other error, an HTTP failure without a JSON-RPC body, or a timeout means legacy, and
 * the client falls back to `initialize`. The answer is cached per origin (HTTP) or per
 * transport, i.e. per server process (stdio).
 */
import { ErrorCode, HttpError, RpcError, type Implementation, type ServerCapabilities } from '../protocol/index.ts';
import { META, MODERN_VERSIONS } from './modern-envelope.ts';
import { monotonicNow } from '../protocol/correlation.ts';
import { positiveIntegerOption } from '../protocol/limits.ts';

/**
 * Which era a client speaks: found out (`auto`: discover first), pinned, or `legacy-first`
 * (initialize first; 2026-07-28 only when the server refuses it with a modern error), for
 * hosts that want the legacy era's sessions and resumption wherever a server offers them.
 */
export type EraChoice = 'auto' | 'legacy-first' | 'legacy' | 'modern';

/** What `server/discover` said (2026-07-28 server/discover: DiscoverResult). */
export interface Discovered {
  /** The 2026-07-28 (and later) versions the server speaks, its preferred first. */
  supportedVersions: string[];
  /** What the server offers, as it declared them. */
  capabilities: ServerCapabilities;
  /** The server's name and version, when it said. */
  serverInfo: Implementation | undefined;
  /** The server's instructions for the model, when it gave any. */
  instructions: string | undefined;
  /** How long the answer may be reused, in ms (0: not at all). */
  ttlMs: number;
  /** Whether the answer may be shared across users (`public`) or is this caller's (`private`); undefined when not said. */
  cacheScope: 'public' | 'private' | undefined;
}

/** The errors only a 2026-07-28 server answers with. */
const MODERN_CODES: ReadonlySet<number> = new Set([ErrorCode.HeaderMismatch, ErrorCode.MissingRequiredClientCapability, ErrorCode.UnsupportedProtocolVersion]);

/** The modern error in `error`, when it is one (a JSON-RPC error, or an HTTP failure carrying one). */
export function modernErrorOf(error: unknown): { code: number; data: unknown } | undefined {
  if (error instanceof RpcError && MODERN_CODES.has(error.code)) return { code: error.code, data: error.data };
  if (error instanceof HttpError && error.rpcError && MODERN_CODES.has(error.rpcError.code)) return { code: error.rpcError.code, data: error.rpcError.data };
  return undefined;
}

/** The newest modern version both sides speak, from the `supported` list of a -32022 or a DiscoverResult. */
export function commonModernVersion(supported: unknown): string | undefined {
  if (!Array.isArray(supported)) return undefined;
  return MODERN_VERSIONS.find((v) => supported.includes(v));
}

/** Read a DiscoverResult; undefined when `result` is not one. Older servers put `serverInfo` in the body. */
export function readDiscovered(result: unknown): Discovered | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Record<string, unknown>;
  if (!Array.isArray(r.supportedVersions)) return undefined;
  const meta = (r._meta ?? {}) as Record<string, unknown>;
  const info = (meta[META.serverInfo] ?? r.serverInfo) as Implementation | undefined;
  return {
    supportedVersions: r.supportedVersions.filter((v): v is string => typeof v === 'string'),
    capabilities: (typeof r.capabilities === 'object' && r.capabilities !== null ? r.capabilities : {}) as ServerCapabilities,
    serverInfo: typeof info === 'object' && info !== null ? info : undefined,
    instructions: typeof r.instructions === 'string' ? r.instructions : undefined,
    ttlMs: typeof r.ttlMs === 'number' && r.ttlMs > 0 ? r.ttlMs : 0,
    cacheScope: r.cacheScope === 'public' || r.cacheScope === 'private' ? r.cacheScope : undefined,
  };
}

/** One cached answer. */
export interface EraRecord {
  /** The era the server was found to speak. */
  era: 'legacy' | 'modern';
  /** The modern version to speak (modern only). */
  version?: string;
}

/** Where era answers are kept between clients of one process. */
export interface EraCache {
  /** The answer kept for `key` (a server's origin, or one stdio transport), unless expired. */
  get(key: string): EraRecord | undefined;
  /** Keep the era found for `key`. */
  set(key: string, record: EraRecord): void;
  /** Forget `key`: the next client finds the era again (a server that changed its mind). */
  delete(key: string): void;
}

/** The era cache's defaults: an answer is kept 10 minutes; 1 000 answers at most. */
const ERA_CACHE_TTL_MS = 600_000;
const ERA_CACHE_MAX_ENTRIES = 1_000;

/**
 * A cache whose entries expire `ttlMs` after they were set (default 10 minutes), holding at
 * most `maxEntries` (default 1 000; the oldest set goes first). Without the bound, each stdio
 * transport (its own key) left an entry no later client reads: a process that connected and
 * closed stdio servers grew by about 250 B per connection. Expiry goes by a monotonic clock: a
 * wall-clock step moves none.
 */
export function createEraCache(ttlMs = ERA_CACHE_TTL_MS, now: () => number = monotonicNow, maxEntries = ERA_CACHE_MAX_ENTRIES): EraCache {
  // A string ttlMs ("600000") was added as text and expired every entry at once; maxEntries 0 kept none.
  return eraCache(positiveIntegerOption('ttlMs', ttlMs, 0, 0), now, positiveIntegerOption('maxEntries', maxEntries, 0));
}

/**
 * {@link createEraCache} unchecked, for the process's own: the exported factory's checks stay
 * out of a bundle whose application never calls it (the stdio client's footprint, issue #20).
 */
function eraCache(ttlMs: number, now: () => number, maxEntries: number): EraCache {
  const entries = new Map<string, { record: EraRecord; until: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.record;
    },
    set(key, record) {
      entries.delete(key); // set again: now the newest
      entries.set(key, { record, until: now() + ttlMs });
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxEntries && entry.until > now()) break;
        entries.delete(oldest);
      }
    },
    delete: (key) => void entries.delete(key),
  };
}

/** The process-wide cache clients share unless given their own. */
export const sharedEraCache: EraCache = eraCache(ERA_CACHE_TTL_MS, monotonicNow, ERA_CACHE_MAX_ENTRIES);

/** The cache key of a transport: its origin over HTTP, the transport itself (one server process) otherwise. */
const transportKeys = new WeakMap<object, string>();
let nextTransportKey = 1;
export function eraCacheKey(transport: object): string {
  const url = (transport as { url?: unknown }).url;
  if (typeof url === 'string' || url instanceof URL) {
    try {
      return `http:${new URL(String(url)).origin}`;
    } catch {
      // not a URL: fall through to the per-transport key
    }
  }
  let key = transportKeys.get(transport);
  if (key === undefined) {
    key = `transport:${nextTransportKey++}`;
    transportKeys.set(transport, key);
  }
  return key;
}
