/**
 * The per-request envelope of the 2026-07-28 era (basic/lifecycle, basic/versioning): every
 * request names its protocol version and the client's capabilities in `params._meta`, and
 * the server infers nothing from earlier requests.
 */
import {
  ErrorCode, LOGGING_LEVELS, RpcError,
  type ClientCapabilities, type Implementation, type LoggingLevel, type ProgressToken,
} from '../../protocol/index.ts';
import { clipEchoed, isObject, quoteEchoed } from '../../protocol/jsonrpc.ts';
import { MODERN_META } from '../../protocol/modern-meta.ts';

/** 2026-07-28 basic/index, `_meta`: the reserved keys (one table for both ends). */
export const META = MODERN_META;

/** Versions of the stateless era this server speaks, newest first. */
export const MODERN_VERSIONS = ['2026-07-28'] as const;

/** What one modern request says about its client. */
export interface Envelope {
  readonly protocolVersion: string;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  /** 2026-07-28 server/utilities/logging: no log messages unless the request sets a level. */
  readonly logLevel: LoggingLevel | undefined;
  readonly progressToken: ProgressToken | undefined;
  readonly meta: Record<string, unknown>;
}


/** The version a message claims in `params._meta`, without checking anything else. */
export function claimedVersion(params: unknown): string | undefined {
  const meta = isObject(params) ? params._meta : undefined;
  const version = isObject(meta) ? meta[META.protocolVersion] : undefined;
  return typeof version === 'string' ? version : undefined;
}

/**
 * Read the envelope of `params`: -32602 when `_meta`, its version or its client
 * capabilities are missing or malformed; -32022 with `data { supported, requested }` when the
 * version is not one of `supported` (2026-07-28 basic/versioning). `advertised` is what the
 * error lists: every version the server speaks, legacy ones (served through `initialize`)
 * included, as `server/discover` lists them.
 */
export function readEnvelope(params: unknown, supported: readonly string[], advertised: readonly string[] = supported): Envelope {
  const meta = isObject(params) ? params._meta : undefined;
  if (!isObject(meta)) throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: a 2026-07-28 request needs params._meta with the protocol version and client capabilities');
  const version = meta[META.protocolVersion];
  if (typeof version !== 'string') throw new RpcError(ErrorCode.InvalidParams, `Invalid params: _meta["${META.protocolVersion}"] must be a string`);
  if (!supported.includes(version)) {
    // `requested` is cut too: no supported version is that long, and it must not echo megabytes.
    throw new RpcError(ErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version ${quoteEchoed(version)}`, { supported: [...advertised], requested: clipEchoed(version) });
  }
  const caps = meta[META.clientCapabilities];
  if (!isObject(caps)) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: _meta["${META.clientCapabilities}"] must be an object`);
  const info = meta[META.clientInfo];
  const level = meta[META.logLevel];
  // 2026-07-28 server/utilities/logging, error handling: an unrecognized logLevel SHOULD be -32602.
  if (level !== undefined && !(LOGGING_LEVELS as readonly unknown[]).includes(level)) {
    throw new RpcError(ErrorCode.InvalidParams, `Invalid params: unknown log level ${quoteEchoed(level)}`);
  }
  const token = meta.progressToken;
  return {
    protocolVersion: version,
    clientCapabilities: caps as ClientCapabilities,
    // clientInfo is self-reported and optional in practice: a malformed one is ignored, never fatal.
    clientInfo: isObject(info) && typeof info.name === 'string' ? info as unknown as Implementation : undefined,
    logLevel: level as LoggingLevel | undefined,
    progressToken: typeof token === 'string' || typeof token === 'number' ? token : undefined,
    meta,
  };
}
