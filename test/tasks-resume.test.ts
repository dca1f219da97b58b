// A task re-run after its server died (in process: a second server on the same task
// directory) gets back the answers the client already gave, so only the unanswered question
// is asked; a side effect keyed by ctx.taskId happens once although the handler ran twice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import { createFileTaskStore } from 'mcpwire/transport';
import type { CallToolResult, CreateTaskResult, Transport } from 'mcpwire/protocol';
import { linkedPair } from './harness.ts';
import { within } from './tasks-fixture.ts';

const SESSION = 'session-restored';

/** A server whose `two_step` tool asks twice with a side effect between (once per task id). */
async function stepServer(dir: string, effects: Map<string, number>, runs: string[]): Promise<McpServer> {
  const store = await createFileTaskStore({ dir });
  const server = createServer({ name: 'steps', version: '1' }, { tasks: { store } });
  const form = { type: 'object' as const, properties: { v: { type: 'string' as const } }, required: ['v'] };
  server.tool({ name: 'two_step', description: 'two questions', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    runs.push(ctx.taskId ?? 'no task id');
    const first = await ctx.elicit({ message: 'first', requestedSchema: form });
    // The side effect, made idempotent with the task id as its key.
    if (ctx.taskId !== undefined && !effects.has(ctx.taskId)) effects.set(ctx.taskId, 1);
    const second = await ctx.elicit({ message: 'second', requestedSchema: form });
    return `${String(first.content?.v)} then ${String(second.content?.v)}`;
  });
  return server;
}

/** Connect a client whose session carries the same id each time (as a restored HTTP session would). */
async function connect(server: McpServer, asked: string[], answers: Record<string, string>) {
  const { clientTransport, serverTransport } = linkedPair();
  (serverTransport as Transport & { sessionId?: string }).sessionId = SESSION;
  const heard: Array<Record<string, unknown> | undefined> = [];
  const listeners = new Set<() => void>();
  const client = createClient({ name: 't', version: '1' }, {
    // A question this client has no answer for stays open (the user walked away).
    onElicit: (params) => {
      asked.push(params.message);
      const v = answers[params.message];
      return v === undefined ? new Promise<never>(() => {}) : { action: 'accept', content: { v } };
    },
    onNotification: (method, params) => {
      if (method !== 'notifications/tasks/status') return;
      heard.push(params);
      for (const listener of listeners) listener();
    },
  });
  /** Resolves once `count` statuses matching `match` were heard. */
  const heardTimes = (count: number, match: (p: Record<string, unknown> | undefined) => boolean) => new Promise<void>((resolve) => {
    const check = () => { if (heard.filter(match).length >= count) { listeners.delete(check); resolve(); } };
    listeners.add(check);
    check();
  });
  const connecting = server.connect(serverTransport);
  await client.connect(clientTransport);
  await connecting;
  await client.ping();
  return { client, heard, heardTimes };
}

const test = suite('tasks: a re-run replays recorded answers');

test('after a crash between two questions, the re-run asks only the second and the side effect stays single', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-resume-'));
  const effects = new Map<string, number>();
  const runs: string[] = [];
  try {
    const asked: string[] = [];
    const askedAfter: string[] = [];
    const first = await stepServer(join(dir, 'tasks'), effects, runs);
    const a = await connect(first, asked, { first: 'A' });
    const created = await a.client.peer.request('tools/call', { name: 'two_step', arguments: {}, task: {} }) as CreateTaskResult;
    const taskId = created.task.taskId;
    const parkedTwice = within(a.heardTimes(2, (h) => h?.taskId === taskId && h?.status === 'input_required'), 5000, 'the second question');
    a.client.getTaskResult(taskId).catch(() => undefined); // carries the questions; ends with the crash
    await parkedTwice;
    await a.client.ping();
    assert.equal(asked, ['first', 'second'], 'the second question was out when the server died');
    assert.equal([...effects.values()], [1]);
    // The crash: this server's runs stop where they are, its connections go.
    await first.close();

    const second = await stepServer(join(dir, 'tasks'), effects, runs);
    assert.is(await second.tasks!.resume(), 1);
    const b = await connect(second, askedAfter, { second: 'B' });
    const result = await within(b.client.getTaskResult<CallToolResult>(taskId));
    assert.equal(result.content, [{ type: 'text', text: 'A then B' }]);
    assert.equal(askedAfter, ['second'], 'the answered question is not asked again');
    assert.equal(runs, [taskId, taskId], 'the handler ran twice, with the same idempotency key');
    assert.equal([...effects.entries()], [[taskId, 1]], 'the side effect happened once');
    assert.is((await b.client.getTask(taskId)).status, 'completed');
    await b.client.close();
    await a.client.close();
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
