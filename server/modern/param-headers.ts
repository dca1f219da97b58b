/**
 * `x-mcp-header` tool properties and their `Mcp-Param-{Name}` headers (2026-07-28
 * basic/transports/streamable-http: custom headers, SEP-2243). A tool marks a property of its
 * `inputSchema` with `x-mcp-header: "Name"`; a client over HTTP mirrors that argument into
 * `Mcp-Param-Name` (as `=?base64?...?=` when the value is not header-safe) and the server
 * checks the header against the body before the tool runs, so intermediaries can route on it.
 * This file reads the declarations (tool registration needs it); the check of a request's
 * headers is in param-header-check.ts, loaded with the modern dispatcher.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { isObject } from '../../protocol/jsonrpc.ts';

/** One `x-mcp-header` declaration: the header's suffix and the argument it mirrors. */
export interface HeaderParam {
  /** The `{Name}` of `Mcp-Param-{Name}`, as declared. */
  readonly header: string;
  /** The property names from the arguments object down to the value. */
  readonly path: readonly string[];
  readonly type: 'string' | 'integer' | 'boolean';
}

const KEY = 'x-mcp-header';
/** RFC 9110 section 5.6.2: token = 1*tchar. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE: ReadonlySet<string> = new Set(['string', 'integer', 'boolean']);
/** Keywords whose values are data, not schemas. */
const DATA: ReadonlySet<string> = new Set(['const', 'default', 'enum', 'examples']);



function invalid(tool: string, where: string, why: string): McpError {
  return new McpError(LocalErrorCode.Validation, `tool ${tool}: invalid x-mcp-header at ${where}: ${why}`);
}

/**
 * The header declarations of a tool's input schema. Throws MCP_ERR_VALIDATION for a
 * declaration the spec forbids (clients drop such tools, so we refuse to register them): not
 * a non-empty token, not case-insensitively unique, on a type other than string / integer /
 * boolean, or reachable other than through a chain of `properties`.
 */
export function headerParams(tool: string, inputSchema: unknown): HeaderParam[] {
  const found: HeaderParam[] = [];
  const seen = new Map<string, string>();
  const walk = (node: unknown, path: string[], reachable: boolean, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, path, false, `${where}/${i}`));
      return;
    }
    if (!isObject(node)) return;
    if (KEY in node) {
      if (!reachable || path.length === 0) throw invalid(tool, where || '/', 'only allowed on a property reached through a chain of "properties" (not items, $ref, anyOf/oneOf/allOf/not, if/then/else)');
      const name = node[KEY];
      if (typeof name !== 'string' || !TOKEN.test(name)) throw invalid(tool, where, `${JSON.stringify(name)} is not a non-empty header token`);
      const type = node.type;
      if (typeof type !== 'string' || !PRIMITIVE.has(type)) throw invalid(tool, where, `the property's type must be string, integer or boolean, not ${JSON.stringify(type)}`);
      const prior = seen.get(name.toLowerCase());
      if (prior !== undefined) throw invalid(tool, where, `"${name}" is also declared as "${prior}" (names are case-insensitive)`);
      seen.set(name.toLowerCase(), name);
      found.push({ header: name, path: [...path], type: type as HeaderParam['type'] });
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === KEY || DATA.has(key)) continue;
      if (key === 'properties' && isObject(value)) {
        for (const [prop, schema] of Object.entries(value)) walk(schema, [...path, prop], reachable, `${where}/properties/${prop}`);
      } else {
        walk(value, path, false, `${where}/${key}`);
      }
    }
  };
  walk(inputSchema, [], true, '');
  return found;
}

const cache = new WeakMap<object, HeaderParam[]>();

/**
 * {@link headerParams} of a schema, computed once per schema object. Tool registration calls
 * it first (server/tools.ts), so the dispatcher's lookups hit: a miss on a tool's first call,
 * a path its optimized code had never run, deoptimized the whole dispatcher (the m-f row's
 * `stats` call, just before the timed window, cost a TurboFan recompile of `handle`).
 */
export function cachedHeaderParams(tool: string, inputSchema: object): readonly HeaderParam[] {
  let params = cache.get(inputSchema);
  if (!params) {
    params = headerParams(tool, inputSchema);
    cache.set(inputSchema, params);
  }
  return params;
}
