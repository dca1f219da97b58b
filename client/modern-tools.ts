/**
 * The `x-mcp-header` marks of a tool's input schema (2026-07-28 basic/transports/
 * streamable-http: custom headers). A mark is allowed only on a string, integer or boolean
 * property reached purely through `properties` chains; its value is a non-empty HTTP token,
 * unique without regard to case. A client MUST drop a tool whose marks break these rules.
 */
import type { Tool } from '../protocol/index.ts';
import { isObject } from '../protocol/jsonrpc.ts';
import type { ParamHeader } from '../transport/http/client-modern-headers.ts';

const MARK = 'x-mcp-header';
/** RFC 9110 section 5.6.2: token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(['string', 'integer', 'boolean']);
/** Keywords whose values are instance data, not schemas: a key there is no mark (as server/modern/param-headers.ts reads them). */
const DATA: ReadonlySet<string> = new Set(['const', 'default', 'enum', 'examples']);

/** The headers a tool's arguments are mirrored into, or why the tool must be dropped. */
export type HeaderMarks = { headers: ParamHeader[] } | { problem: string };

/** Read the marks of `tool`'s input schema. */
export function headerMarksOf(tool: Tool): HeaderMarks {
  const headers: ParamHeader[] = [];
  const seen = new Set<string>();
  let problem: string | undefined;

  /** `path` is set when `schema` is a property reached through `properties` chains only. */
  const walk = (schema: unknown, path: string[] | undefined): void => {
    if (problem) return;
    if (Array.isArray(schema)) {
      for (const item of schema) walk(item, undefined);
      return;
    }
    if (!isObject(schema)) return;
    for (const [key, value] of Object.entries(schema)) {
      if (DATA.has(key)) continue;
      if (key === MARK) {
        problem = markProblem(value, schema.type, path, seen);
        if (problem) return;
        headers.push({ header: value as string, path: path! });
        seen.add((value as string).toLowerCase());
      } else if (key === 'properties' && isObject(value)) {
        for (const [name, child] of Object.entries(value)) walk(child, path ? [...path, name] : undefined);
      } else walk(value, undefined);
    }
  };
  const input = tool.inputSchema as unknown;
  if (isObject(input)) {
    for (const [key, value] of Object.entries(input)) {
      if (DATA.has(key)) continue;
      if (key === 'properties' && isObject(value)) {
        for (const [name, child] of Object.entries(value)) walk(child, [name]);
      } else walk(key === MARK ? { [MARK]: value } : value, undefined);
    }
  }
  return problem ? { problem } : { headers };
}

function markProblem(value: unknown, type: unknown, path: string[] | undefined, seen: Set<string>): string | undefined {
  if (!path) return `"${MARK}" is only allowed on a property reached through "properties"`;
  const where = `property ${JSON.stringify(path.join('.'))}`;
  if (typeof value !== 'string' || value === '') return `${where} has an empty or non-string "${MARK}"`;
  if (!TOKEN.test(value)) return `${where} has "${MARK}" ${JSON.stringify(value)}, which is not an HTTP token`;
  if (seen.has(value.toLowerCase())) return `${where} repeats "${MARK}" ${JSON.stringify(value)} (names are compared without case)`;
  if (typeof type !== 'string' || !PRIMITIVE.has(type)) return `${where} marks a ${JSON.stringify(type)} value; only string, integer and boolean may be headers`;
  return undefined;
}
