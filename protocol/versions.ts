/**
 * Protocol versions and negotiation (2025-11-25 basic/lifecycle: version negotiation;
 * 2026-07-28 basic/versioning for eras).
 */

/** Versions we speak, newest first. 2024-11-05 is accepted from peers but never offered first. */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];

/** The version a client asks for and a server falls back to. */
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = '2025-11-25';

/** The modern, stateless era's version (served in a later milestone). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export type Era = 'legacy' | 'modern';

export function isSupportedVersion(version: unknown): version is ProtocolVersion {
  return typeof version === 'string' && (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version);
}

/**
 * Server side of negotiation: echo a supported version, else answer our latest
 * (2025-11-25 basic/lifecycle: "MUST respond with another protocol version it supports").
 */
export function negotiateVersion(requested: unknown): ProtocolVersion {
  return isSupportedVersion(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/** Which era a version belongs to: everything up to 2025-11-25 is legacy. */
export function eraOf(version: string): Era {
  return version >= MODERN_PROTOCOL_VERSION ? 'modern' : 'legacy';
}

/** Dates compare lexically; true when `version` is `since` or newer. */
export function versionAtLeast(version: string, since: string): boolean {
  return version >= since;
}

/** JSON-RPC batches exist only in 2025-03-26 (added there, removed in 2025-06-18). */
export function allowsBatches(version: string | undefined): boolean {
  return version === '2025-03-26';
}
