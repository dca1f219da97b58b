/**
 * Deliberately broken stdio servers: mcpwire's demo tools over stdio with one framing defect
 * each, so `mcpwire check -- <command>` can be shown to find it with the right rule id.
 * Usage: node --import tsx conformance/faults/stdio-server.ts <mode>. Test-only.
 */
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createServer, serveEras, serveSkills } from 'mcpwire/server';
import { createMemoryTaskStore, createStdioServerTransport } from 'mcpwire/transport';
import { registerDemoTools } from 'mcpwire/examples';
import { registerProbeTools } from './probe-tools.ts';
import { FAULT_NESTED_SKILL, FAULT_SKILL } from './servers.ts';

/** Each mode and the rule `mcpwire check` must fail for it (none for the clean ones). */
export const STDIO_FAULTS = {
  good: undefined,
  /** Logs on stderr, a lot: allowed, never a finding. */
  'stderr-chatty': undefined,
  'log-on-stdout': 'stdio.stdout-messages',
  /** Answers to pings with a string id (the framing check's) are pretty-printed (embedded newlines). */
  'pretty-ping': 'stdio.embedded-newline',
  /** Each read is split on newlines and its unterminated tail dropped (no buffering across reads). */
  'split-read-drops': 'stdio.framing-input',
  /** Only the first line of each read is handled. */
  'first-line-only': 'stdio.framing-input',
  /** Keeps running after stdin closes. */
  'ignores-eof': 'stdio.exit-on-eof',
  /** Answers each notification with an empty result (id null). */
  'answers-notifications': 'jsonrpc.response-correlation',
  /** In a legacy session, answers a method it does not have with an empty result. */
  'unknown-method-result': 'jsonrpc.method-not-found',
  /** Parses ids as numbers: the string id "1001" comes back 1001. */
  'string-id-as-number': 'jsonrpc.response-correlation',
  /** Answers initialize with whatever version the client asked for. */
  'version-echoed': 'lifecycle.version',
  /** Acknowledges only the channel's first subscriptions/listen (as if the ordering were per channel). */
  'listen-ack-once': 'modern.listen-ack',
  /** Fans every resource update out to each listen that asked for any URI: one the listen never named. */
  'listen-other-uri': 'modern.listen-filter',
  /** Answers a listen the client ended with notifications/cancelled (a SubscriptionsListenResult). */
  'listen-answers-cancel': 'cancellation.no-response',
  /** Loses notifications/cancelled: a cancelled call runs on and is answered (both eras). */
  'late-answer-after-cancel': 'cancellation.no-response',
  /** tasks/cancel of a task that completed turns it into cancelled, its result gone. */
  'task-cancel-reopens': 'tasks.terminal-final',
  /** Serves a 2026-07-28 tasks/result (removed by the extension) from its task store, as tasks/get: -32602, not -32601. */
  'task-result-kept': 'modern.removed-methods',
  /** Keeps a 2026-07-28 task's progress token alive (the 2025-11-25 way): each tasks/get answer of the task comes after a notifications/progress naming the creating call's token. */
  'task-progress-kept': 'tasks.no-progress',
  /** Leaves ttlMs out of its 2026-07-28 tasks (CreateTaskResult and tasks/get) when the client set no ttl. */
  'task-no-ttl': 'tasks.schema',
  /** Announces notifications/tools/list_changed, unstamped, before its first 2026-07-28 tool result (a call that registered tools), not on a listen. */
  'list-changed-on-call': 'modern.notification-outside-listen',
  /** Writes notifications/resources/updated, unstamped, before each 2026-07-28 resources/read result of a plain resource (not a skill file): seen only in the driven session, which reads them. */
  'updated-on-read': 'modern.notification-outside-listen',
  /** Sends each task's notifications/tasks to every listen the client opened, not only to the one naming the task. */
  'task-push-unnamed': 'modern.listen-filter',
  /** Its notifications/tasks carry only taskId, status and lastUpdatedAt (the change event, not the stored task). */
  'task-push-partial': 'tasks.schema',
  /** Serves one skill; skills/get of an unknown SKILL.md gets -32603 (a registry lookup that throws), not -32602. */
  'skill-unknown-internal-error': 'skills.unknown-uri',
  /** Serves a 2026-07-28 request whose _meta lacks clientCapabilities as if it declared none. */
  'meta-caps-defaulted': 'modern.meta-required',
  /** Logs at info for every 2026-07-28 request, whether or not its _meta names a logLevel (it has a tool that logs). */
  'logs-unasked': 'modern.log-level',
  /** Ported from 2025-11-25: writes each input request of a 2026-07-28 InputRequiredResult to stdout as a JSON-RPC request first. */
  'asks-as-requests': 'modern.server-request',
  /** Takes a request with the id 0 for a notification (a truthiness test of the id): never answered. */
  'zero-id-as-notification': 'jsonrpc.zero-id',
  /** Ignores notifications/cancelled naming the id 0 (`if (!requestId) return`, typescript-sdk PR #2654): that call runs on and is answered (both eras). */
  'ignores-cancel-zero': 'cancellation.no-response',
  /** Sends one more progress for a call after its response (a last "done" progress not awaited before the result). */
  'progress-after-answer': 'progress.token',
  /** Exits with code 3 on reading its first tools/call (a crash mid-check): the report says so, in bounded time. */
  'crashes-on-call': 'run.reachable',
  /**
   * Correct, but stalls: what follows a check's cancel is read 700 ms late, so the call is
   * answered before the server has read the cancel (a crossing the spec allows): no finding.
   */
  'stalls-on-cancel': undefined,
  /** Correct, and serves the 2026-07-28 era only (serveEras `eras: 'modern'`): initialize gets -32022. */
  'modern-only': undefined,
} as const;
export type StdioMode = keyof typeof STDIO_FAULTS;

/** The faults of JSON-RPC and lifecycle rules (stdio-jsonrpc-faults.test.ts); the rest are framing faults (stdio-faults.test.ts). */
export const STDIO_JSONRPC_MODES: ReadonlySet<StdioMode> = new Set(['answers-notifications', 'unknown-method-result', 'string-id-as-number', 'version-echoed']);
/** The faults of ids (stdio-id-faults.test.ts). */
export const STDIO_ID_MODES: ReadonlySet<StdioMode> = new Set(['zero-id-as-notification']);
/** A server that crashes mid-check (stdio-not-mcp.test.ts, with programs that are not MCP servers). */
export const STDIO_CRASH_MODES: ReadonlySet<StdioMode> = new Set(['crashes-on-call']);
/** Cancellation of the id 0 (stdio-cancel-zero-faults.test.ts: its own file, as it starts two more processes). */
export const STDIO_CANCEL_ZERO_MODES: ReadonlySet<StdioMode> = new Set(['ignores-cancel-zero']);
/** The faults of progress order (stdio-progress-faults.test.ts: its own file, as each stdio run costs about 30 s under load). */
export const STDIO_PROGRESS_MODES: ReadonlySet<StdioMode> = new Set(['progress-after-answer']);
/** The faults of reading stdin (stdio-input-faults.test.ts); the other framing faults are in stdio-faults.test.ts. */
export const STDIO_INPUT_MODES: ReadonlySet<StdioMode> = new Set(['split-read-drops', 'first-line-only']);
/** The faults of 2026-07-28 listens (stdio-listen-faults.test.ts): the missing acknowledgement costs a whole exchange bound. */
export const STDIO_LISTEN_MODES: ReadonlySet<StdioMode> = new Set(['listen-ack-once', 'listen-other-uri', 'listen-answers-cancel']);
/** The faults of tasks and cancellation (stdio-modern-faults.test.ts). */
export const STDIO_MODERN_MODES: ReadonlySet<StdioMode> = new Set(['late-answer-after-cancel', 'task-cancel-reopens', 'logs-unasked', 'task-result-kept', 'task-progress-kept']);
/** The faults of 2026-07-28 request fields, task fields and skills (stdio-fields-faults.test.ts: split off for the runner's bound per file). */
export const STDIO_FIELDS_MODES: ReadonlySet<StdioMode> = new Set(['task-no-ttl', 'skill-unknown-internal-error', 'meta-caps-defaulted']);
/** The faults of what a 2026-07-28 server sends unasked: requests, change notifications (stdio-request-faults.test.ts). */
export const STDIO_REQUEST_MODES: ReadonlySet<StdioMode> = new Set(['asks-as-requests', 'list-changed-on-call']);
/** The faults only the driven 2026-07-28 session meets (stdio-driven-faults.test.ts: its own file for the runner's bound). */
export const STDIO_DRIVEN_MODES: ReadonlySet<StdioMode> = new Set(['updated-on-read']);
/** The faults of task pushes on listens (stdio-task-push-faults.test.ts). */
export const STDIO_TASK_PUSH_MODES: ReadonlySet<StdioMode> = new Set(['task-push-unnamed', 'task-push-partial']);
const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';
/** How long stalls-on-cancel holds what follows a cancel: past the settle tool's 400 ms. */
const STALL_MS = 700;

/**
 * What the input side learnt that the output side needs: the process speaks the legacy era (it
 * saw initialize), the version asked for, and the tasks the client cancelled.
 */
interface Seen { legacy: boolean; asked?: string; cancelledTasks: Set<string>; tokens: Map<string, unknown>; taskTokens: Map<string, unknown>; skillGets: Set<string>; asks: number; listens: Set<string>; announced: boolean }

/** What reaches the server from stdin, per mode. */
function input(mode: StdioMode, pings: Set<string>, seen: Seen): PassThrough {
  const into = new PassThrough();
  let held = '';
  process.stdin.setEncoding('utf8');
  // stalls-on-cancel: from a check's cancel on, reads wait STALL_MS, in order (the end too).
  const stalled: string[] = [];
  let ended = false;
  const flush = () => {
    for (const read of stalled.splice(0)) take(read);
    if (ended) into.end();
  };
  process.stdin.on('data', (read: string) => {
    if (mode === 'stalls-on-cancel' && (stalled.length > 0 || read.includes('"method":"notifications/cancelled","params":{"requestId":"check-cancel-'))) {
      if (stalled.length === 0) setTimeout(flush, STALL_MS);
      stalled.push(read);
      return;
    }
    take(read);
  });
  function take(read: string): void {
    let chunk = read;
    if (mode === 'stderr-chatty') process.stderr.write(`read ${chunk.length} chars\nstill fine\n`);
    for (const m of chunk.matchAll(/"id":("[^"]*"),"method":"ping"/g)) pings.add(m[1]!);
    if (mode === 'answers-notifications') for (const _ of chunk.matchAll(/"method":"notifications\/[^"]*"/g)) process.stdout.write('{"jsonrpc":"2.0","id":null,"result":{}}\n');
    if (chunk.includes('"method":"initialize"')) seen.legacy = true;
    const asked = /"method":"initialize".*?"protocolVersion":"([^"]*)"/.exec(chunk)?.[1];
    if (asked !== undefined) seen.asked = asked;
    for (const m of chunk.matchAll(/"method":"tasks\/cancel","params":\{"taskId":"([^"]*)"/g)) seen.cancelledTasks.add(m[1]!);
    for (const m of chunk.matchAll(/"id":(-?\d+|"[^"]*"),"method":"skills\/get"/g)) seen.skillGets.add(m[1]!);
    for (const m of chunk.matchAll(/"id":"([^"]*)","method":"subscriptions\/listen"/g)) seen.listens.add(m[1]!);
    // One task router for both eras: a 2026-07-28 tasks/result reaches the store's lookup.
    if (mode === 'meta-caps-defaulted') chunk = chunk.split('\n').map((l) => (l.includes('"2026-07-28"') && !l.includes('"io.modelcontextprotocol/clientCapabilities"') ? l.replace('"io.modelcontextprotocol/protocolVersion":', '"io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/protocolVersion":') : l)).join('\n');
    if (mode === 'task-result-kept') chunk = chunk.split('\n').map((l) => (l.includes('"2026-07-28"') ? l.replace('"method":"tasks/result"', '"method":"tasks/get"') : l)).join('\n');
    // The request id -> progressToken of each request (ids come before the method on our client's lines).
    for (const line of chunk.split('\n')) {
      const token = /"progressToken":(-?\d+|"[^"]*")/.exec(line)?.[1];
      const id = /^\{"jsonrpc":"2\.0","id":(-?\d+|"[^"]*")/.exec(line)?.[1];
      if (token !== undefined && id !== undefined) seen.tokens.set(id, JSON.parse(token));
    }
    if (mode === 'listen-answers-cancel') {
      for (const m of chunk.matchAll(/"method":"notifications\/cancelled","params":\{"requestId":"(check-listen-[^"]*)"/g)) {
        process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: m[1], result: { resultType: 'complete', _meta: { [SUBSCRIPTION_ID]: m[1] } } })}\n`);
      }
    }
    // A server with a default log level: each modern request is taken as asking for info logs.
    if (mode === 'logs-unasked' && !chunk.includes('"io.modelcontextprotocol/logLevel"')) chunk = chunk.replaceAll('"io.modelcontextprotocol/protocolVersion":"2026-07-28"', '"io.modelcontextprotocol/logLevel":"info","io.modelcontextprotocol/protocolVersion":"2026-07-28"');
    if (mode === 'zero-id-as-notification') chunk = chunk.replaceAll('{"jsonrpc":"2.0","id":0,', '{"jsonrpc":"2.0",');
    if (mode === 'crashes-on-call' && chunk.includes('"method":"tools/call"')) process.exit(3);
    if (mode === 'ignores-cancel-zero') chunk = chunk.split('\n').filter((l) => !l.includes('"method":"notifications/cancelled","params":{"requestId":0,')).join('\n');
    if (mode === 'late-answer-after-cancel') chunk = chunk.split('\n').filter((l) => !l.includes('"method":"notifications/cancelled"')).join('\n');
    if (mode === 'split-read-drops') {
      const lines = chunk.split('\n');
      lines.pop();
      for (const l of lines) into.write(`${l}\n`);
    } else if (mode === 'first-line-only') {
      const complete = held + chunk;
      const end = complete.indexOf('\n');
      held = end < 0 ? complete : '';
      if (end >= 0) into.write(complete.slice(0, end + 1));
    } else into.write(chunk);
  }
  process.stdin.on('end', () => {
    if (mode === 'ignores-eof') return;
    if (stalled.length > 0) ended = true;
    else into.end();
  });
  return into;
}

/** What the server writes, per mode, on its way to stdout. */
function output(mode: StdioMode, pings: Set<string>, seen: Seen): PassThrough {
  const out = new PassThrough();
  let partial = '';
  let acks = 0;
  const lastProgress = new Map<unknown, number>(); // progressToken -> last progress sent
  out.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      const m = JSON.parse(l) as { id?: unknown; method?: unknown; params?: { _meta?: Record<string, unknown>; notifications?: { resourceSubscriptions?: unknown }; progressToken?: unknown; progress?: unknown }; error?: { code?: unknown }; result?: { protocolVersion?: unknown; taskId?: unknown; status?: unknown; resultType?: unknown } };
      if (mode === 'progress-after-answer') {
        if (m.method === 'notifications/progress' && typeof m.params?.progress === 'number') lastProgress.set(m.params.progressToken, m.params.progress);
        const token = m.method === undefined && m.id !== undefined ? seen.tokens.get(JSON.stringify(m.id)) : undefined;
        const last = token === undefined ? undefined : lastProgress.get(token);
        if (last !== undefined) {
          lastProgress.delete(token);
          process.stdout.write(`${l}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: last + 1, message: 'done' } })}\n`);
          continue;
        }
      }
      if (m.method === 'notifications/subscriptions/acknowledged') {
        if (mode === 'listen-ack-once' && ++acks > 1) continue;
        if (mode === 'listen-other-uri' && Array.isArray(m.params?.notifications?.resourceSubscriptions)) {
          process.stdout.write(`${l}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'fault://notes/other', _meta: { [SUBSCRIPTION_ID]: m.params?._meta?.[SUBSCRIPTION_ID] } } })}\n`);
          continue;
        }
      }
      if (mode === 'asks-as-requests' && m.result?.resultType === 'input_required') {
        const asks = (m.result as { inputRequests?: Record<string, { method?: unknown; params?: unknown }> }).inputRequests ?? {};
        for (const a of Object.values(asks)) process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: `srv-${++seen.asks}`, method: a.method, params: a.params })}\n`);
      }
      if (mode === 'list-changed-on-call' && !seen.announced && m.result?.resultType === 'complete' && Array.isArray((m.result as { content?: unknown }).content)) {
        seen.announced = true; // once: the listen probe's trigger call later would make it that probe's stray
        process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })}\n`);
      }
      const read = mode === 'updated-on-read' && m.result?.resultType === 'complete' ? (m.result as { contents?: Array<{ uri?: unknown }> }).contents?.[0]?.uri : undefined;
      if (typeof read === 'string' && !read.startsWith('skill://')) process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: read } })}\n`);
      if (m.method === 'notifications/tasks' && (mode === 'task-push-unnamed' || mode === 'task-push-partial')) {
        const params = m.params as Record<string, unknown> & { _meta?: Record<string, unknown> };
        if (mode === 'task-push-partial') process.stdout.write(`${JSON.stringify({ ...m, params: { taskId: params.taskId, status: params.status, lastUpdatedAt: params.lastUpdatedAt, _meta: params._meta } })}\n`);
        else for (const id of seen.listens) process.stdout.write(`${JSON.stringify({ ...m, params: { ...params, _meta: { ...params._meta, [SUBSCRIPTION_ID]: id } } })}\n`);
        continue;
      }
      if (mode === 'task-progress-kept' && typeof m.result?.taskId === 'string') {
        const created = m.result.resultType === 'task' ? seen.tokens.get(JSON.stringify(m.id)) : undefined;
        if (created !== undefined) seen.taskTokens.set(m.result.taskId, created);
        const token = m.result.resultType === 'complete' ? seen.taskTokens.get(m.result.taskId) : undefined;
        if (token !== undefined) process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: ++seen.asks, message: 'working' } })}\n`);
      }
      if (mode === 'task-cancel-reopens' && m.result?.resultType === 'complete' && typeof m.result.taskId === 'string' && seen.cancelledTasks.has(m.result.taskId)) {
        const { result: _result, ...task } = m.result as Record<string, unknown>;
        process.stdout.write(`${JSON.stringify({ ...m, result: { ...task, status: 'cancelled' } })}\n`);
        continue;
      }
      if (mode === 'task-no-ttl' && typeof m.result?.taskId === 'string' && 'ttlMs' in m.result) {
        const { ttlMs: _dropped, ...task } = m.result as Record<string, unknown>;
        process.stdout.write(`${JSON.stringify({ ...m, result: task })}\n`);
        continue;
      }
      if (mode === 'skill-unknown-internal-error' && m.error?.code === -32602 && seen.skillGets.has(JSON.stringify(m.id))) {
        process.stdout.write(`${JSON.stringify({ ...m, error: { code: -32603, message: "Cannot read properties of undefined (reading 'entry')" } })}\n`);
        continue;
      }
      if (mode === 'string-id-as-number' && typeof m.id === 'string' && /^\d+$/.test(m.id)) { process.stdout.write(`${JSON.stringify({ ...m, id: Number(m.id) })}\n`); continue; }
      if (mode === 'version-echoed' && typeof m.result?.protocolVersion === 'string' && seen.asked !== undefined) { process.stdout.write(`${JSON.stringify({ ...m, result: { ...m.result, protocolVersion: seen.asked } })}\n`); continue; }
      const pretty = mode === 'pretty-ping' && m.id !== undefined && pings.has(JSON.stringify(m.id));
      if (mode === 'unknown-method-result' && seen.legacy && m.error?.code === -32601) process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} })}\n`);
      else process.stdout.write(`${pretty ? JSON.stringify(m, null, 2) : l}\n`);
    }
  });
  return out;
}

async function main(mode: StdioMode): Promise<void> {
  const server = createServer({ name: `stdio-fault-${mode}`, version: '1.0.0' }, { onError: () => undefined, tasks: { store: createMemoryTaskStore() } });
  registerDemoTools(server);
  registerProbeTools(server);
  if (mode === 'logs-unasked') server.tool({ name: 'noisy', description: 'Logs one line.', annotations: { readOnlyHint: true } }, async (_args, ctx) => { await ctx.log('info', 'working'); return 'done'; });
  if (mode === 'skill-unknown-internal-error') await serveSkills(server, [FAULT_SKILL, FAULT_NESTED_SKILL]);
  if (mode === 'log-on-stdout') process.stdout.write('server starting on stdio\n');
  if (mode === 'ignores-eof') setInterval(() => undefined, 60_000); // never exits by itself
  const pings = new Set<string>();
  const seen: Seen = { legacy: false, cancelledTasks: new Set(), tokens: new Map(), taskTokens: new Map(), skillGets: new Set(), asks: 0, listens: new Set(), announced: false };
  const transport = createStdioServerTransport({ stdin: input(mode, pings, seen), stdout: output(mode, pings, seen), onDiagnostic: (t) => process.stderr.write(`${t}\n`) });
  await new Promise<void>((resolve, reject) => {
    serveEras(server, transport, { onEnd: () => resolve(), onError: (e) => process.stderr.write(`${e.message}\n`), ...(mode === 'modern-only' ? { eras: 'modern' as const } : {}) }).catch(reject);
  });
}

/** Run as a script (the test imports only the table above). */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode === undefined || !(mode in STDIO_FAULTS)) {
    process.stderr.write(`usage: stdio-server.ts <${Object.keys(STDIO_FAULTS).join('|')}>\n`);
    process.exit(2);
  }
  await main(mode as StdioMode);
}
