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
import { loadOnce } from '../protocol/load-once.ts';
import type { ModernHelpers } from './modern-features.ts';

/** The wording of a refused era (modern-versions-refused.ts): loaded by a connection that fails on versions only. */
const versionsRefused = loadOnce(() => import('./modern-versions-refused.ts'));

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
    throw (await versionsRefused.load()).noSharedVersion(outcome.supportedVersions, choice === 'modern');
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
    if (choice === 'modern') throw (await versionsRefused.load()).pinnedError(error);
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
