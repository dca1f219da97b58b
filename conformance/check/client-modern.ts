/**
 * A client under test that speaks 2026-07-28 to the scripted server (which answers in the era
 * the client picks): every request and answer against the 2026-07-28 schema, the headers each
 * modern POST must carry (basic/transports/streamable-http: MCP-Protocol-Version, Mcp-Method,
 * Mcp-Name matching the body), and the input rounds: a retry echoes the `requestState` the
 * server gave, byte for byte, and never invents one, and goes out with a new JSON-RPC id
 * (basic/patterns/mrtr). Every modern `tools/list` answer also lists {@link BAD_HEADER_TOOL},
 * whose `x-mcp-header` mark is no HTTP token: the client must drop it, so calling it fails.
 */
import { createMessageValidator } from '../validate.ts';
import type { FindingRecorder } from './findings.ts';
import type { RuleId } from './catalog.ts';
import { mapResponseMessages } from './rewrite.ts';
import { VALIDATOR_RULE_IDS } from './validator-rules.ts';
import { createTaskPollWatch } from './client-tasks.ts';
import { taskSchemaProblem } from './task-schema.ts';
import { answerOf, createParamHeaderWatch } from './client-param-headers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

const VERSION = '2026-07-28';
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';

/** The tool with an invalid `x-mcp-header` mark ("Bad Header": a space is no RFC 9110 tchar) added to modern tools/list answers. */
export const BAD_HEADER_TOOL = {
  name: 'check_bad_header',
  description: 'Listed with an invalid x-mcp-header mark: a client over HTTP must drop it, never call it.',
  inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Bad Header' } } },
  annotations: { readOnlyHint: true },
} as const;
/** The requests of the tasks extension (SEP-2663), each with its definition in the extension's schema. */
const TASK_REQUEST_DEFINITIONS: Readonly<Record<string, string>> = { 'tasks/get': 'GetTaskRequest', 'tasks/update': 'UpdateTaskRequest', 'tasks/cancel': 'CancelTaskRequest' };

/** The version a modern request names in `_meta`, if it is one. */
export function modernVersionOf(body: Obj | undefined): string | undefined {
  const meta = isObj(body?.params) ? body.params._meta : undefined;
  const v = isObj(meta) ? meta[META_VERSION] : undefined;
  return typeof v === 'string' && v >= '2026' ? v : undefined;
}

/**
 * True when a POST without a session speaks 2026-07-28: its `_meta` names a modern version, or
 * its `MCP-Protocol-Version` header does (a request that left the `_meta` version out is judged
 * as the modern request it is, by the schema, not as a legacy one without its session).
 */
export function speaksModern(request: Request, body: Obj | undefined): boolean {
  return modernVersionOf(body) !== undefined || (request.headers.get('mcp-protocol-version') ?? '') >= '2026';
}

/** What the modern watcher saw, for the end-of-run findings. */
export interface ModernWatch {
  /** Check one modern POST and pass it to `inner`; the reply is watched on its way back. */
  handle(request: Request, body: Obj, text: string, inner: (r: Request) => Promise<Response>): Promise<Response>;
  /** Requests seen. */
  readonly seen: number;
  /** Input rounds answered with a retry. */
  readonly retries: number;
  /** Record a pass for each modern rule not failed. */
  finish(): void;
}

/** A watcher for the modern traffic of one client run; `rewrite` changes each server message on its way out (client-sampling-tools.ts). */
export function createModernWatch(rec: FindingRecorder, rewrite: (message: Obj) => Obj = (m) => m): ModernWatch {
  const validator = createMessageValidator(VERSION);
  const issued = new Set<string>(); // requestState values the server gave
  const rounds = new Set<string>(); // ids of the requests answered input_required
  const key = (id: unknown): string => `${typeof id}:${String(id)}`;
  const failed = new Set<RuleId>();
  let seen = 0;
  let retries = 0;
  let badListed = false; // a tools/list answer carried BAD_HEADER_TOOL
  const called = new Set<string>(); // tools the client called
  const taskPolls = createTaskPollWatch(rec);
  const paramHeaders = createParamHeaderWatch(rec);
  const fail = (id: RuleId, detail: string, exchange: unknown) => {
    if (failed.has(id)) return;
    failed.add(id);
    rec.fail(id, detail, exchange, 'modern');
  };
  return {
    async handle(request, body, text, inner) {
      seen++;
      const method = String(body.method ?? '');
      // The tasks extension's requests are in its own schema (ext-tasks), not the core file.
      const taskDefinition = Object.hasOwn(TASK_REQUEST_DEFINITIONS, method) ? TASK_REQUEST_DEFINITIONS[method]! : undefined;
      if (taskDefinition === undefined) for (const v of validator.validate(body, 'client-to-server')) fail(VALIDATOR_RULE_IDS[v.definition] ?? 'client.schema', `${v.message} [${v.definition}: ${v.detail}]`, v.raw);
      else {
        const problem = taskSchemaProblem(taskDefinition, body);
        if (problem) fail('client.schema', `${method} does not match ext-tasks ${taskDefinition}: ${problem}`, text);
      }
      const params = isObj(body.params) ? body.params : {};
      // 2026-07-28 streamable-http: the headers repeat what the body says.
      const pv = request.headers.get('mcp-protocol-version');
      // A _meta without its version is the schema's to report (RequestMetaObject requires it).
      if (modernVersionOf(body) !== undefined && pv !== modernVersionOf(body)) fail('client.modern-headers', `${method} sent with MCP-Protocol-Version ${pv ?? '(none)'}, its _meta names ${String(modernVersionOf(body))}`, text);
      if ('method' in body && request.headers.get('mcp-method') !== method) fail('client.modern-headers', `${method} sent with Mcp-Method ${request.headers.get('mcp-method') ?? '(none)'}`, text);
      const name = method === 'tools/call' || method === 'prompts/get' ? params.name : method === 'resources/read' ? params.uri : undefined;
      if (typeof name === 'string' && request.headers.get('mcp-name') !== name) fail('client.modern-headers', `${method} of ${name} sent with Mcp-Name ${request.headers.get('mcp-name') ?? '(none)'}`, text);
      // 2026-07-28 basic/patterns/mrtr: requestState is echoed byte for byte, never invented.
      if ('requestState' in params) {
        retries++;
        if (typeof params.requestState !== 'string' || !issued.has(params.requestState)) fail('client.request-state', `${method} retried with a requestState the server never gave`, text);
      } else if ('inputResponses' in params) retries++;
      // 2026-07-28 basic/patterns/mrtr: "The JSON-RPC id MUST be different between the initial request and the retry".
      if (('requestState' in params || 'inputResponses' in params) && rounds.has(key(body.id))) fail('client.retry-new-id', `${method} retried with id ${JSON.stringify(body.id)}, the id of the request that was answered input_required`, text);
      if (method === 'tools/call' && typeof params.name === 'string') called.add(params.name);
      taskPolls.request(method, params, text);
      // 2026-07-28 streamable-http, custom headers: a tool with an invalid mark MUST be excluded from tools/list.
      if (method === 'tools/call' && params.name === BAD_HEADER_TOOL.name) fail('client.invalid-param-header', `${BAD_HEADER_TOOL.name} called, though its x-mcp-header "Bad Header" is not an HTTP token: the client kept a tool it must drop`, text);
      const response = await inner(request);
      // 2026-07-28 streamable-http, custom headers: x-mcp-header arguments mirrored in Mcp-Param-* headers.
      if (method === 'tools/call') paramHeaders.call(request.headers, params, text, await answerOf(response));
      return mapResponseMessages(response, (m) => {
        if (method === 'tools/list' && isObj(m.result) && Array.isArray(m.result.tools)) {
          paramHeaders.listed(m.result.tools);
          badListed = true;
          m = { ...m, result: { ...m.result, tools: [...m.result.tools, BAD_HEADER_TOOL] } };
        }
        m = rewrite(m);
        validator.validate(m, 'server-to-client');
        taskPolls.reply(method, m);
        if (isObj(m.result) && typeof m.result.requestState === 'string') issued.add(m.result.requestState);
        if (isObj(m.result) && m.result.resultType === 'input_required') rounds.add(key(m.id));
        return m;
      });
    },
    get seen() { return seen; },
    get retries() { return retries; },
    finish() {
      if (seen === 0) return;
      taskPolls.finish();
      paramHeaders.finish();
      for (const id of ['client.modern-headers', 'client.request-state', 'client.retry-new-id'] as const) {
        if (failed.has(id)) continue;
        if (id !== 'client.modern-headers' && retries === 0) rec.skip(id, 'the client answered no input round', 'modern');
        else rec.pass(id, `${seen} modern request(s), ${retries} input round retry(ies)`, 'modern');
      }
      if (badListed && !failed.has('client.invalid-param-header')) {
        if (called.size > 0) rec.pass('client.invalid-param-header', `${BAD_HEADER_TOOL.name} (invalid x-mcp-header) was listed and never called; the client called ${called.size} other tool(s)`, 'modern');
        else rec.skip('client.invalid-param-header', 'the client called no tool, so keeping the invalid one would not show', 'modern');
      }
      if (!failed.has('client.schema')) rec.pass('client.schema', `${seen} modern request(s) matched the ${VERSION} schema`, 'modern');
      if (!failed.has('client.roots-file-uri')) rec.pass('client.roots-file-uri', `no root other than a file:// URI in the inputResponses of ${retries} input round retry(ies)`, 'modern');
      // 2026-07-28 basic/transports: clients send requests and notifications only.
      if (!failed.has('client.modern-response')) rec.pass('client.modern-response', `none of the client's ${seen} modern POST(s) was a JSON-RPC response`, 'modern');
    },
  };
}
