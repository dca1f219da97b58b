/**
 * The check of a 2026-07-28 request's `Mcp-Param-{Name}` headers against the arguments they
 * mirror (basic/transports/streamable-http: custom headers, SEP-2243). Apart from
 * param-headers.ts, which tool registration loads in every server, so a server that never
 * serves the modern era does not load this.
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import type { HeaderParam } from './param-headers.ts';

/** Canonical base64: groups of four, `=` padding only at the end (SEP-2243: reject bad padding). */
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SENTINEL = /^=\?base64\?(.*)\?=$/s;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header value as text: the payload of `=?base64?...?=` (canonical base64 of UTF-8),
 * otherwise the value itself, trimmed (RFC 9110 section 5.5: no surrounding whitespace);
 * undefined when the sentinel wraps something that is not canonical base64 of UTF-8.
 */
export function decodeParamValue(raw: string): string | undefined {
  const value = raw.trim();
  const m = SENTINEL.exec(value);
  if (!m) return value;
  const payload = m[1] ?? '';
  if (!CANONICAL_BASE64.test(payload)) return undefined;
  try {
    return utf8.decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
  } catch {
    return undefined; // not UTF-8: the caller reports a malformed header
  }
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let node = args;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node;
}

/** The header's text equals the body's value (integers numerically: SEP-2243). */
function matches(param: HeaderParam, text: string, value: unknown): boolean {
  if (typeof value === 'number' && param.type === 'integer') return /^-?\d+(\.0+)?$/.test(text) && Number(text) === value;
  if (typeof value === 'boolean') return text === String(value);
  return typeof value === 'string' && text === value;
}

function mismatch(message: string, header: string): RpcError {
  return new RpcError(ErrorCode.HeaderMismatch, `Header mismatch: ${message}`, { header });
}

/**
 * -32020 when an `Mcp-Param-*` header is missing, undecodable or differs from the argument
 * it mirrors. A null or absent argument needs no header (2026-07-28: the client omits it).
 */
export function checkParamHeaders(params: readonly HeaderParam[], args: unknown, header: (name: string) => string | null): RpcError | undefined {
  for (const param of params) {
    const name = `Mcp-Param-${param.header}`;
    const value = valueAt(args, param.path);
    if (value === undefined || value === null || typeof value === 'object') continue;
    const raw = header(name.toLowerCase());
    if (raw === null) return mismatch(`the ${name} header is required: the arguments carry ${param.path.join('.')}`, name);
    const text = decodeParamValue(raw);
    if (text === undefined) return mismatch(`${name} is not valid =?base64?...?= text`, name);
    if (!matches(param, text, value)) return mismatch(`${name} ${JSON.stringify(text)} differs from arguments.${param.path.join('.')} ${JSON.stringify(value)}`, name);
  }
  return undefined;
}
