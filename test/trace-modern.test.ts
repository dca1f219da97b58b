// `mcpwire trace` in the 2026-07-28 era (issue #21): mcpwire's client and the fixture server,
// over HTTP (in process) and stdio (the CLI): server/discover, stateless calls carrying their
// version in `_meta`, progress tied to its call, an InputRequiredResult and its retry paired
// as rounds, subscriptions/listen and its acknowledgement, the MCP headers of each POST, and
// the task id of a call run as a task (tasks extension, HTTP). Every message once, nothing flagged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMemoryTaskStore, listen, type ExchangeServable } from 'mcpwire/transport';
import { registerFixtures, registerFixtureTaskTools, TraceCorrelator, traceHttp, type TraceRecord } from 'mcpwire/conformance';
import { specPageExists } from '../conformance/spec-pages.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const MODERN = '2026-07-28';
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';

function modernClient(): McpClient {
  return createClient({ name: 'trace-modern', version: '1' }, {
    era: 'modern', eraCache: false,
    onElicit: async () => ({ action: 'accept', content: { name: 'Ada' } }),
  });
}

/** The conversation both transports carry. */
async function converse(client: McpClient): Promise<void> {
  const progress: number[] = [];
  await client.callTool('test_tool_with_progress', {}, { onProgress: (p) => { progress.push(p.progress); } });
  assert.equal(progress, [0, 50, 100]);
  const greeted = await client.callTool('test_input_required_result_elicitation', {});
  assert.equal(greeted.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  const listening = client.listen({ toolsListChanged: true });
  await listening.acknowledged;
  await listening.close();
}

type Send = (method: string, params: Record<string, unknown>) => Promise<Record<string, any>>;
const TASKS = 'io.modelcontextprotocol/tasks';

/**
 * A call run as a task (tasks extension, SEP-2663), then polled with tasks/get until done.
 * Raw requests: mcpwire's client sends its task calls without the 2026 envelope (its
 * protocolVersion and, over HTTP, the Mcp-Method header), which servers refuse.
 */
async function runTask(send: Send): Promise<string> {
  const caps = { extensions: { [TASKS]: {} } };
  const meta = (extra: Record<string, unknown> = {}) => ({ [META_VERSION]: MODERN, 'io.modelcontextprotocol/clientCapabilities': caps, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, ...extra });
  const started = await send('tools/call', { name: 'slow_compute', arguments: { seconds: 0.3 }, _meta: meta() });
  assert.is(started.resultType, 'task', 'the call became a task');
  const taskId = started.taskId as string;
  for (let i = 0; i < 200; i++) {
    const task = await send('tasks/get', { taskId, _meta: meta() });
    if (task.status !== 'working') return taskId;
    await new Promise((resolve) => setTimeout(resolve, 10)); // a poll interval, as a client would
  }
  throw new Error('the task did not finish within 200 polls');
}

type Params = { _meta?: Record<string, unknown>; requestState?: string; inputResponses?: Record<string, unknown> };
const paramsOf = (r: TraceRecord) => ((r.message as { params?: Params }).params ?? {});

/** What both transports must show. */
function checkTrace(records: readonly TraceRecord[], taskId: string): void {
  const messages = records.filter((r) => r.kind !== 'http');
  assert.ok(messages.length > 0);
  assert.equal(messages.filter((r) => r.kind === 'invalid' || r.kind === 'skipped'), [], 'every message read');
  assert.equal(messages.flatMap((r) => r.findings.map((f) => `${r.seq} ${r.method ?? r.answers}: ${f.id} ${f.message}`)), [], 'nothing flagged');
  assert.ok(messages.every((r) => r.era === 'modern' && r.version === MODERN), 'each message in the modern era, 2026-07-28');
  assert.is(messages[0]!.method, 'server/discover', 'the client discovers first');
  // Each record cites a page of the revision spoken that exists there (2026-07-28 moved them).
  for (const r of records.filter((x) => x.spec !== undefined && !x.spec.includes('tasks extension'))) {
    const [revision, page] = r.spec!.split(' ');
    assert.ok(revision === MODERN && specPageExists(revision, page!), `${r.seq} ${r.method ?? r.answers ?? r.kind}: cites ${r.spec}`);
  }
  assert.is(messages[0]!.spec, `${MODERN} server/discover`);
  // Every request answered exactly once, after it, by a response that names its method;
  // one cancelled (listen, closed) by nothing: over stdio the client says so, over HTTP it
  // closes the request's stream (2026-07-28: closing a stream cancels its request).
  const cutExchanges = new Set(records.filter((r) => r.kind === 'http' && /cut before it ended|the client closed the SSE stream/.test(r.explain)).map((r) => r.http?.exchange));
  const cancelled = new Set(messages.filter((r) => r.method === 'notifications/cancelled').map((r) => r.call));
  const ended = (r: TraceRecord) => cancelled.has(r.id) || (r.http !== undefined && cutExchanges.has(r.http.exchange));
  for (const request of messages.filter((r) => r.kind === 'request' && !ended(r))) {
    const answers = messages.filter((r) => (r.kind === 'response' || r.kind === 'error') && r.id === request.id && r.direction !== request.direction);
    assert.is(answers.length, 1, `${request.method} ${String(request.id)} answered once`);
    assert.is(answers[0]!.answers, request.method);
    assert.ok(answers[0]!.seq > request.seq, 'after its request');
  }
  const sent = messages.filter((r) => r.kind === 'request' && r.direction === 'client-to-server');
  assert.ok(sent.every((r) => paramsOf(r)._meta?.[META_VERSION] === MODERN), 'every request carries its version in _meta (stateless)');
  // Progress by token, tied to its call.
  const progressCall = sent.find((r) => (r.message as { params: { name?: string } }).params.name === 'test_tool_with_progress')!;
  const progress = messages.filter((r) => r.method === 'notifications/progress');
  assert.is(progress.length, 3);
  assert.ok(progress.every((p) => p.spec === `${MODERN} basic/patterns/progress`), 'progress cites its 2026-07-28 page');
  assert.ok(progress.every((p) => p.call === progressCall.id), 'progress tied to its call');
  // The InputRequiredResult round and its retry (2026-07-28 multi round-trip requests).
  const greets = sent.filter((r) => (r.message as { params: { name?: string } }).params.name === 'test_input_required_result_elicitation');
  assert.is(greets.length, 2, 'the call and its retry');
  assert.is.not(greets[0]!.id, greets[1]!.id, 'the retry has a new id');
  const round = messages.find((r) => r.kind === 'response' && r.id === greets[0]!.id)!;
  assert.match(round.explain, /needs input before it can answer \(round 1\): elicitation\/create/);
  assert.is(round.spec, `${MODERN} basic/patterns/mrtr`);
  assert.match(greets[1]!.explain, /^retries tools\/call with 1 input response and the requestState echoed \(round 2, a new id\)/);
  assert.equal(Object.keys(paramsOf(greets[1]!).inputResponses ?? {}), ['user_name']);
  // subscriptions/listen, acknowledged on its own stream.
  const listenRequest = sent.find((r) => r.method === 'subscriptions/listen')!;
  const ack = messages.find((r) => r.method === 'notifications/subscriptions/acknowledged')!;
  assert.ok(ack, 'the acknowledgement is shown');
  assert.ok(ack.seq > listenRequest.seq);
  assert.is(ack.spec, `${MODERN} basic/patterns/subscriptions`);
  assert.ok(ended(listenRequest), 'closing the listen cancels it');
  // The tasks extension: the call runs as a task, and the later requests name its id.
  const created = messages.find((r) => r.kind === 'response' && r.answers === 'tools/call' && r.explain.startsWith('the call runs as task'));
  assert.is(created?.explain, `the call runs as task ${taskId} (status working)`, 'the task and its id are shown');
  const followUps = sent.filter((r) => r.method?.startsWith('tasks/'));
  assert.ok(followUps.length > 0 && followUps.every((r) => r.explain.endsWith(`(task ${taskId})`)), 'tasks/* requests name the task');
  assert.ok(followUps.every((r) => r.spec === `${MODERN} tasks extension (SEP-2663)`), 'tasks/* cite the extension, not the 2025-11-25 page');
}

async function fixtureServer() {
  const server = createServer({ name: 'fixtures', version: '1' }, { tasks: { store: createMemoryTaskStore() } });
  registerFixtures(server, { closeConnection: () => false });
  registerFixtureTaskTools(server, {});
  const ref: ExchangeServable = { exchange: () => Promise.reject(new Error('not ready')) };
  const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
  const handler = createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`], modern: { inputRounds: {} } });
  ref.exchange = handler.exchange;
  return { url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await handler.close(); await listening.close(); } };
}

/** Raw 2026-07-28 POSTs with their MCP headers; the answer as JSON or the last SSE event. */
function httpSender(url: string): Send {
  let id = 1000;
  return async (method, params) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : typeof params.taskId === 'string' ? { 'mcp-name': params.taskId } : {}),
    };
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
    const text = await res.text();
    const body = res.headers.get('content-type')?.startsWith('text/event-stream')
      ? text.split('\n').filter((l) => l.startsWith('data:') && l.length > 5).map((l) => l.slice(5).trim()).at(-1)!
      : text;
    const message = JSON.parse(body) as { result?: Record<string, any>; error?: { message: string } };
    if (!message.result) throw new Error(`${method}: ${message.error?.message ?? text}`);
    return message.result;
  };
}

/** Run `fn` with raw lines through `mcpwire trace --jsonl FILE -- mcpwire serve --stdio --fixtures`. */
async function withStdioTrace<T>(jsonl: string, fn: (send: Send) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [bin, 'trace', '--quiet', '--jsonl', jsonl, '--', process.execPath, bin, 'serve', '--stdio', '--fixtures'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, (m: { result?: Record<string, any>; error?: { message: string } }) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = JSON.parse(line) as { id?: number; result?: Record<string, any>; error?: { message: string } };
    if (typeof m.id === 'number') waiting.get(m.id)?.(m);
  });
  // A request waits for its answer or for the tracer to exit, not for a fixed time: the
  // first one also waits for two processes to start (trace, then the server), which took
  // longer than the 10 s it had on a loaded machine.
  let gone: Error | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    gone = new Error(`the tracer exited (${signal ?? code}) before answering`);
    for (const answer of waiting.values()) answer({ error: { message: gone.message } });
    resolve();
  }));
  let id = 2000;
  const send: Send = (method, params) => new Promise((resolve, reject) => {
    if (gone) return reject(new Error(`${method}: ${gone.message}`));
    const mine = ++id;
    waiting.set(mine, (m) => { waiting.delete(mine); if (m.result) resolve(m.result); else reject(new Error(`${method}: ${m.error?.message}`)); });
    child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id: mine, method, params })}\n`);
  });
  try {
    return await fn(send);
  } finally {
    child.stdin!.end();
    await exited;
  }
}

const http = suite('mcpwire trace, 2026-07-28 over HTTP');

http('discover, stateless calls, progress, an input round and its retry, listen, a task: all shown, paired, with their headers', async () => {
  const server = await fixtureServer();
  const records: TraceRecord[] = [];
  let taskId = '';
  const trace = await traceHttp({ target: server.url, correlator: new TraceCorrelator((r) => records.push(r)) });
  try {
    const client = modernClient();
    await client.connect(createHttpClientTransport({ url: trace.url }));
    try { await converse(client); } finally { await client.close(); }
    taskId = await runTask(httpSender(trace.url));
  } finally {
    await trace.close(); // runs what is left of the analysis
    await server.close();
  }
  checkTrace(records, taskId);
  // The MCP headers that matter, as the client sent them (2026-07-28 transports: Mcp-Method, Mcp-Name).
  const posts = records.filter((r) => r.kind === 'request' && r.direction === 'client-to-server');
  for (const post of posts) {
    assert.is(post.http?.headers?.['mcp-protocol-version'], MODERN, `${post.method}: MCP-Protocol-Version shown`);
    assert.is(post.http?.headers?.['mcp-method'], post.method, `${post.method}: Mcp-Method shown`);
    assert.is(post.http?.headers?.['mcp-session-id'], undefined, 'no session in this era');
  }
  const call = posts.find((r) => r.method === 'tools/call')!;
  assert.is(call.http?.headers?.['mcp-name'], (call.message as { params: { name: string } }).params.name, 'Mcp-Name shown');
});

http.run();

const stdio = suite('mcpwire trace, 2026-07-28 over stdio');

stdio('the same conversation through `mcpwire trace -- mcpwire serve --stdio --fixtures`', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-trace-modern-'));
  try {
    const jsonl = join(dir, 'trace.jsonl');
    const client = modernClient();
    await client.connect(createStdioClientTransport({
      command: process.execPath, args: [bin, 'trace', '--quiet', '--jsonl', jsonl, '--', process.execPath, bin, 'serve', '--stdio', '--fixtures'],
    }));
    try { await converse(client); } finally { await client.close(); }
    const taskJsonl = join(dir, 'task.jsonl');
    const taskId = await withStdioTrace(taskJsonl, runTask);
    const records = (await readFile(jsonl, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceRecord);
    const taskRecords = (await readFile(taskJsonl, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceRecord);
    checkTrace([...records, ...taskRecords.map((r) => ({ ...r, seq: r.seq + records.length }))], taskId);
    assert.ok(records.every((r) => r.transport === 'stdio' && r.http === undefined));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

stdio.run();
