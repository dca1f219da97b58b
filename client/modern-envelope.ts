/**
 * The envelope every 2026-07-28 request carries (basic/lifecycle, basic/versioning): its
 * protocol version, the client's capabilities and its identity in `params._meta`, and the log
 * level it wants (server/utilities/logging: no logs unless the request asks).
 */
import type { ClientCapabilities, Implementation, LoggingLevel } from '../protocol/index.ts';
import { MODERN_META } from '../protocol/modern-meta.ts';

/** 2026-07-28 basic/index, `_meta`: the reserved keys (one table for both ends). */
export const META = MODERN_META;

/** Versions of the stateless era this client speaks, newest first. */
export const MODERN_VERSIONS: readonly string[] = ['2026-07-28'];

/**
 * The 2025-11-25 capabilities a client declares, in the 2026-07-28 shape: `roots` has no
 * `listChanged` any more and `tasks` moved to an extension (basic/lifecycle: capabilities).
 */
export function modernCapabilities(caps: ClientCapabilities): Record<string, unknown> {
  const { tasks: _tasks, roots, ...rest } = caps as ClientCapabilities & { tasks?: unknown };
  return roots ? { ...rest, roots: {} } : { ...rest };
}

/** What the envelope is made of. */
export interface EnvelopeParts {
  version: string;
  capabilities: Record<string, unknown>;
  clientInfo: Implementation;
  logLevel?: LoggingLevel | undefined;
}

/** `params` with the envelope added to its `_meta` (keys of the caller's own `_meta` kept). */
export function withEnvelope(params: Record<string, unknown> | undefined, parts: EnvelopeParts): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    ...(params?._meta as Record<string, unknown> | undefined),
    [META.protocolVersion]: parts.version,
    [META.clientCapabilities]: parts.capabilities,
    [META.clientInfo]: parts.clientInfo,
  };
  if (parts.logLevel !== undefined) meta[META.logLevel] = parts.logLevel;
  return { ...params, _meta: meta };
}
