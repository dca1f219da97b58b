/**
 * The check of a 2026-07-28 request's `Mcp-Param-{Name}` headers against the arguments they
 * mirror (basic/transports/streamable-http: custom headers, SEP-2243). Apart from
 * param-headers.ts, which tool registration loads in every server, so a server that never
 * serves the modern era does not load this.
 */
import { ErrorCode, RpcError } from '../../protocol/index.ts';
import { decodeHeaderValue } from '../../protocol/header-value.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import type { HeaderParam } from './param-headers.ts';

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
 * it mirrors. A null or absent argument needs no header (2026-07-28: the client omits it),
 * but a header sent for one is refused: it names a value the tool will not get.
 */
export function checkParamHeaders(params: readonly HeaderParam[], args: unknown, header: (name: string) => string | null): RpcError | undefined {
  for (const param of params) {
    const name = `Mcp-Param-${param.header}`;
    const value = valueAt(args, param.path);
    const raw = header(name.toLowerCase());
    const absent = value === undefined || value === null || typeof value === 'object';
    if (absent && raw === null) continue;
    if (raw === null) return mismatch(`the ${name} header is required: the arguments carry ${param.path.join('.')}`, name);
    const text = decodeHeaderValue(raw);
    // streamable-http "Server Behavior for Custom Headers": a recognized header with invalid
    // characters MUST be rejected, whether or not the body carries the value.
    if (text === undefined) return mismatch(`${name} holds a character a header value may not hold, or is not valid =?base64?...?= text`, name);
    // streamable-http "Server Validation": header values MUST match the body; a header for an
    // argument the body does not carry does not (an intermediary routed on a value the tool never sees).
    if (absent) return mismatch(`${name} ${JSON.stringify(text)} is sent, but arguments.${param.path.join('.')} is ${value === null ? 'null' : value === undefined ? 'absent' : 'not a primitive'}`, name);
    if (!matches(param, text, value)) return mismatch(`${name} ${JSON.stringify(text)} differs from arguments.${param.path.join('.')} ${JSON.stringify(value)}`, name);
  }
  return undefined;
}
