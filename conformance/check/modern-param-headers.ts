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
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

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

/** The probe's text: plain ASCII but for one character (U+00E9) that a header may carry only base64-encoded. */
const NON_ASCII_TEXT = 'mcpwire-check-\u00e9';

/**
 * The path of the first property marked `x-mcp-header` that takes free text: type string with no
 * enum, const, pattern or format to refuse the probe's text (its length within maxLength).
 */
function freeTextMark(schema: unknown, path: readonly string[] = []): { header: string; path: readonly string[] } | undefined {
  if (!isObj(schema) || !isObj(schema.properties) || path.length >= MAX_DEPTH) return undefined;
  for (const [property, sub] of Object.entries(schema.properties)) {
    if (!isObj(sub)) continue;
    const free = sub.type === 'string' && !('enum' in sub) && !('const' in sub) && !('pattern' in sub) && !('format' in sub)
      && (typeof sub.maxLength !== 'number' || sub.maxLength >= NON_ASCII_TEXT.length);
    if (typeof sub['x-mcp-header'] === 'string' && free) return { header: sub['x-mcp-header'], path: [...path, property] };
    const nested = freeTextMark(sub, [...path, property]);
    if (nested) return nested;
  }
  return undefined;
}

/** `args` with `value` set at `path` (objects made on the way), a copy. */
function withValueAt(args: Obj, path: readonly string[], value: string): Obj {
  const [head, ...rest] = path;
  if (head === undefined) return args;
  return { ...args, [head]: rest.length === 0 ? value : withValueAt(isObj(args[head]) ? args[head] : {}, rest, value) };
}

/**
 * `modern.param-header-chars` (2026-07-28 streamable-http, server behavior for custom headers:
 * "Servers MUST reject requests with a recognized Mcp-Param-{Name} header that contains invalid
 * characters"; value encoding: what is not visible ASCII, space or tab travels as
 * `=?base64?...?=`). A marked free-text argument is sent as `mcpwire-check-é` in the body and
 * raw in the header (the byte 0xE9): the header matches the body only for a server that reads
 * raw header bytes as text, which is what the rule forbids. A marked enum, id or pattern cannot
 * carry that text (a strict server would refuse it as a bad argument): then the probe keeps a
 * valid value in the body and sends it in the header with the raw byte appended, which a server
 * must refuse too, and which one that skips a header it cannot read serves.
 */
export async function checkParamHeaderChars(rec: FindingRecorder, tools: readonly Tool[], allowDestructive: boolean, send: ParamHeaderSend): Promise<void> {
  if (!rec.wants('modern.param-header-chars') && !rec.wants('modern.param-header-base64')) return;
  const callable = tools.filter((tool) => isObj(tool) && typeof tool.name === 'string' && (allowDestructive || !isDestructive(tool)));
  for (const tool of callable) {
    const mark = freeTextMark(tool.inputSchema);
    const base = validArguments(tool.inputSchema);
    if (!mark || !isObj(base)) continue;
    const name = `Mcp-Param-${mark.header}`;
    const args = withValueAt(base, mark.path, NON_ASCII_TEXT);
    await checkChars(rec, tool.name, `"${mark.path.join('.')}": "${NON_ASCII_TEXT}" and ${name} carrying it raw (the byte 0xE9, not =?base64?...?=)`, { name: tool.name, arguments: args }, { [name.toLowerCase()]: NON_ASCII_TEXT }, send);
    await checkBase64(rec, tool.name, name, args, mark.path.join('.'), NON_ASCII_TEXT, send);
    return; // one probe: the rule is the server's, not the tool's
  }
  // Session 32: no free-text mark; an enum (or id, or integer) mark still carries the probe.
  for (const tool of callable) {
    const args = validArguments(tool.inputSchema);
    const marked = markedArgument(tool.inputSchema, args);
    if (!marked || !isObj(args)) continue;
    const name = `Mcp-Param-${marked.header}`;
    const raw = `${String(marked.value)}\u00e9`;
    await checkChars(rec, tool.name, `"${marked.property}": ${JSON.stringify(marked.value)} and ${name}: ${JSON.stringify(raw)} (the value with the raw byte 0xE9 appended, not =?base64?...?=)`, { name: tool.name, arguments: args }, { [name.toLowerCase()]: raw }, send);
    await checkBase64(rec, tool.name, name, args, marked.property, String(marked.value), send);
    return;
  }
  const none = 'not run: no tool the check may call marks an argument with x-mcp-header';
  if (rec.wants('modern.param-header-chars')) rec.skip('modern.param-header-chars', none, 'modern');
  if (rec.wants('modern.param-header-base64')) rec.skip('modern.param-header-base64', none, 'modern');
}

/** One `modern.param-header-chars` probe: `headers` carry a raw non-ASCII byte; 400 with -32020 is the only right answer. */
async function checkChars(rec: FindingRecorder, tool: string, what: string, params: Obj, headers: Record<string, string>, send: ParamHeaderSend): Promise<void> {
  if (!rec.wants('modern.param-header-chars')) return;
  const sent = await send(params, headers);
  const code = sent.error?.code;
  const got = `HTTP ${sent.reply.status}${code !== undefined ? ` with ${String(code)}` : sent.result ? ' with a result' : ''}`;
  const said = `tools/call of ${tool} with ${what}`;
  if (sent.reply.status === 400 && code === -32020) rec.pass('modern.param-header-chars', `${said}: ${got}`, 'modern');
  else rec.fail('modern.param-header-chars', `${said}: expected HTTP 400 with -32020 (a header value with an invalid character), got ${got}`, sent.exchange, 'modern');
}

/**
 * `modern.param-header-base64` (2026-07-28 streamable-http, value encoding: "servers MUST decode an
 * encoded Mcp-Name or Mcp-Param-{Name} value before comparing it to the corresponding request
 * body value"): the same text, sent as a client must (`=?base64?<UTF-8>?=`), may not be refused
 * as a mismatch. A server that compares the raw header refuses every non-ASCII argument. On an
 * enum mark the value is plain ASCII that a client may send as is; the sentinel form of it still
 * decodes to the body's value, so a server that decodes before comparing serves it.
 */
async function checkBase64(rec: FindingRecorder, tool: string, name: string, args: Obj, property: string, text: string, send: ParamHeaderSend): Promise<void> {
  if (!rec.wants('modern.param-header-base64')) return;
  const encoded = `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  const sent = await send({ name: tool, arguments: args }, { [name.toLowerCase()]: encoded });
  const code = sent.error?.code;
  const got = `HTTP ${sent.reply.status}${code !== undefined ? ` with ${String(code)}` : sent.result ? ' with a result' : ''}`;
  const what = `tools/call of ${tool} with "${property}": ${JSON.stringify(text)} and ${name}: ${encoded}`;
  if (code === -32020 || (sent.reply.status === 400 && sent.result === undefined && code === undefined)) rec.fail('modern.param-header-base64', `${what}: expected the call served (the header decodes to the argument), got ${got}`, sent.exchange, 'modern');
  else rec.pass('modern.param-header-base64', `${what}: ${got}`, 'modern');
}
