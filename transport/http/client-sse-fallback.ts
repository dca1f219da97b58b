/**
 * Starting a session over the HTTP transport the server speaks: Streamable HTTP, or the
 * 2024-11-05 HTTP+SSE transport (client-sse-legacy.ts) when pinned, remembered for the URL,
 * or when the POST of `initialize` is refused with 400, 404 or 405 and a GET of the URL
 * yields an `endpoint` event (2025-03-26+ basic/transports: backwards compatibility).
 */
import { ErrorCode, HttpError } from '../../protocol/index.ts';
import { asError } from '../../protocol/errors.ts';
import type { SseLink } from './client-sse-legacy.ts';
import type { HttpTransportCache } from './client-transport-cache.ts';

/** What {@link sendInitialize} needs from the transport. */
export interface InitializeDeps {
  readonly mode: 'fallback' | 'off' | 'only';
  readonly cache: HttpTransportCache | undefined;
  readonly url: string;
  /** The body (initialize, alone or in a batch) as sent. */
  readonly body: string;
  /** POST it over Streamable HTTP. */
  post(): Promise<void>;
  /** Open an HTTP+SSE session (the transport speaks HTTP+SSE from then on). */
  openSse(): Promise<SseLink>;
}

/**
 * Refuse `legacySse` and `sseEndpointTimeoutMs` values that mean nothing, with the RangeError
 * every other option of the transport throws (they were McpError MCP_ERR_VALIDATION).
 */
export function checkSseOptions(options: { legacySse?: unknown; sseEndpointTimeoutMs?: unknown }): void {
  const { legacySse, sseEndpointTimeoutMs: ms } = options;
  if (legacySse !== undefined && legacySse !== 'fallback' && legacySse !== 'off' && legacySse !== 'only') {
    throw new RangeError(`legacySse must be 'fallback', 'off' or 'only', not ${JSON.stringify(legacySse) ?? String(legacySse)}`);
  }
  if (ms !== undefined && !(typeof ms === 'number' && ms > 0 && Number.isFinite(ms))) {
    throw new RangeError(`sseEndpointTimeoutMs must be a positive number of ms, not ${JSON.stringify(ms) ?? String(ms)}`);
  }
}

/** Codes only a 2026-07-28 server answers with: a refusal carrying one is no old server's. */
const MODERN_CODES: ReadonlySet<number> = new Set([ErrorCode.HeaderMismatch, ErrorCode.MissingRequiredClientCapability, ErrorCode.UnsupportedProtocolVersion]);

/** True when `error` is the refusal an HTTP+SSE-only server gives a Streamable HTTP POST. */
export function refusedAsOldServer(error: unknown): error is HttpError {
  if (!(error instanceof HttpError) || ![400, 404, 405].includes(error.status)) return false;
  // 2026-07-28 basic/versioning: a 400 with a modern error body is a modern-only server.
  return !(error.rpcError && MODERN_CODES.has(error.rpcError.code));
}

/** Send `initialize` over the transport the server speaks (see the module comment). */
export async function sendInitialize(deps: InitializeDeps): Promise<void> {
  const { mode, cache, url, body } = deps;
  if (mode === 'only') return (await deps.openSse()).post(body);
  if (mode === 'fallback' && cache?.get(url) === 'sse') {
    let link: SseLink | undefined;
    try {
      link = await deps.openSse();
    } catch {
      // A stale entry: the server no longer speaks HTTP+SSE. Forget it; Streamable HTTP decides.
      cache.delete(url);
    }
    if (link) return link.post(body);
  }
  try {
    await deps.post();
  } catch (error) {
    if (mode === 'off' || !refusedAsOldServer(error)) throw error;
    let link: SseLink;
    try {
      link = await deps.openSse();
    } catch (sseError) {
      // Not an HTTP+SSE server either: the POST's refusal (its status and body) is the answer.
      throw new HttpError(error.status, `${error.message}; the 2024-11-05 HTTP+SSE fallback failed too: ${asError(sseError).message}`, {
        cause: sseError, ...(error.rpcError ? { rpcError: error.rpcError } : {}),
      });
    }
    cache?.set(url, 'sse');
    await link.post(body);
  }
}
