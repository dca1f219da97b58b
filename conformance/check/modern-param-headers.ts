/**
 * The server's side of `Mcp-Param-{Name}` headers (2026-07-28 basic/transports/streamable-http:
 * server behavior for custom headers, server validation). A tool whose inputSchema marks a
 * property with `x-mcp-header` (top-level, or nested through `properties`) is called twice with its argument in the body: once with the
 * header naming another value, once without the header. "Any server that processes the message
 * body MUST validate that encoded header values ... match the corresponding values in the
 * request body", and "Client omits header but value is in body: Server MUST reject the request",
 * both with 400 and -32020 (HeaderMismatch). A server that skips the check lets a gateway route
 * on one value while the tool runs on another.
 */
import type { Tool } from 'mcpwire/protocol';
import type { FindingRecorder } from './findings.ts';
import { validArguments } from './args.ts';
import { isDestructive } from './driver.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tools/call sent raw: the HTTP status, the JSON-RPC error code if any, the exchange in words. */
export interface ParamHeaderReply {
  readonly reply: { readonly status: number };
  readonly error: { code?: unknown } | undefined;
  readonly result: Obj | undefined;
  readonly exchange: string;
}

/** Send a tools/call with `headers` added to the request's own (a header set to undefined is left out). */
export type ParamHeaderSend = (params: Obj, headers: Record<string, string | undefined>) => Promise<ParamHeaderReply>;

/** Most tools the probe calls (two requests each). */
const MAX_TOOLS = 5;

/** Deepest chain of `properties` keys the probe follows to a mark. */
const MAX_DEPTH = 8;

/**
 * The first property of `schema` marked `x-mcp-header` with a primitive value in `args`, reached
 * through `properties` keys only (2026-07-28 streamable-http, schema extension: "Nested object
 * properties are permitted as long as every step in the chain is a properties key").
 */
function markedArgument(schema: unknown, args: unknown, path: readonly string[] = []): { header: string; property: string; value: string | number | boolean } | undefined {
  const props = isObj(schema) && isObj(schema.properties) ? schema.properties : {};
  if (!isObj(args) || path.length >= MAX_DEPTH) return undefined;
  for (const [property, sub] of Object.entries(props)) {
    if (!isObj(sub)) continue;
    const value = args[property];
    if (typeof sub['x-mcp-header'] === 'string' && (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value)))) {
      return { header: sub['x-mcp-header'], property: [...path, property].join('.'), value };
    }
    const nested = markedArgument(sub, value, [...path, property]);
    if (nested) return nested;
  }
  return undefined;
}

/** A header value (visible ASCII) that differs from `value` as its type compares. */
function otherValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return String(!value);
  if (typeof value === 'number') return String(value + 1);
  return value === 'mcpwire-check-other' ? 'mcpwire-check-another' : 'mcpwire-check-other';
}

/** Record `modern.param-headers` for the tools that mark an argument with `x-mcp-header`. */
export async function checkParamHeaders(rec: FindingRecorder, tools: readonly Tool[], allowDestructive: boolean, send: ParamHeaderSend): Promise<void> {
  if (!rec.wants('modern.param-headers')) return;
  let probed = 0;
  for (const tool of tools) {
    if (probed >= MAX_TOOLS) break;
    if (!isObj(tool) || typeof tool.name !== 'string' || (!allowDestructive && isDestructive(tool))) continue;
    const args = validArguments(tool.inputSchema);
    const marked = markedArgument(tool.inputSchema, args);
    if (!marked || !isObj(args)) continue;
    probed++;
    const name = `Mcp-Param-${marked.header}`;
    const body = `"${marked.property}": ${JSON.stringify(marked.value)} in the arguments`;
    const cases: Array<[string, Record<string, string | undefined>]> = [
      [`${name}: ${otherValue(marked.value)} with ${body}`, { [name.toLowerCase()]: otherValue(marked.value) }],
      [`no ${name} header with ${body}`, {}],
    ];
    for (const [what, headers] of cases) {
      const sent = await send({ name: tool.name, arguments: args }, headers);
      const code = sent.error?.code;
      const got = `HTTP ${sent.reply.status}${code !== undefined ? ` with ${String(code)}` : sent.result ? ' with a result' : ''}`;
      if (sent.reply.status === 400 && code === -32020) rec.pass('modern.param-headers', `tools/call of ${tool.name}, ${what}: ${got}`, 'modern');
      else rec.fail('modern.param-headers', `tools/call of ${tool.name}, ${what}: expected HTTP 400 with -32020 (HeaderMismatch), got ${got}`, sent.exchange, 'modern');
    }
  }
  if (probed === 0) rec.skip('modern.param-headers', 'no tool the check may call marks an argument with x-mcp-header', 'modern');
}
