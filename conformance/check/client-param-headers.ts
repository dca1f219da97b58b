/**
 * The client's side of `Mcp-Param-{Name}` headers (2026-07-28 basic/transports/streamable-http:
 * custom headers from tool parameters, client behavior, value encoding): for each tool the
 * server listed whose inputSchema marks a property with `x-mcp-header`, a `tools/call` that gives
 * the property a value MUST carry the header with that value (plain, or `=?base64?...?=` for what
 * plain ASCII cannot carry), and one that leaves it out or null MUST NOT carry it. A client that
 * forgets lets a gateway route on nothing, and a checking server refuses the call (-32020).
 * Read independently of mcpwire's own client: the marks and the encoding from the spec's text.
 */
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** An RFC 9110 token (`1*tchar`): the only valid `x-mcp-header` value. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Most marks read from one tool (a schema is the server's to size; the check stays bounded). */
const MAX_MARKS = 16;

/** One marked property: its header name and the chain of `properties` keys to it. */
interface Mark {
  readonly header: string;
  readonly path: readonly string[];
}

/** The marks of a schema, reached through `properties` only (the spec's "statically reachable"); invalid ones are left out. */
function marksOf(schema: unknown, path: readonly string[] = [], out: Mark[] = []): Mark[] {
  if (!isObj(schema) || !isObj(schema.properties)) return out;
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (out.length >= MAX_MARKS || !isObj(sub)) continue;
    const mark = sub['x-mcp-header'];
    if (typeof mark === 'string' && TOKEN.test(mark)) out.push({ header: mark, path: [...path, key] });
    marksOf(sub, [...path, key], out);
  }
  return out;
}

/** The header text a value must be sent as before encoding (value encoding: type conversion), or undefined for none. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** A header value decoded (value encoding: the case-sensitive `=?base64?...?=` sentinel), or undefined when it cannot be. */
function decoded(raw: string): string | undefined {
  const sentinel = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/.exec(raw);
  if (!sentinel) return raw;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(sentinel[1]!), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** Longest answer body kept as evidence. */
const MAX_ANSWER_CHARS = 2000;

/**
 * What the scripted server answered a call with, as evidence: its status and, for a JSON answer,
 * the body (a refusal's JSON-RPC error says why: -32020 HeaderMismatch); an SSE answer is left
 * to its stream. Reads a clone, so the answer still goes to the client whole.
 */
export async function answerOf(response: Response): Promise<{ readonly status: number; readonly body?: unknown }> {
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return { status: response.status, body: '(an SSE stream)' };
  const text = (await response.clone().text().catch(() => '')).slice(0, MAX_ANSWER_CHARS);
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, ...(text === '' ? {} : { body: text }) };
  }
}

/** Watches the modern calls of tools whose marks the server listed. */
export interface ParamHeaderWatch {
  /** A `tools/list` answer's tools. */
  listed(tools: readonly unknown[]): void;
  /** A `tools/call` as it came (its headers, params and text) and what the scripted server answered it with (`answerOf`). */
  call(headers: Headers, params: Obj, text: string, answer: unknown): void;
  /** Record a pass or a skip when no call failed. */
  finish(): void;
}

/** A watcher recording `client.param-headers`; at most one failure (the first wrong call) is recorded. */
export function createParamHeaderWatch(rec: FindingRecorder): ParamHeaderWatch {
  const marks = new Map<string, readonly Mark[]>(); // tool name -> its marks
  let failed = false;
  let mirrored = 0; // headers checked and right
  let omitted = 0; // marks with no value, rightly without a header
  return {
    listed(tools) {
      for (const tool of tools) {
        if (!isObj(tool) || typeof tool.name !== 'string') continue;
        const found = marksOf(tool.inputSchema);
        if (found.length > 0) marks.set(tool.name, found);
      }
    },
    call(headers, params, text, answer) {
      const tool = typeof params.name === 'string' ? params.name : undefined;
      if (failed || tool === undefined) return;
      for (const { header, path } of marks.get(tool) ?? []) {
        let value: unknown = params.arguments;
        for (const key of path) value = isObj(value) ? value[key] : undefined;
        const raw = headers.get(`mcp-param-${header}`);
        const want = textOf(value);
        const arg = `"${path.join('.')}": ${JSON.stringify(value) ?? 'absent'}`;
        const seen = { got: answer, sent: { headers: Object.fromEntries([...headers].filter(([k]) => k.startsWith('mcp-'))), body: text } };
        let wrong: string | undefined;
        if (want !== undefined && raw === null) wrong = `with ${arg} sent no Mcp-Param-${header} header (the client MUST mirror an x-mcp-header argument)`;
        else if (want !== undefined && decoded(raw!) !== want) wrong = `with ${arg} sent Mcp-Param-${header}: ${raw}, which ${decoded(raw!) === undefined ? 'is no valid =?base64?...?= value' : `decodes to ${JSON.stringify(decoded(raw!))}`}`;
        else if ((value === undefined || value === null) && raw !== null) wrong = `with ${arg} sent Mcp-Param-${header}: ${raw} (a null or absent value MUST have no header)`;
        if (wrong !== undefined) {
          failed = true;
          rec.fail('client.param-headers', `tools/call of ${tool} ${wrong}`, seen, 'modern');
          return;
        }
        if (want !== undefined) mirrored++;
        else if (value === undefined || value === null) omitted++;
      }
    },
    finish() {
      if (failed || marks.size === 0) return;
      if (mirrored === 0) rec.skip('client.param-headers', `the client called no tool with a value for an x-mcp-header argument (${omitted} left without one, rightly without the header)`, 'modern');
      else rec.pass('client.param-headers', `${mirrored} x-mcp-header argument value(s) mirrored in Mcp-Param-* headers; ${omitted} absent or null, without the header`, 'modern');
    },
  };
}
