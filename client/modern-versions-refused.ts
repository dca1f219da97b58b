/**
 * Why a connection pinned to the 2026-07-28 era (`era: 'modern'`), or one that shares no version
 * with its server, fails (2026-07-28 basic/versioning: no shared version, no connection). Loaded
 * by modern-connect.ts on such a failure only: a client that connects carries none of its wording.
 */
import { isSupportedVersion, LocalErrorCode, McpError } from '../protocol/index.ts';
import { modernErrorOf } from './era.ts';
import { MODERN_VERSIONS } from './modern-envelope.ts';
import { isRefusal } from './modern-connect.ts';

/** A server that lists only versions this client does not speak, in its DiscoverResult. */
export function noSharedVersion(supportedVersions: string[], pinned: boolean): McpError {
  const what = `the server speaks ${supportedVersions.join(', ') || 'no version'}`;
  if (pinned) return pinnedRefusal(what, supportedVersions.some(isSupportedVersion));
  return new McpError(LocalErrorCode.Version, `${what}; this client speaks 2026-07-28 and 2025-11-25 .. 2024-11-05`);
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
export function pinnedError(error: unknown): unknown {
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
