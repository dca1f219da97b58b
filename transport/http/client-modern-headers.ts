/**
 * The request headers a 2026-07-28 client puts on each POST (basic/transports/streamable-http:
 * standard headers and custom headers): `MCP-Protocol-Version` equal to the body's `_meta`
 * version, `Mcp-Method`, `Mcp-Name` (the tool or prompt name, the resource URI), and one
 * `Mcp-Param-{Name}` per tool argument its input schema marks with `x-mcp-header`. A value
 * that is not plain header-safe ASCII, or that already looks like the sentinel, travels as
 * `=?base64?<base64 of its UTF-8>?=`.
 */

import { encodeHeaderValue } from '../../protocol/header-value.ts';
import { mcpNameParam, MODERN_META } from '../../protocol/modern-meta.ts';

/** One argument mirrored into a header: `Mcp-Param-{header}` carries `arguments[path...]`. */
export interface ParamHeader {
  /** The name after `Mcp-Param-`, as the schema declared it. */
  readonly header: string;
  /** The property names leading from `arguments` to the value. */
  readonly path: readonly string[];
}

/**
 * An integer's "decimal string representation" (streamable-http: value encoding). String()
 * writes 1e21 and beyond with an exponent ("1e+21"); its digits are spelled out here, the same
 * digits the JSON body shows, so -2.5e22 is "-25000000000000000000000".
 */
function decimalInteger(n: number): string {
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e\+(\d+)$/.exec(text);
  if (!m) return text;
  return m[1]! + (m[2]! + (m[3] ?? '')).padEnd(Number(m[4]) + 1, '0');
}

/** The text of an argument for its header, or undefined when it is null or absent (no header). */
function headerText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return decimalInteger(value);
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  return undefined; // a type the declaration does not allow: the server validates the arguments
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let current = args;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The protocol's headers for `message` (a request whose params carry the modern `_meta`);
 * `paramHeaders` tells which arguments of a tool are mirrored.
 */
export function modernRequestHeaders(
  message: { method: string; params?: Record<string, unknown> },
  paramHeaders: (tool: string) => readonly ParamHeader[] | undefined,
): Record<string, string> {
  const params = message.params ?? {};
  const meta = params._meta as Record<string, unknown> | undefined;
  const headers: Record<string, string> = { 'mcp-method': encodeHeaderValue(message.method) };
  const version = meta?.[MODERN_META.protocolVersion];
  if (typeof version === 'string') headers['mcp-protocol-version'] = version;
  const nameParam = mcpNameParam(message.method);
  const name = nameParam === undefined ? undefined : params[nameParam];
  if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
  if (message.method === 'tools/call' && typeof name === 'string') {
    for (const { header, path } of paramHeaders(name) ?? []) {
      const text = headerText(valueAt(params.arguments, path));
      if (text !== undefined) headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(text);
    }
  }
  return headers;
}
