/**
 * The request headers of the 2026-07-28 Streamable HTTP transport (basic/transports/
 * streamable-http: standard headers): `MCP-Protocol-Version` equals the body's `_meta`
 * version, `Mcp-Method` equals `method`, `Mcp-Name` equals `params.name` / `params.uri`
 * where the method has one. Values that are not plain header-safe ASCII travel as
 * `=?base64?<base64 of the UTF-8>?=`. A missing, malformed or mismatched header is
 * -32020 HeaderMismatchError with HTTP 400.
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import type { InboundRequest } from './exchange.ts';
import { mcpNameParam, MODERN_META } from '../../protocol/modern-meta.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The value of an `=?base64?...?=` header, or the header as sent; undefined when undecodable. */
export function decodeHeaderValue(raw: string): string | undefined {
  const value = raw.trim();
  const m = /^=\?base64\?(.*)\?=$/i.exec(value);
  if (!m) return value;
  const text = (m[1] ?? '').replace(/=+$/, '');
  if (!BASE64.test(text) || text.length % 4 === 1) return undefined;
  try {
    const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
    return decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined; // not base64, or not UTF-8: the caller reports a malformed header
  }
}

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
    if (version.trim() !== bodyVersion) return mismatch(`MCP-Protocol-Version ${JSON.stringify(version.trim())} differs from _meta version ${JSON.stringify(bodyVersion)}`);
  }
  const rawMethod = request.header('mcp-method');
  if (rawMethod === null) return mismatch('the Mcp-Method header is required');
  const headerMethod = decodeHeaderValue(rawMethod);
  if (headerMethod === undefined) return mismatch('Mcp-Method is not valid =?base64?...?= text');
  if (headerMethod !== method) return mismatch(`Mcp-Method ${JSON.stringify(headerMethod)} differs from method ${JSON.stringify(method)}`);
  const nameParam = mcpNameParam(method);
  if (nameParam === undefined) return undefined;
  const rawName = request.header('mcp-name');
  if (rawName === null) return mismatch(`the Mcp-Name header is required for ${method}`);
  const name = decodeHeaderValue(rawName);
  if (name === undefined) return mismatch('Mcp-Name is not valid =?base64?...?= text');
  if (name !== params[nameParam]) return mismatch(`Mcp-Name ${JSON.stringify(name)} differs from params.${nameParam} ${JSON.stringify(params[nameParam])}`);
  return undefined;
}
