/**
 * The request headers of the 2026-07-28 Streamable HTTP transport (basic/transports/
 * streamable-http: standard headers): `MCP-Protocol-Version` equals the body's `_meta`
 * version, `Mcp-Method` equals `method`, `Mcp-Name` equals `params.name` / `params.uri`
 * where the method has one. Values that are not plain header-safe ASCII travel as
 * `=?base64?<base64 of the UTF-8>?=` (decoded by protocol/header-value.ts, the same rules as
 * `Mcp-Param-*`). A missing, malformed or mismatched header, or one holding a character a
 * header value may not hold, is -32020 HeaderMismatchError with HTTP 400 (server validation).
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import type { InboundRequest } from './exchange.ts';
import { decodeHeaderValue } from '../../protocol/header-value.ts';
import { quoteEchoed } from '../../protocol/jsonrpc.ts';
import { mcpNameParam, MODERN_META } from '../../protocol/modern-meta.ts';

function mismatch(message: string): RpcError {
  return new RpcError(ErrorCode.HeaderMismatch, `Header mismatch: ${message}`);
}

/** -32020 when a required header is missing or disagrees with the request body. */
export function checkModernHeaders(request: InboundRequest, method: string, params: Record<string, unknown>): RpcError | undefined {
  const meta = params._meta;
  const bodyVersion = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)[MODERN_META.protocolVersion] : undefined;
  const version = request.header('mcp-protocol-version');
  if (typeof bodyVersion === 'string') {
    if (version === null) return mismatch('the MCP-Protocol-Version header is required');
    if (version.trim() !== bodyVersion) return mismatch(`MCP-Protocol-Version ${quoteEchoed(version.trim())} differs from _meta version ${quoteEchoed(bodyVersion)}`);
  }
  const rawMethod = request.header('mcp-method');
  if (rawMethod === null) return mismatch('the Mcp-Method header is required');
  const headerMethod = decodeHeaderValue(rawMethod);
  if (headerMethod === undefined) return mismatch('Mcp-Method holds a character a header value may not hold, or is not valid =?base64?...?= text');
  if (headerMethod !== method) return mismatch(`Mcp-Method ${quoteEchoed(headerMethod)} differs from method ${quoteEchoed(method)}`);
  const nameParam = mcpNameParam(method);
  if (nameParam === undefined) return undefined;
  const rawName = request.header('mcp-name');
  if (rawName === null) return mismatch(`the Mcp-Name header is required for ${method}`);
  const name = decodeHeaderValue(rawName);
  if (name === undefined) return mismatch('Mcp-Name holds a character a header value may not hold, or is not valid =?base64?...?= text');
  if (name !== params[nameParam]) return mismatch(`Mcp-Name ${quoteEchoed(name)} differs from params.${nameParam} ${quoteEchoed(params[nameParam])}`);
  return undefined;
}
