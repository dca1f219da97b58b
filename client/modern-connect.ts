/**
 * Connecting in the era the server speaks (2026-07-28 basic/versioning: dual-era clients):
 * `server/discover` first, then either the modern state or 'legacy' (the caller runs
 * `initialize`). See era.ts for the rules and the cache.
 */
import {
  HttpError, isSupportedVersion, LocalErrorCode, McpError, RpcError,
  type ClientSide, type Implementation, type Peer, type ServerCapabilities,
} from '../protocol/index.ts';
import { commonModernVersion, modernErrorOf, type Discovered, type EraCache } from './era.ts';
import { MODERN_VERSIONS } from './modern-envelope.ts';
import type { ModernHelpers } from './modern-features.ts';

/** What a modern connection starts from. */
export interface EraState {
  capabilities: ServerCapabilities;
  serverInfo: Implementation | undefined;
  instructions: string | undefined;
  discovered: Discovered;
}

/** What {@link connectEra} needs. */
export interface ConnectEraInput {
  choice: 'auto' | 'legacy' | 'modern';
  modern: Pick<ModernHelpers, 'discover'>;
  peer: Peer<ClientSide>;
  cache: EraCache | undefined;
  key: string;
  /** How long an `auto` probe waits for `server/discover` before deciding legacy. */
  discoverTimeoutMs: number;
  connectOptions: { signal?: AbortSignal; timeoutMs?: number };
  setVersion(version: string): void;
}

/** Find the era: the modern state, or 'legacy'. */
export async function connectEra(input: ConnectEraInput): Promise<EraState | 'legacy'> {
  const { choice, cache, key } = input;
  if (choice === 'legacy') return 'legacy';
  const cached = cache?.get(key);
  if (choice === 'auto' && cached?.era === 'legacy') return 'legacy';
  if (cached?.version) input.setVersion(cached.version);
  const outcome = await probe(input);
  if (outcome === 'legacy') {
    cache?.set(key, { era: 'legacy' });
    return 'legacy';
  }
  const version = commonModernVersion(outcome.supportedVersions);
  if (!version) {
    // A server that lists only legacy versions in its DiscoverResult: initialize, unless pinned.
    if (choice === 'auto' && outcome.supportedVersions.some(isSupportedVersion)) {
      cache?.set(key, { era: 'legacy' });
      return 'legacy';
    }
    if (choice === 'modern') throw pinnedRefusal(`the server speaks ${outcome.supportedVersions.join(', ') || 'no version'}`, outcome.supportedVersions.some(isSupportedVersion));
    throw new McpError(LocalErrorCode.Version, `the server speaks ${outcome.supportedVersions.join(', ') || 'no version'}; this client speaks 2026-07-28 and 2025-11-25 .. 2024-11-05`);
  }
  input.setVersion(version);
  cache?.set(key, { era: 'modern', version });
  return { capabilities: outcome.capabilities, serverInfo: outcome.serverInfo, instructions: outcome.instructions, discovered: outcome };
}

async function probe(input: ConnectEraInput): Promise<Discovered | 'legacy'> {
  const { choice, connectOptions, peer } = input;
  const timeoutMs = choice === 'auto' ? Math.min(input.discoverTimeoutMs, connectOptions.timeoutMs ?? Infinity) : connectOptions.timeoutMs;
  try {
    return await input.modern.discover({
      ...(connectOptions.signal ? { signal: connectOptions.signal } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  } catch (error) {
    if (peer.closed || connectOptions.signal?.aborted) throw error;
    if (choice === 'modern') throw pinnedError(error);
    if (!(error instanceof RpcError) && !(error instanceof McpError)) throw error; // a fault of ours, not an answer
    const modern = modernErrorOf(error);
    if (!modern) return 'legacy'; // any other error, or a timeout (do not key on one code)
    const supported = (modern.data as { supported?: unknown } | undefined)?.supported;
    // A modern server that shares no modern version with us but still speaks a legacy one.
    if (Array.isArray(supported) && supported.some(isSupportedVersion)) return 'legacy';
    throw new McpError(LocalErrorCode.Version, `the server speaks 2026-07-28 but refused server/discover: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The server answered and said no: a JSON-RPC error, or an HTTP 4xx. Not a timeout, a
 * closed connection or a fault of ours, which say nothing about the server's era.
 */
export function isRefusal(error: unknown): boolean {
  return error instanceof RpcError || (error instanceof HttpError && error.status >= 400 && error.status < 500);
}

/**
 * A client pinned to the modern era (`era: 'modern'`) against a server that speaks only other
 * versions: what it speaks, or its own answer to `server/discover`, and the way out when it
 * speaks an older one. 2026-07-28 basic/versioning: no shared version, no connection.
 */
function pinnedRefusal(what: string, older: boolean, cause?: unknown): McpError {
  const way = older ? ": connect with era 'auto' (or 'legacy-first') to speak the older version with it" : '';
  return new McpError(LocalErrorCode.Version, `${what}; this client is pinned to ${MODERN_VERSIONS.join(', ')} (era 'modern')${way}`, cause === undefined ? undefined : { cause });
}

/**
 * The pinned client's error for a refused `server/discover`: a -32022 names the versions the
 * server speaks; another modern error (-32020, -32021) is a modern server's answer, kept as
 * it is; any other refusal is how a server without the modern era answers.
 */
function pinnedError(error: unknown): unknown {
  if (!isRefusal(error)) return error; // a timeout or a broken connection says nothing of versions
  const modern = modernErrorOf(error);
  const supported = (modern?.data as { supported?: unknown } | undefined)?.supported;
  if (Array.isArray(supported)) {
    const named = supported.filter((v): v is string => typeof v === 'string');
    return pinnedRefusal(`the server speaks ${named.join(', ') || 'no version'}`, named.some(isSupportedVersion), error);
  }
  if (modern) return error;
  return pinnedRefusal(`the server refused server/discover (${(error as Error).message}), as a server without ${MODERN_VERSIONS.join(', ')} does`, true, error);
}
