/**
 * The modern era over stdio (2026-07-28 basic/transports/stdio; notes 6): `server/discover`
 * sent first on a fresh process; when it answers, list results, unknown and removed methods
 * are checked, every line against the 2026-07-28 schema; then the tasks extension (when listed),
 * `subscriptions/listen` (stdio-listen.ts) and cancellation (stdio-cancel.ts) on the same
 * process. Newline-delimited JSON both ways.
 */
import { spawn } from 'node:child_process';
import { createMessageValidator } from '../validate.ts';
import { recordViolations } from './driver.ts';
import type { FindingRecorder } from './findings.ts';
import { DEFAULT_MAX_REPLY_BYTES } from './raw-http.ts';
import { classifyStdout, splitLines } from './stdout-lines.ts';
import { createWatchers } from './stdio-peer.ts';
import { checkStdioListen, stdioListenDuring } from './stdio-listen.ts';
import { checkStdioCancellation } from './stdio-cancel.ts';
import { checkSkills, offersSkills, SKILLS_CLIENT_CAPABILITIES, SKILLS_EXTENSION } from './modern-skills.ts';
import { checkTasks, offersTasks, REMOVED_TASK_METHODS, TASK_CLIENT_CAPABILITIES, TASKS_EXTENSION } from './modern-tasks.ts';
import { DEFAULT_LISTEN_WINDOW_MS, isListenKind, outsideListenWatch, SUBSCRIPTION_ID } from './modern-listen.ts';
import type { Tool } from 'mcpwire/protocol';
import { answerClock } from './stdio-start.ts';
import { validArguments } from './args.ts';
import { ZERO_ID } from './http-jsonrpc.ts';
import { askZeroFenced } from './stdio-zero.ts';
import { checkStdioCancelZero } from './stdio-cancel-zero.ts';
import { taskProbeProgress } from './task-progress.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';
import { NOT_RUN_PREFIX } from './report.ts';

/** Why the 2026-07-28 rules of a stdio server that does not speak that version are not run (the runner lists the rest under it). */
export const MODERN_NOT_SPOKEN = 'the server does not speak 2026-07-28 (server/discover over stdio got no result listing it)';

const VERSION = '2026-07-28';
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

/** Check the 2026-07-28 era of a stdio server; resolves false when it does not speak it. */
export async function checkModernStdio(
  command: string, args: readonly string[], rec: FindingRecorder, timeoutMs: number, maxLineChars = DEFAULT_MAX_REPLY_BYTES,
  more: { readonly allowDestructive?: boolean; readonly listenWindowMs?: number; readonly listenTrigger?: string; readonly startTimeoutMs?: number } = {},
): Promise<boolean> {
  const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin!.on('error', () => undefined); // a process that has exited: EPIPE; what it did not answer is the finding
  const validator = createMessageValidator(VERSION);
  const waiting = new Map<string, (m: Obj | undefined) => void>();
  const unchecked = new Set<string>();
  /** The notifications read while a task request is pending (tasks.no-progress); undefined when none is. */
  let heard: Obj[] | undefined;
  // The probes' own requests are told to the validator, so their answers and progress are correlated.
  const { peer, deliver } = createWatchers((m) => {
    validator.validate(m, 'client-to-server');
    child.stdin!.write(`${JSON.stringify(m)}\n`);
  });
  let listening = false;
  const outside = outsideListenWatch(rec, (m) => isListenKind(m) && !(isObj(m.params) && isObj(m.params._meta) && SUBSCRIPTION_ID in m.params._meta), 'without a subscription id on', 'message');
  const onMessage = (m: Obj) => {
    // Answers to requests sent off-schema on purpose (unknown, removed methods, the tasks extension) are judged by their rules only.
    // The tasks extension's push is not in the core schema: the task probe holds it to ext-tasks (tasks.schema).
    // So is the progress of the task probe's calls (sent unchecked, their tokens unknown to the validator): tasks.no-progress judges it, as over HTTP.
    if (!unchecked.has(String(m.id)) && m.method !== 'notifications/tasks' && !taskProbeProgress(m)) recordViolations(rec, validator.validate(m, 'server-to-client'), 'server-to-client', 'modern');
    // Unstamped while the listen probe runs is its stray (modern.listen-subscription-id); outside it, this rule's.
    if (!listening) outside.judge(`stdout while ${lastMethod} was the last request`, [m], m);
    if (heard !== undefined && typeof m.method === 'string' && !('id' in m)) heard.push(m);
    if ('id' in m && !('method' in m)) waiting.get(String(m.id))?.(m);
    deliver(m);
  };
  // Whole messages even when spread over lines: stdio-framing.ts reports how they were framed.
  const lines = classifyStdout(onMessage);
  const split = splitLines(lines, maxLineChars);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => split.push(chunk));
  // A command that cannot start is said once, by the legacy session's run.reachable; here it
  // only means the era cannot be probed, without waiting a timeout for an answer.
  const notStarted = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (notStarted !== undefined) {
    rec.skip('modern.discover', `the server command did not start (${notStarted.message})`, 'modern');
    return false;
  }
  child.once('error', () => undefined); // a later failure (a signal it could not be sent) is seen through exit
  let n = 0;
  let judged: Tool | undefined;
  let lastMethod = 'server/discover';
  const request = (id: string | number, method: string, params: Obj, version = VERSION, capabilities: Obj = {}): Obj => ({
    jsonrpc: '2.0', id, method,
    params: { ...params, _meta: { ...(isObj(params._meta) ? params._meta : {}), 'io.modelcontextprotocol/protocolVersion': version, [CLIENT_CAPABILITIES]: capabilities, 'io.modelcontextprotocol/clientInfo': { name: 'mcpwire-check', version: '0.1.0' } } },
  });
  const clock = answerClock(child, timeoutMs, more.startTimeoutMs);
  const ask = (method: string, params: Obj = {}, version = VERSION, validate = true, capabilities: Obj = {}): Promise<Obj | undefined> => send(request(`check-${++n}`, method, params, version, capabilities), validate);
  /** Write one request (`body.id` a string) and wait for its answer. */
  const send = (body: Obj, validate: boolean): Promise<Obj | undefined> => {
    const id = String(body.id);
    lastMethod = String(body.method);
    if (validate) validator.validate(body, 'client-to-server');
    else unchecked.add(id);
    return new Promise((resolve) => {
      const stop = clock.timer(() => { waiting.delete(id); resolve(undefined); });
      waiting.set(id, (m) => { stop(); waiting.delete(id); resolve(m); });
      child.stdin!.write(`${JSON.stringify(body)}\n`);
    });
  };
  try {
    const discover = await ask('server/discover');
    const result = discover?.result as Obj | undefined;
    const versions = result?.supportedVersions;
    if (!Array.isArray(versions) || !versions.includes(VERSION)) {
      // basic/versioning: a DiscoverResult to a 2026-07-28 request serves that version, so it must list it (else -32022).
      if (Array.isArray(versions)) rec.fail('modern.unsupported-version', `stdio: server/discover asked in ${VERSION} was answered with a result whose supportedVersions (${versions.map(String).join(', ') || 'none'}) lack ${VERSION}: list it, or refuse the request with -32022`, discover, 'modern');
      rec.skip('modern.discover', `${NOT_RUN_PREFIX}${MODERN_NOT_SPOKEN}`, 'modern');
      return false;
    }
    rec.pass('modern.discover', `server/discover over stdio lists ${versions.join(', ')}`, 'modern');
    if (rec.wants('jsonrpc.zero-id')) {
      // basic/index: a request with the id 0 is a request: answered, with 0 (a truthiness test takes it for a notification).
      unchecked.add('0');
      const fence = request('check-zero-fence', 'server/discover', {});
      validator.validate(fence, 'client-to-server');
      const { answer: zero, fenced } = await askZeroFenced({ waiting, write: (m) => child.stdin!.write(`${JSON.stringify(m)}\n`), zero: { ...request('check-zero', 'server/discover', {}), id: ZERO_ID }, fence, timer: clock.timer });
      if (zero?.id === ZERO_ID) rec.pass('jsonrpc.zero-id', 'stdio: server/discover with the id 0 was answered with the id 0', 'modern');
      else if (zero !== undefined) rec.fail('jsonrpc.zero-id', `stdio: server/discover with the id 0 was answered with id ${JSON.stringify(zero.id)}`, zero, 'modern');
      else rec.fail('jsonrpc.zero-id', `stdio: server/discover with the id 0 got no response${fenced ? ', though the one written after it was answered' : ''}: the request was taken for a notification`, undefined, 'modern');
    }
    const errorOf = (m: Obj | undefined) => (m?.error as { code?: unknown } | undefined)?.code;
    const unknown = await ask('mcpwire/unknown', {}, VERSION, false);
    if (errorOf(unknown) === -32601) rec.pass('modern.unknown-method', 'stdio: -32601', 'modern');
    else rec.fail('modern.unknown-method', `stdio: expected -32601, got ${JSON.stringify(unknown ?? 'no answer')}`, unknown, 'modern');
    if (rec.wants('modern.meta-required')) {
      // basic/index, per-request protocol fields: a request missing a required _meta field is refused with -32602.
      const full = request(`check-${++n}`, 'server/discover', {});
      const { [CLIENT_CAPABILITIES]: _dropped, ...meta } = (full.params as { _meta: Obj })._meta;
      const reply = await send({ ...full, params: { _meta: meta } }, false);
      const got = reply === undefined ? 'no answer' : errorOf(reply) !== undefined ? `error ${String(errorOf(reply))}` : 'a result';
      if (errorOf(reply) === -32602) rec.pass('modern.meta-required', `stdio: server/discover without _meta ${CLIENT_CAPABILITIES}: -32602`, 'modern');
      else rec.fail('modern.meta-required', `stdio: server/discover without _meta ${CLIENT_CAPABILITIES}: expected -32602, got ${got}`, reply, 'modern');
    }
    for (const method of ['ping', 'logging/setLevel']) {
      const reply = await ask(method, method === 'ping' ? {} : { level: 'info' }, VERSION, false);
      if (errorOf(reply) === -32601) rec.pass('modern.removed-methods', `stdio ${method}: -32601`, 'modern');
      else rec.fail('modern.removed-methods', `stdio ${method}: expected -32601`, reply, 'modern');
    }
    // ext-tasks 2026-07-28: tasks/result and tasks/list are gone, the extension declared or not.
    for (const [method, params] of REMOVED_TASK_METHODS) {
      const reply = await ask(method, params, VERSION, false, TASK_CLIENT_CAPABILITIES);
      if (errorOf(reply) === -32601) rec.pass('modern.removed-methods', `stdio ${method} (tasks extension declared): -32601`, 'modern');
      else rec.fail('modern.removed-methods', `stdio ${method} (tasks extension declared): expected -32601, got ${reply === undefined ? 'no answer' : errorOf(reply) !== undefined ? `error ${String(errorOf(reply))}` : 'a result'}`, reply, 'modern');
    }
    const caps = (result!.capabilities ?? {}) as Obj;
    let tools: unknown[] = [];
    if (caps.tools) {
      const list = (await ask('tools/list'))?.result as Obj | undefined;
      if (list && typeof list.ttlMs === 'number' && typeof list.cacheScope === 'string') rec.pass('modern.caching', 'stdio tools/list carries ttlMs and cacheScope', 'modern');
      else rec.fail('modern.caching', 'stdio tools/list lacks ttlMs or cacheScope', list, 'modern');
      if (Array.isArray(list?.tools)) tools = list.tools;
    }
    if (offersTasks(caps)) {
      const task = TASK_CLIENT_CAPABILITIES;
      // The first task is polled under two listens, one naming it (modern.listen-filter, tasks.schema).
      let listens = 0;
      const listen = (filter: Obj, whileOpen: () => Promise<void>) => stdioListenDuring(peer, { timeoutMs, windowMs: more.listenWindowMs ?? DEFAULT_LISTEN_WINDOW_MS, request: (id, method, params) => request(id, method, params, VERSION, task) }, `check-task-listen-${++listens}`, filter, whileOpen);
      await checkTasks({ rec, timeoutMs, listen }, async (method, params) => {
        const notes: Obj[] = heard = [];
        const m = await ask(method, params, VERSION, false, task);
        heard = undefined;
        return { result: isObj(m?.result) ? m.result : undefined, error: isObj(m?.error) ? m.error : undefined, exchange: `stdio ${method} ${JSON.stringify(params)} -> ${JSON.stringify(m ?? 'no answer')}${notes.length > 0 ? `, with ${JSON.stringify(notes)}` : ''}`, notes };
      }, tools as Tool[], more.allowDestructive === true);
    } else for (const id of ['tasks.unknown-id', 'tasks.terminal-final', 'tasks.input-required', 'tasks.schema', 'tasks.no-progress'] as const) rec.skip(id, `stdio: server/discover lists no ${TASKS_EXTENSION} extension`, 'modern');
    if (offersSkills(caps)) {
      await checkSkills({ rec, timeoutMs }, async (method, params) => {
        const m = await ask(method, params, VERSION, false, SKILLS_CLIENT_CAPABILITIES);
        return { result: isObj(m?.result) ? m.result : undefined, error: isObj(m?.error) ? m.error : undefined, exchange: `stdio ${method} ${JSON.stringify(params)} -> ${JSON.stringify(m ?? 'no answer')}` };
      });
    } else for (const id of ['skills.unknown-uri', 'skills.digest'] as const) rec.skip(id, `stdio: server/discover lists no ${SKILLS_EXTENSION} extension`, 'modern');
    // A process that exited (it crashed on a request above) answers nothing more: said once, not as each later probe's failure.
    if (child.exitCode !== null || child.signalCode !== null) {
      rec.fail('run.reachable', `stdio: the server process exited (${child.exitCode ?? child.signalCode}) during the 2026-07-28 probes, after ${lastMethod}; the listen and cancellation probes were not run`, undefined, 'modern');
      return false;
    }
    const resources = caps.resources ? (await ask('resources/list'))?.result as Obj | undefined : undefined;
    const firstUri = Array.isArray(resources?.resources) && isObj(resources.resources[0]) && typeof resources.resources[0].uri === 'string' ? resources.resources[0].uri : undefined;
    const trigger = more.listenTrigger;
    const triggerTool = (tools as Tool[]).find((x) => isObj(x) && x.name === trigger);
    const triggerCall = async (): Promise<string> => {
      if (triggerTool === undefined) return `the trigger tool ${String(trigger)} is not listed, so it was not called`;
      const m = await ask('tools/call', { name: triggerTool.name, arguments: validArguments(triggerTool.inputSchema) });
      return `the trigger tool ${triggerTool.name} was called (${m === undefined ? 'no answer' : isObj(m.error) ? `error ${String(m.error.code)}` : 'answered'})`;
    };
    listening = true;
    await checkStdioListen(peer, {
      rec, timeoutMs, windowMs: more.listenWindowMs ?? DEFAULT_LISTEN_WINDOW_MS, ...(firstUri === undefined ? {} : { resourceUri: firstUri }),
      ...(trigger === undefined ? {} : { trigger: triggerCall }), request: (id, method, params) => request(id, method, params),
    });
    listening = false;
    judged = await checkStdioCancellation(peer, { rec, timeoutMs, era: 'modern', tools, request: (id, method, params) => request(id, method, params) });
    outside.finish();
    return true;
  } finally {
    split.end();
    if (lines.strayCount > 0) rec.fail('stdio.stdout-messages', `${lines.strayCount} line(s) on stdout are not JSON-RPC messages`, lines.stray[0], 'modern');
    child.stdin!.end();
    const exited = new Promise<void>((resolve) => { if (child.exitCode !== null || child.signalCode !== null) resolve(); else child.once('exit', () => resolve()); });
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(kill);
    // On a process of its own, once this one has gone: the id 0 is taken here.
    if (judged !== undefined) await checkStdioCancelZero({ command, args, rec, timeoutMs, maxLineChars, era: 'modern', tool: judged, request, ...(more.startTimeoutMs === undefined ? {} : { startTimeoutMs: more.startTimeoutMs }) });
  }
}
