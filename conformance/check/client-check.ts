/**
 * The client under test: mcpwire plays a scripted server on loopback HTTP, runs the client's
 * command with `{url}` replaced by its address, and checks everything the client sends:
 * schema, handshake order, headers (Accept, session id, protocol version), re-initialization
 * after a 404 for an expired session, capability gating, and answers to the server's
 * elicitation, sampling and roots requests (2025-11-25 basic/transports, basic/lifecycle).
 */
import { spawn } from 'node:child_process';
import { createServer, createMcpHttpHandler, type McpHttpHandler, type McpServer } from 'mcpwire/server';
import { createMemoryTaskStore, listen } from 'mcpwire/transport';
import { createMessageValidator, type MessageValidator } from '../validate.ts';
import { createRecorder, type FindingRecorder, type RuleFilter } from './findings.ts';
import { RULE_IDS, type RuleId } from './catalog.ts';
import { readReplyText } from './raw-http.ts';
import { mapResponseMessages } from './rewrite.ts';
import { makeReport, NOT_RUN_PREFIX, type CheckReport } from './report.ts';
import { createModernWatch, speaksModern } from './client-modern.ts';
import { expandServer, hostStdioClients, judgeStdioClient, skipHttpClientRules, SERVER_PLACEHOLDER, STDIO_CLIENT_RULES, UNDECLARED } from './client-stdio.ts';
import { VALIDATOR_RULE_IDS } from './validator-rules.ts';
import { createZeroIdSwap } from './client-zero-id.ts';
import { TASK_POLL_MS, TASK_WORK_MS } from './client-tasks.ts';
import type { Obj } from '../validate-schema-checks.ts';
import { createSamplingToolsProbe, type SamplingToolsProbe } from './client-sampling-tools.ts';
import { createNetworkRefProbe, REF_TOOL_NAME, type NetworkRefProbe } from './client-network-ref.ts';

/** Options of {@link runClientCheck}. */
export interface ClientCheckOptions extends RuleFilter {
  /**
   * The client's command; `{url}` in any argument becomes the scripted server's URL, or, for a
   * stdio client, `{server}` the command that starts the scripted server on the child's stdio.
   */
  readonly command: readonly string[];
  /** Longest the client may run, ms. Default 60 000. */
  readonly timeoutMs?: number;
  /**
   * How long a sampling probe waits for the client's answer, and how long a 2026-07-28 client
   * may take to end a call it refuses, ms. Default 10 000 (`ASK_TIMEOUT_MS`).
   */
  readonly askTimeoutMs?: number;
}

/** Default bound on the client command's run, ms. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 60_000;
const VERSION = '2025-11-25';
const MODERN = '2026-07-28';
/** check_progress pauses this long after each step; SSE connections are cut after CUT_MS, so its stream is cut. */
const STEP_MS = 200;
const CUT_MS = 300;
/**
 * The `retry` the scripted server sends before it cuts a connection: long enough that a client
 * reconnecting at once is told from one that waited, on a loaded machine too.
 */
export const RETRY_MS = 250;
/** A resume sooner than this after its stream was cut did not wait out `retry` (the timers' slack allowed for). */
const RETRY_FLOOR_MS = RETRY_MS - 25;
/**
 * The scripted server's body bound (its `maxBodyBytes`): a POST is read this far to be judged,
 * then the server answers 413. Read whole, a client's endless body grew the check until it ended.
 */
const MAX_POST_BYTES = 4 * 1024 * 1024;

/**
 * The scripted server (HTTP, and behind the stdio relay): tools that make the server talk back
 * (progress, logs, each kind of request); `probe` adds check_ask's sampling-with-tools asks.
 */
export function scriptedServer(probe?: SamplingToolsProbe): McpServer {
  // Tasks (2026-07-28: the io.modelcontextprotocol/tasks extension) so a client's task polling can be judged (client-tasks.ts).
  const server = createServer({ name: 'mcpwire-check-scripted', version: '0.1.0' }, { onError: () => undefined, tasks: { store: createMemoryTaskStore(), pollIntervalMs: TASK_POLL_MS } });
  const readOnly = { readOnlyHint: true } as const;
  server.tool({ name: 'check_progress', description: 'Reports progress three times, slowly (its stream is cut and must be resumed), and logs once.', annotations: readOnly }, async (_a, ctx) => {
    for (const step of [1, 2, 3]) {
      await ctx.progress(step, 3, `step ${step}`);
      await new Promise((resolve) => setTimeout(resolve, STEP_MS));
    }
    await ctx.log('info', 'progress done');
    return 'done';
  });
  server.tool({ name: 'check_ask', description: 'Asks the client for roots, a sample and a form, each it declared.', annotations: readOnly }, async (_a, ctx) => {
    const said: string[] = [];
    const caps = ctx.clientCapabilities;
    if (caps.roots) said.push(`roots: ${(await ctx.listRoots()).length}`);
    if (caps.sampling) said.push(`sample: ${JSON.stringify((await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Say ok.' } }], maxTokens: 5 })).content)}`);
    if (caps.elicitation) {
      const form = await ctx.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
      said.push(`form: ${form.action}`);
      // 2025-11-25 client/elicitation: URL mode only to a client that declared it.
      if ((caps.elicitation as { url?: unknown }).url !== undefined) {
        const link = await ctx.elicit({ mode: 'url', message: 'Open this page to finish (mcpwire check).', url: 'https://example.invalid/mcpwire-check' });
        said.push(`url: ${link.action}`);
      }
    }
    // Sampling with tools (client-sampling-tools.ts), last: a 2026-07-28 client that refuses its round ends the call.
    if (caps.sampling && probe) said.push(await probe.ask(ctx));
    return said.join('; ') || 'the client declared nothing to ask';
  });
  // 2026-07-28 streamable-http: a marked argument a modern client over HTTP mirrors in Mcp-Param-Region (client.param-headers).
  server.tool({
    name: 'check_region', description: 'Echoes its region; the region is mirrored in the Mcp-Param-Region header (x-mcp-header).', annotations: readOnly,
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } },
  }, (args: { region?: string }) => `region: ${args.region ?? '(none)'}`);
  server.tool({ name: 'check_task', description: 'Becomes a task when the request declares the tasks extension, and works a few poll intervals; otherwise answers at once.', annotations: readOnly, execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    if (ctx.taskId === undefined) return 'done (no task)';
    await new Promise((resolve) => setTimeout(resolve, TASK_WORK_MS));
    return 'done';
  });
  // Listed last (the session's expiry follows the first tool call other than check_progress); its
  // inputSchema gets a network $ref on the wire (client-network-ref.ts: our library refuses one).
  server.tool({
    name: REF_TOOL_NAME, description: 'Answers at once; its profile argument is described by a schema at a URL, which a client must not fetch by default.', annotations: readOnly,
    inputSchema: { type: 'object' },
  }, () => 'done');
  return server;
}

interface Session {
  readonly validator: MessageValidator;
  /** The id of the initialize request that opened it. */
  readonly initializeId: unknown;
  initialized: boolean;
  expired: boolean;
}

/**
 * Watches the client's HTTP traffic: headers, order, schema; expires the first session after its
 * first tool call other than check_progress (whose stream is cut instead): a client that calls the
 * tools in their listed order is asked by check_ask before the expiry, in the session it opened.
 */
function watch(rec: FindingRecorder, inner: (r: Request) => Promise<Response>, probe: SamplingToolsProbe, ref: NetworkRefProbe) {
  const offer = <T>(m: T): T => ref.offer(probe.offer(m));
  const sessions = new Map<string, Session>();
  const failOnce = new Set<string>();
  let expiredOnce = false;
  const unanswered = new Map<string, Obj>(); // server request id -> request
  const progressEventIds = new Set<string>(); // event ids of check_progress's POST stream
  let progressCalled = false;
  let resumed = false;
  const streamOf = new Map<string, { endedAt?: number }>(); // event id of check_progress's streams -> its stream
  const hasty: string[] = []; // resumes that came sooner than retry
  let hit404 = false; // a POST of the expired session was answered 404
  let reinit = false; // an initialize without a session id came after the expiry
  const modern = createModernWatch(rec, offer);
  const zeroId = createZeroIdSwap();
  const initializeIds = new Set<string>(); // the client's initialize ids (typeof:value), sent before any session
  const idKey = (id: unknown): string => `${typeof id}:${String(id)}`;
  const urlAsked = new Set<string>(); // ids of URL-mode elicitations sent
  let urlAnswered = 0;
  let requests = 0; // every HTTP request the client made, of any method and era
  const fail = (id: Parameters<FindingRecorder['fail']>[0], detail: string, exchange: unknown) => {
    if (failOnce.has(id)) return;
    failOnce.add(id);
    rec.fail(id, detail, exchange);
  };
  async function handle(request: Request): Promise<Response> {
    requests++;
    probe.heard();
    const sid = request.headers.get('mcp-session-id');
    // Over the bound: not judged here; the server's own read refuses it (413).
    const text = request.method === 'POST' ? await readReplyText(request.clone().body, MAX_POST_BYTES).catch(() => '') : '';
    let body: Obj | undefined;
    try { body = text ? (JSON.parse(text) as Obj) : undefined; } catch { body = undefined; }
    // 2026-07-28: a client that speaks modern is answered (and checked) in that era.
    if (request.method === 'POST' && body && sid === null && speaksModern(request, body)) return modern.handle(request, body, text, inner);
    const unswapped = body && zeroId.incoming(body);
    if (unswapped) {
      body = unswapped;
      request = new Request(request, { body: JSON.stringify(unswapped) });
    }
    const session = sid === null ? undefined : sessions.get(sid);
    if (session?.expired) {
      if (request.method === 'POST') hit404 = true;
      return new Response(null, { status: 404 });
    }
    if (expiredOnce && body?.method === 'initialize' && sid === null) reinit = true;
    const lastEventId = request.headers.get('last-event-id');
    const resuming = request.method === 'GET' && lastEventId !== null && progressEventIds.has(lastEventId);
    if (resuming) {
      resumed = true;
      // 2025-11-25 basic/transports: "The client MUST respect the retry field, waiting the given number of milliseconds before attempting to reconnect."
      const endedAt = streamOf.get(lastEventId)?.endedAt;
      if (endedAt !== undefined && Date.now() - endedAt < RETRY_FLOOR_MS) hasty.push(`GET with Last-Event-ID ${lastEventId} came ${Date.now() - endedAt} ms after its stream was cut (retry: ${RETRY_MS})`);
    }
    const called = body?.method === 'tools/call' ? (body.params as Obj | undefined)?.name : undefined;
    const isProgressCall = called === 'check_progress';
    if (isProgressCall) progressCalled = true;
    if (request.method === 'POST') {
      const accept = request.headers.get('accept') ?? '';
      if (!accept.includes('application/json') || !accept.includes('text/event-stream')) fail('client.accept', `POST with Accept "${accept}"`, text);
      if (body?.method !== 'initialize') {
        // After an unanswered 404 a request without the id is the missing re-initialize, reported as that.
        if (sid === null && !(hit404 && !reinit)) fail('client.session-id', `${String(body?.method ?? 'a response')} sent without Mcp-Session-Id`, text);
        const pv = request.headers.get('mcp-protocol-version');
        if (pv !== VERSION) fail('client.protocol-version-header', `${String(body?.method ?? 'a response')} sent with MCP-Protocol-Version ${pv ?? '(none)'}`, text);
      }
      if (body?.method === 'initialize') initializeIds.add(idKey(body.id));
      // 2025-11-25 schema.json, CancelledNotification: "A client MUST NOT attempt to cancel its `initialize` request."
      if (body?.method === 'notifications/cancelled') {
        const target = idKey((body.params as Obj | undefined)?.requestId);
        if (session ? target === idKey(session.initializeId) : initializeIds.has(target)) fail('client.cancel-initialize', `notifications/cancelled names ${target.split(':').slice(1).join(':')}, the id of the client's initialize request`, text);
      }
      if (body && !('method' in body) && 'id' in body) {
        unanswered.delete(String(body.id));
        if (urlAsked.has(String(body.id))) urlAnswered++;
      }
      if (session && body) {
        if (!session.initialized && 'method' in body && 'id' in body && body.method !== 'ping') fail('client.initialize-first', `${String(body.method)} before notifications/initialized`, text);
        if (body.method === 'notifications/initialized') session.initialized = true;
        for (const v of session.validator.validate(body, 'client-to-server')) fail(VALIDATOR_RULE_IDS[v.definition] ?? 'client.schema', `${v.message} [${v.definition}: ${v.detail}]`, v.raw);
        if (typeof body.method === 'string' && UNDECLARED.test(body.method)) {
          fail('client.capability-gating', `${body.method} called; the scripted server declares only tools and logging`, text);
        }
      }
    }
    const response = await inner(request);
    const newSid = response.headers.get('mcp-session-id');
    if (body?.method === 'initialize' && newSid !== null && !sessions.has(newSid)) {
      const validator = createMessageValidator(VERSION);
      validator.validate(body, 'client-to-server');
      sessions.set(newSid, { validator, initializeId: body.id, initialized: false, expired: false });
    }
    const owner = sessions.get(newSid ?? sid ?? '');
    if (!owner) return response;
    // Every event id of check_progress's stream, the priming event's too: a client that saw only
    // that one (no progressToken, so no progress events) resumes from it.
    const stream: { endedAt?: number } = {};
    const noteId = (id: string) => { if (isProgressCall || resuming) { progressEventIds.add(id); streamOf.set(id, stream); } };
    return mapResponseMessages(response, (m) => {
      m = offer(m);
      owner.validator.validate(m, 'server-to-client');
      if (typeof m.method === 'string' && 'id' in m) unanswered.set(String(m.id), m);
      if (m.method === 'elicitation/create' && (m.params as Obj | undefined)?.mode === 'url') urlAsked.add(String(m.id));
      // 2025-11-25 basic/transports: the server MAY end a session; the client must start anew on 404.
      if (!expiredOnce && called !== undefined && !isProgressCall && 'result' in m && Array.isArray((m.result as Obj).content)) {
        expiredOnce = true;
        queueMicrotask(() => { owner.expired = true; });
      }
      return zeroId.outgoing(m);
    }, noteId, () => { stream.endedAt = Date.now(); });
  }
  return { handle, requests: () => requests, sessions, modern, zeroId, urlElicitations: () => ({ asked: urlAsked.size, answered: urlAnswered }), unanswered, resume: (): 'unseen' | 'yes' | 'no' => (resumed ? 'yes' : progressCalled ? 'no' : 'unseen'), hasty, reinitialized: (): 'unseen' | 'yes' | 'no' => (reinit ? 'yes' : hit404 ? 'no' : 'unseen'), expired: () => expiredOnce };
}

/** How the client command ended, in words. */
function ended(code: number | null, timeoutMs: number): string {
  return code === null ? `was killed after ${timeoutMs} ms (--timeout)` : `exited with code ${code}`;
}

/**
 * `client.exit`: the command's exit code, or that it was killed at the bound. The command's, in
 * no era: it said `legacy` (the recorder's default) for a client that never connected.
 */
function judgeExit(rec: FindingRecorder, code: number | null, output: string, timeoutMs: number): void {
  if (code === 0) rec.pass('client.exit', 'exit 0', 'any');
  else rec.fail('client.exit', code === null ? `killed after ${timeoutMs} ms (--timeout)` : `exit ${code}`, output === '' ? undefined : output, 'any');
}

/**
 * The client never reached the scripted server: like a server never reached (runner.ts), the
 * check could not run. `run.reachable` fails saying so, and each of `rules` with no finding is
 * recorded as not run, with why, rather than passed on nothing seen (\`mcpwire check\` exits 3).
 */
function recordClientNotRun(rec: FindingRecorder, rules: readonly RuleId[], detail: string, output: string): void {
  rec.fail('run.reachable', detail, output === '' ? undefined : output, 'any');
  const recorded = new Set<string>(rec.findings.map((f) => f.id));
  for (const id of rules) if (!recorded.has(id)) rec.skip(id, `${NOT_RUN_PREFIX}the client never connected to the scripted server (the reachability failure)`, 'any');
}

/** Every client rule but client.exit, which judges the command itself. */
const CLIENT_RULES = RULE_IDS.filter((id) => id.startsWith('client.') && id !== 'client.exit');

function runCommand(command: readonly string[], url: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  const [cmd, ...args] = command.map((part) => part.replaceAll('{url}', url));
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => { output = (output + d.toString('utf8')).slice(-4_000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

/** Run the client command against the scripted server and report what it did. */
export async function runClientCheck(options: ClientCheckOptions): Promise<CheckReport> {
  const started = new Date();
  const rec = createRecorder(options, 'legacy');
  if (options.command.some((part) => part.includes(SERVER_PLACEHOLDER))) return runStdioClientCheck(options, rec, started);
  let handler: McpHttpHandler | undefined;
  const probe = createSamplingToolsProbe(options.askTimeoutMs);
  const ref = await createNetworkRefProbe();
  const watcher = watch(rec, (r) => handler!.handle(r), probe, ref);
  const http = await listen((r) => watcher.handle(r), { port: 0 });
  // 2025-11-25 basic/transports: the server MAY close a connection after an event with an id; the client resumes.
  handler = createMcpHttpHandler(scriptedServer(probe), {
    allowedHosts: [`127.0.0.1:${http.port}`, `localhost:${http.port}`], maxConnectionMs: CUT_MS, retryMs: RETRY_MS, maxBodyBytes: MAX_POST_BYTES,
  });
  const url = `http://127.0.0.1:${http.port}/mcp`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  try {
    const { code, output } = await runCommand(options.command, url, timeoutMs);
    const end = { at: Date.now(), killed: code === null };
    judgeExit(rec, code, output, timeoutMs);
    if (watcher.requests() === 0) {
      recordClientNotRun(rec, CLIENT_RULES, `the client sent no request to the scripted server at ${url}; the command ${ended(code, timeoutMs)}`, output);
      return makeReport(`client: ${options.command.join(' ')}`, [], started, rec.findings);
    }
    watcher.modern.finish();
    probe.finish(rec, end);
    ref.finish(rec);
    const legacySeen = watcher.sessions.size > 0 || watcher.modern.seen === 0;
    if (!legacySeen) {
      // A modern-only client: no sessions, handshake or resumption to judge (2026-07-28 basic/index, statelessness).
      return makeReport(`client: ${options.command.join(' ')}`, [MODERN], started, rec.findings);
    }
    if (watcher.sessions.size === 0) rec.fail('client.initialize-first', 'the client never initialized a session', output);
    const r = watcher.reinitialized();
    if (r === 'yes') rec.pass('client.reinitialize', 'a new initialize without a session id followed the 404');
    else if (r === 'no') rec.fail('client.reinitialize', 'the client kept using the expired session (or stopped) after the 404', output);
    else rec.skip('client.reinitialize', watcher.expired() ? 'the client sent nothing after its session expired' : 'the client called no tool but check_progress (whose stream is cut instead), so its session was never expired');
    const resume = watcher.resume();
    if (resume === 'yes') rec.pass('client.resume', 'the cut check_progress stream was resumed with Last-Event-ID');
    else if (resume === 'no') rec.fail('client.resume', 'check_progress\'s stream was cut and never resumed with Last-Event-ID', output);
    else rec.skip('client.resume', 'the client never called check_progress, whose stream is cut');
    if (watcher.hasty.length > 0) rec.fail('client.retry-wait', `${watcher.hasty.length} resume(s) did not wait out retry: ${watcher.hasty[0]!}`, watcher.hasty.join('\n'));
    else if (resume === 'yes') rec.pass('client.retry-wait', `every resume of check_progress's stream came ${RETRY_FLOOR_MS} ms or more after the cut (retry: ${RETRY_MS})`);
    else rec.skip('client.retry-wait', 'the client resumed no cut stream');
    const urlElicit = watcher.urlElicitations();
    if (urlElicit.asked > 0) rec.pass('client.url-elicitation', `${urlElicit.answered} of ${urlElicit.asked} URL-mode elicitation(s) answered (schema in client.schema)`);
    else rec.skip('client.url-elicitation', 'the client did not declare URL-mode elicitation, or never called check_ask');
    watcher.zeroId.finish(rec, watcher.unanswered);
    const left = [...watcher.unanswered.values()];
    if (left.length > 0) rec.fail('client.answers', `${left.length} server request(s) never answered: ${left.map((m) => String(m.method)).join(', ')}`, left[0]);
    for (const id of ['client.answers', 'client.schema', 'client.accept', 'client.session-id', 'client.protocol-version-header', 'client.initialize-first', 'client.capability-gating', 'client.cancel-initialize', 'client.roots-file-uri'] as const) {
      if (!rec.findings.some((f) => f.id === id && f.outcome === 'fail')) rec.pass(id, watcher.sessions.size > 0 ? 'every message seen kept the rule' : 'nothing seen');
    }
  } finally {
    await handler.close();
    await http.close();
    await ref.close();
  }
  return makeReport(`client: ${options.command.join(' ')}`, watcher.modern.seen > 0 ? [VERSION, MODERN] : [VERSION], started, rec.findings);
}

/** A stdio client: its command starts our scripted server through `{server}` (client-stdio.ts). */
async function runStdioClientCheck(options: ClientCheckOptions, rec: FindingRecorder, started: Date): Promise<CheckReport> {
  const probe = createSamplingToolsProbe(options.askTimeoutMs);
  const ref = await createNetworkRefProbe();
  const host = await hostStdioClients(() => scriptedServer(probe), (m) => ref.offer(probe.offer(m)), () => probe.heard());
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  try {
    const { code, output } = await runCommand(expandServer(options.command, host.port), '', timeoutMs);
    const end = { at: Date.now(), killed: code === null };
    judgeExit(rec, code, output, timeoutMs);
    if (host.taps.length === 0) {
      skipHttpClientRules(rec);
      recordClientNotRun(rec, [...STDIO_CLIENT_RULES, 'client.modern-response', 'client.network-ref'], `the client never started the scripted server's command ({server}); the command ${ended(code, timeoutMs)}`, output);
    } else {
      judgeStdioClient(rec, host.taps);
      probe.finish(rec, end);
      ref.finish(rec);
    }
  } finally {
    await host.close();
    await ref.close();
  }
  const eras = [...new Set(host.taps.map((t) => t.protocolVersion).filter((v): v is string => v !== undefined))];
  return makeReport(`client (stdio): ${options.command.join(' ')}`, eras, started, rec.findings);
}
