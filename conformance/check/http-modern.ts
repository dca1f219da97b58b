/**
 * The modern era over HTTP (2026-07-28 basic/transports/streamable-http; notes 5b):
 * `server/discover`, the required headers and their mismatch errors (Mcp-Param-* too:
 * modern-param-headers.ts), unsupported versions,
 * unknown and removed methods, no sessions, and the caching fields of list results. Every
 * exchange is also checked against the 2026-07-28 schema.
 */
import { createMessageValidator } from '../validate.ts';
import { recordViolations } from './driver.ts';
import { describeExchange, rawRequest, type RawReply } from './raw-http.ts';
import { ACCEPT_BOTH, type HttpTarget } from './http-legacy.ts';
import { MODERN_ONLY_RULE_IDS, type RuleId } from './catalog.ts';
import { checkListen, DEFAULT_LISTEN_WINDOW_MS, isListenKind, listenDuring, outsideListenWatch } from './modern-listen.ts';
import { checkTasks, offersTasks, REMOVED_TASK_METHODS, TASK_CLIENT_CAPABILITIES, TASKS_EXTENSION } from './modern-tasks.ts';
import { validArguments } from './args.ts';
import { checkSkills, offersSkills, SKILLS_CLIENT_CAPABILITIES, SKILLS_EXTENSION } from './modern-skills.ts';
import { checkModernCancel } from './modern-cancel.ts';
import { checkParamHeaderChars, checkParamHeaders } from './modern-param-headers.ts';
import type { Tool } from 'mcpwire/protocol';
import { ZERO_ID } from './http-jsonrpc.ts';
import { judgeRawCode } from './driver-modern.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';
import { NOT_RUN_PREFIX } from './report.ts';

const VERSION = '2026-07-28';
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
/** Most resource URIs the cancellation probe's listen names. */
const MAX_LISTENED_URIS = 20;
let nextId = 1;

interface Sent {
  readonly reply: RawReply;
  readonly exchange: string;
  readonly result: Obj | undefined;
  readonly error: { code?: unknown; data?: unknown } | undefined;
}

/** The headers and body of a modern request; `override` changes or drops headers. */
export function modernRequest(t: HttpTarget, method: string, params: Obj, override: Record<string, string | undefined> = {}, version = VERSION, capabilities: Obj = {}) {
  const body = {
    jsonrpc: '2.0', id: `check-${nextId++}`, method,
    params: { ...params, _meta: { ...(isObj(params._meta) ? params._meta : {}), [META_VERSION]: version, [CLIENT_CAPABILITIES]: capabilities, 'io.modelcontextprotocol/clientInfo': { name: 'mcpwire-check', version: '0.1.0' } } },
  };
  const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  const headers: Record<string, string | undefined> = {
    ...t.headers, accept: ACCEPT_BOTH, 'content-type': 'application/json', 'mcp-protocol-version': version, 'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }), ...override,
  };
  return { body, headers };
}

type Send = (method: string, params?: Obj, override?: Record<string, string | undefined>, version?: string, validate?: boolean, capabilities?: Obj) => Promise<Sent & { body: Obj }>;

/**
 * Each list method against what `server/discover` declared. Declared: it answers, with the
 * caching fields (SEP-2549: ttlMs, cacheScope). Not declared: it must not be served, since a
 * server that offers tools, prompts or resources MUST declare the capability (2026-07-28
 * server/tools, server/prompts, server/resources: capabilities); a client reading discover
 * would never know of them. An error of any code is a refusal.
 */
async function checkListsAgainstDiscover(t: HttpTarget, caps: Obj, send: Send): Promise<{ tools: Tool[]; uris: string[] }> {
  let tools: Tool[] = [];
  let uris: string[] = [];
  for (const [cap, method] of [['tools', 'tools/list'], ['prompts', 'prompts/list'], ['resources', 'resources/list'], ['resources', 'resources/templates/list']] as const) {
    const declared = caps[cap] !== undefined && caps[cap] !== null && caps[cap] !== false;
    if (!declared) {
      if (!t.rec.wants('modern.discover-capabilities')) continue;
      const sent = await send(method, {}, {}, VERSION, false);
      if (sent.result) t.rec.fail('modern.discover-capabilities', `${method} was served (HTTP ${sent.reply.status}) although server/discover declares no ${cap} capability`, sent.exchange, 'modern');
      else t.rec.pass('modern.discover-capabilities', `${method} refused (HTTP ${sent.reply.status}): no ${cap} capability declared`, 'modern');
      // Any code refuses here, so the code is judged apart (2026-07-28 basic/index, error codes);
      // the probes that expect one code name the wrong one in their own rule.
      judgeRawCode(t.rec, `${method} (not declared)`, sent.error?.code, sent.exchange);
      continue;
    }
    const sent = await send(method);
    const res = sent.result;
    if (!res) {
      t.rec.fail('modern.discover-capabilities', `server/discover declares ${cap} but ${method} got ${sent.error ? `error ${String(sent.error.code)}` : `HTTP ${sent.reply.status}`}`, sent.exchange, 'modern');
      t.rec.skip('modern.caching', `${method} failed`, 'modern');
      continue;
    }
    t.rec.pass('modern.discover-capabilities', `${method} served, as ${cap} is declared`, 'modern');
    if (method === 'tools/list' && Array.isArray(res.tools)) tools = res.tools as Tool[];
    if (method === 'resources/list' && Array.isArray(res.resources)) uris = res.resources.slice(0, MAX_LISTENED_URIS).flatMap((r) => (isObj(r) && typeof r.uri === 'string' ? [r.uri] : []));
    if (typeof res.ttlMs === 'number' && res.ttlMs >= 0 && typeof res.cacheScope === 'string') t.rec.pass('modern.caching', `${method} carries ttlMs ${res.ttlMs}, cacheScope ${res.cacheScope}`, 'modern');
    else t.rec.fail('modern.caching', `${method} result lacks ttlMs or cacheScope`, sent.exchange, 'modern');
  }
  return { tools, uris };
}

/** Call the `--listen-trigger` tool (with generated arguments) while a listen is open; says what came of it. */
async function triggerCall(name: string, tools: readonly Tool[], send: Send): Promise<string> {
  const tool = tools.find((x) => isObj(x) && x.name === name);
  if (tool === undefined) return `the trigger tool ${name} is not listed, so it was not called`;
  const sent = await send('tools/call', { name, arguments: validArguments(tool.inputSchema) });
  return `the trigger tool ${name} was called (${sent.result ? 'answered' : sent.error ? `error ${String(sent.error.code)}` : `HTTP ${sent.reply.status}`})`;
}

/**
 * server/discover with the id 0 (there is no ping in 2026-07-28): a request like any other, so
 * it is answered, with 0 (basic/index: "Requests MUST include a string or integer ID";
 * responses carry "the same ID"). A server testing ids for truthiness takes it for a notification.
 */
async function checkModernZeroId(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('jsonrpc.zero-id')) return;
  const { body: named, headers } = modernRequest(t, 'server/discover', {});
  const body = { ...named, id: ZERO_ID };
  const reply = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
  const exchange = describeExchange('POST', headers, body, reply);
  // Not held to the schema: the discover above was; an id other than 0 is this rule's finding alone.
  const answer = reply.messages.find((m) => !('method' in m));
  if (answer === undefined) t.rec.fail('jsonrpc.zero-id', `server/discover with the id 0 got no response (HTTP ${reply.status}): the request was taken for a notification`, exchange, 'modern');
  else if (answer.id === ZERO_ID) t.rec.pass('jsonrpc.zero-id', 'server/discover with the id 0 was answered with the id 0', 'modern');
  else t.rec.fail('jsonrpc.zero-id', `server/discover with the id 0 was answered with id ${JSON.stringify(answer.id)}`, exchange, 'modern');
}

/**
 * A request whose `_meta` lacks `io.modelcontextprotocol/clientCapabilities` (2026-07-28
 * basic/index, per-request protocol fields: "A request missing any required field is malformed;
 * the server MUST reject it with JSON-RPC error code -32602 (Invalid params). On HTTP, the
 * response status MUST be 400 Bad Request"). Asked with server/discover, which every modern
 * server serves. A missing protocolVersion is not asked: it also breaks the header match, for
 * which streamable-http names -32020.
 */
async function checkMetaRequired(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('modern.meta-required')) return;
  const { body: full, headers } = modernRequest(t, 'server/discover', {});
  const { [CLIENT_CAPABILITIES]: _dropped, ...meta } = full.params._meta;
  const body = { ...full, params: { ...full.params, _meta: meta } };
  const reply = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
  const answer = reply.messages.find((m) => m.id === body.id);
  const code = isObj(answer?.error) ? answer.error.code : undefined;
  const got = `HTTP ${reply.status}${code === undefined ? (answer?.result === undefined ? ' with no answer' : ' with a result') : ` with ${String(code)}`}`;
  if (reply.status === 400 && code === -32602) t.rec.pass('modern.meta-required', `server/discover without _meta ${CLIENT_CAPABILITIES}: ${got}`, 'modern');
  else t.rec.fail('modern.meta-required', `server/discover without _meta ${CLIENT_CAPABILITIES}: expected HTTP 400 with -32602, got ${got}`, describeExchange('POST', headers, body, reply), 'modern');
}

/** Check modern traffic; resolves false (and skips the modern rules) when the server does not speak 2026-07-28. */
export async function checkModernHttp(t: HttpTarget): Promise<boolean> {
  const validator = createMessageValidator(VERSION);
  const validateReply = (body: Obj, reply: Pick<RawReply, 'messages'>) => {
    validator.validate(body, 'client-to-server');
    for (const m of reply.messages) recordViolations(t.rec, validator.validate(m, 'server-to-client'), 'server-to-client', 'modern');
  };
  const send = async (method: string, params: Obj = {}, override: Record<string, string | undefined> = {}, version = VERSION, validate = true, capabilities: Obj = {}): Promise<Sent & { body: Obj }> => {
    const { body, headers } = modernRequest(t, method, params, override, version, capabilities);
    const reply = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
    const exchange = describeExchange('POST', headers, body, reply);
    if (validate) validateReply(body, reply);
    // 2026-07-28 streamable-http: no sessions in the modern era; never mint or echo one.
    if (reply.headers.get('mcp-session-id') !== null) t.rec.fail('modern.no-session', `${method} answered with an Mcp-Session-Id`, exchange, 'modern');
    if (method !== 'subscriptions/listen') outside.judge(method, reply.messages, exchange);
    const answer = reply.messages.find((m) => m.id === body.id);
    return { body, reply, exchange, result: answer?.result as Obj | undefined, error: answer?.error as Sent['error'] };
  };
  const outside = outsideListenWatch(t.rec, (m) => isListenKind(m), 'on the reply stream of', 'reply');
  // A legacy-only server's answer to the probe is not held to the 2026-07-28 schema.
  const discover = await send('server/discover', {}, {}, VERSION, false);
  const versions = discover.result?.supportedVersions;
  const modern = Array.isArray(versions) && versions.includes(VERSION);
  if (modern) validateReply(discover.body, discover.reply);
  if (!modern) {
    // basic/versioning: a request in a version the server does not support gets -32022; a
    // DiscoverResult to a 2026-07-28 request serves that version, so it must list it.
    if (Array.isArray(versions)) t.rec.fail('modern.unsupported-version', `server/discover asked in ${VERSION} was answered with a result whose supportedVersions (${versions.map(String).join(', ') || 'none'}) lack ${VERSION}: list it, or refuse the request with -32022`, discover.exchange, 'modern');
    // Every rule of that era, so none is left out of the report unsaid.
    const recorded = new Set<string>(t.rec.findings.map((f) => f.id));
    for (const id of MODERN_ONLY_RULE_IDS) {
      if (recorded.has(id)) continue;
      t.rec.skip(id, `${NOT_RUN_PREFIX}the server does not speak ${VERSION} (server/discover got HTTP ${discover.reply.status}${discover.reply.contentType ? `, ${discover.reply.contentType}` : ''})`, 'modern');
    }
    return false;
  }
  const r = discover.result!;
  const listed = versions as unknown[];
  const discoverProblems = [
    typeof r.capabilities !== 'object' || r.capabilities === null ? 'no capabilities' : '',
    typeof r.ttlMs !== 'number' || r.ttlMs < 0 ? 'no ttlMs >= 0' : '',
    typeof r.cacheScope !== 'string' ? 'no cacheScope' : '',
  ].filter(Boolean);
  if (discoverProblems.length > 0) t.rec.fail('modern.discover', `server/discover result has ${discoverProblems.join(', ')}`, discover.exchange, 'modern');
  else t.rec.pass('modern.discover', `server/discover lists ${listed.join(', ')}`, 'modern');
  const expectError = (id: RuleId, what: string, sent: Sent, status: number, code: number, extra?: string) => {
    if (sent.reply.status === status && sent.error?.code === code && extra === undefined) t.rec.pass(id, `${what}: ${status} with ${code}`, 'modern');
    else t.rec.fail(id, `${what}: expected ${status} with ${code}, got ${sent.reply.status}${sent.error ? ` with ${String(sent.error.code)}` : ''}${extra ? `; ${extra}` : ''}`, sent.exchange, 'modern');
  };
  // 2026-07-28 streamable-http: header/body mismatch and missing headers get 400 + -32020.
  expectError('modern.headers', 'Mcp-Method naming another method', await send('tools/list', {}, { 'mcp-method': 'prompts/list' }, VERSION, false), 400, -32020);
  expectError('modern.headers', 'no Mcp-Method header', await send('tools/list', {}, { 'mcp-method': undefined }, VERSION, false), 400, -32020);
  await checkModernZeroId(t);
  await checkMetaRequired(t);
  const caps = (r.capabilities ?? {}) as Obj;
  if (caps.tools) {
    expectError('modern.headers', 'tools/call with Mcp-Name naming another tool', await send('tools/call', { name: 'mcpwire-check-a', arguments: {} }, { 'mcp-name': 'mcpwire-check-b' }, VERSION, false), 400, -32020);
  }
  const unsupported = await send('server/discover', {}, {}, '2099-01-01', false);
  const supported = (unsupported.error?.data as { supported?: unknown } | undefined)?.supported;
  expectError('modern.unsupported-version', 'version 2099-01-01', unsupported, 400, -32022, Array.isArray(supported) ? undefined : 'error data lists no supported versions');
  expectError('modern.unknown-method', 'method mcpwire/unknown', await send('mcpwire/unknown', {}, {}, VERSION, false), 404, -32601);
  for (const method of ['ping', 'logging/setLevel', 'resources/subscribe']) {
    const params = method === 'logging/setLevel' ? { level: 'info' } : method === 'resources/subscribe' ? { uri: 'mcpwire-check://x' } : {};
    expectError('modern.removed-methods', method, await send(method, params, {}, VERSION, false), 404, -32601);
  }
  // ext-tasks 2026-07-28 (SEP-2663): tasks/result and tasks/list are gone; asked with the extension
  // declared, as a server that kept its 2025-11-25 task routes would serve them then.
  for (const [method, params] of REMOVED_TASK_METHODS) {
    expectError('modern.removed-methods', `${method} (tasks extension declared)`, await send(method, params, { 'mcp-name': typeof params.taskId === 'string' ? params.taskId : undefined }, VERSION, false, TASK_CLIENT_CAPABILITIES), 404, -32601);
  }
  const { tools, uris } = await checkListsAgainstDiscover(t, caps, send);
  const sendCall = (params: Obj, headers: Record<string, string | undefined>) => send('tools/call', params, headers, VERSION, false);
  await checkParamHeaders(t.rec, tools, t.allowDestructive === true, sendCall);
  await checkParamHeaderChars(t.rec, tools, t.allowDestructive === true, sendCall);
  if (offersTasks(caps)) {
    // Task results are the extension's schema, not the core one: held to it by checkTasks (tasks.schema).
    // The first task is polled under a listen naming no task (modern.listen-filter).
    const listen = (filter: Obj, whileOpen: () => Promise<void>) => listenDuring(t, (method, params) => modernRequest(t, method, params, {}, VERSION, TASK_CLIENT_CAPABILITIES), filter, t.listenWindowMs ?? DEFAULT_LISTEN_WINDOW_MS, whileOpen);
    await checkTasks({ rec: t.rec, timeoutMs: t.timeoutMs, listen }, async (method, params, headers) => {
      const sent = await send(method, params, headers, VERSION, false, TASK_CLIENT_CAPABILITIES);
      return { ...sent, notes: sent.reply.messages }; // the reply stream's notifications: tasks.no-progress
    }, tools, t.allowDestructive === true);
  } else for (const id of ['tasks.unknown-id', 'tasks.terminal-final', 'tasks.input-required', 'tasks.schema', 'tasks.no-progress'] as const) t.rec.skip(id, `server/discover lists no ${TASKS_EXTENSION} extension`, 'modern');
  if (offersSkills(caps)) await checkSkills(t, (method, params, headers) => send(method, params, headers, VERSION, false, SKILLS_CLIENT_CAPABILITIES));
  else for (const id of ['skills.unknown-uri', 'skills.digest'] as const) t.rec.skip(id, `server/discover lists no ${SKILLS_EXTENSION} extension`, 'modern');
  // 2026-07-28 server capabilities: resources.subscribe says whether a listen may name resource URIs.
  const subscribe = isObj(caps.resources) && caps.resources.subscribe === true;
  const subscribable = subscribe ? uris[0] : undefined;
  const trigger = t.listenTrigger;
  await checkListen(t, {
    request: (method, params) => modernRequest(t, method, params),
    validate: (body, messages) => validateReply(body, { messages }),
    windowMs: t.listenWindowMs ?? DEFAULT_LISTEN_WINDOW_MS,
    ...(subscribable === undefined ? {} : { resourceUri: subscribable }),
    ...(trigger === undefined ? {} : { trigger: () => triggerCall(trigger, tools, send) }),
  });
  await checkModernCancel(t, { request: (method, params) => modernRequest(t, method, params), tools, uris: subscribe ? uris : [] });
  if (!t.rec.findings.some((f) => f.id === 'modern.no-session' && f.outcome === 'fail')) t.rec.pass('modern.no-session', 'no modern reply carried a session id', 'modern');
  outside.finish();
  return true;
}
