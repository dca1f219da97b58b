// A tool's `restart` option, in process: two servers on one task directory stand for the
// process before a crash and the one after. A task of a tool registered with restart: 'fail'
// whose run began is failed, never run again, both by the restart's resume() and by a request
// that takes an orphan over; one stored whose run never began (its handler never ran) is run;
// one of a tool with the default is run again. The option is checked when the tool is
// registered and is not listed. (test/restart-fail-kill9.test.ts: real processes.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type McpClient as Client } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import { createFileTaskStore, type TaskStore } from 'mcpwire/transport';
import type { CreateTaskResult, Transport } from 'mcpwire/protocol';
import { linkedPair } from './harness.ts';
import { within } from './tasks-fixture.ts';

const notAgain = (stopped: string) => `tool charge did not finish: ${stopped}. It is not run again: it is registered with restart: 'fail' (its work must not be done twice), and part of its work may have been done`;

/** The start of each run ("<tool> <taskId>"), in order, and a promise of the n-th. */
class Runs {
  readonly started: string[] = [];
  readonly #waiting: { n: number; resolve: () => void }[] = [];
  push(run: string): void {
    this.started.push(run);
    for (const w of this.#waiting.filter((w) => this.started.length >= w.n)) w.resolve();
  }
  until(n: number, what: string): Promise<void> {
    return within(this.started.length >= n ? Promise.resolve() : new Promise((resolve) => this.#waiting.push({ n, resolve })), 5000, what);
  }
}

/** `store` with some of its methods replaced (a store's methods need it as `this`). */
function storeWith(store: TaskStore, over: Partial<TaskStore>): TaskStore {
  return {
    create: (r, o) => store.create(r, o), get: (id) => store.get(id), update: (id, c) => store.update(id, c),
    list: (q) => store.list(q), lease: (id, h, ms) => store.lease(id, h, ms), releaseLease: (id, h) => store.releaseLease(id, h),
    close: () => store.close(), ...over,
  };
}

/** A server on `dir` whose `charge` (restart: 'fail') and `compute` (default) log each start in `runs` and wait until stopped. */
async function crashable(dir: string, runs: Runs, wrap: (store: TaskStore) => TaskStore = (s) => s): Promise<McpServer> {
  const server = createServer({ name: 'restart-option', version: '1' }, { tasks: { store: wrap(await createFileTaskStore({ dir })) } });
  const wait = (name: string) => async (_args: unknown, ctx: { taskId?: string | undefined; signal: AbortSignal }) => {
    runs.push(`${name} ${ctx.taskId}`);
    return new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve('stopped'), { once: true }));
  };
  server.tool({ name: 'charge', description: 'not twice', execution: { taskSupport: 'required' }, restart: 'fail' }, wait('charge'));
  server.tool({ name: 'compute', description: 'again is fine', execution: { taskSupport: 'required' } }, wait('compute'));
  return server;
}

async function connect(server: McpServer): Promise<Client> {
  const { clientTransport, serverTransport } = linkedPair();
  (serverTransport as Transport & { sessionId?: string }).sessionId = 'same-session';
  const client = createClient({ name: 't', version: '1' });
  const connecting = server.connect(serverTransport);
  await client.connect(clientTransport);
  await connecting;
  return client;
}

const callAsTask = async (client: Client, name: string) => (await client.peer.request('tools/call', { name, arguments: {}, task: {} }) as CreateTaskResult).task.taskId;

/**
 * A process that stopped while its tasks ran (`tools` called as tasks; awaited until each
 * started), and `after`, the process started next on the same directory; `test` runs between.
 */
async function crashed(tools: string[], test: (c: { before: McpServer; runs: Runs; ids: string[]; dir: string; restart: () => Promise<McpServer> }) => Promise<void>, wrap?: (store: TaskStore) => TaskStore): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-option-'));
  const runs = new Runs();
  const before = await crashable(dir, runs, wrap);
  let after: McpServer | undefined;
  try {
    const client = await connect(before);
    const ids: string[] = [];
    for (const tool of tools) ids.push(await callAsTask(client, tool));
    await runs.until(tools.length, 'the runs before the crash');
    // The crashed process's runs hold no lease in the next one's store.
    await test({ before, runs, ids, dir, restart: async () => (after = await crashable(dir, runs)) });
  } finally {
    await after?.close();
    await before.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const test = suite('tools: the restart option of a task cut short');

test('resume() fails the restart: \'fail\' task with the error naming the tool, and runs the other again', () => crashed(['charge', 'compute'], async ({ runs, ids: [charge, compute], restart }) => {
  const after = await restart();
  assert.is(await after.tasks!.resume(), 1, 'only compute is taken');
  const b = await connect(after);
  const failed = await b.getTask(charge!);
  assert.is(failed.status, 'failed');
  assert.is(failed.statusMessage, notAgain('the server stopped while it ran'));
  const error = await b.getTaskResult(charge!).then(() => undefined, (e: Error & { code?: number }) => e);
  assert.is(error?.message, notAgain('the server stopped while it ran'));
  assert.is(error?.code, -32603);
  await runs.until(3, 'compute run again');
  assert.is((await b.getTask(compute!)).status, 'working');
  assert.equal([...runs.started].sort(), [`charge ${charge}`, `compute ${compute}`, `compute ${compute}`]);
}));

test('a request about the orphaned task fails it too, saying its instance stopped', () => crashed(['charge'], async ({ runs, ids: [charge], restart }) => {
  const after = await restart(); // no resume(): tasks/get takes the orphan over
  const failed = await (await connect(after)).getTask(charge!);
  assert.is(failed.status, 'failed');
  assert.is(failed.statusMessage, notAgain('the instance running it stopped'));
  assert.equal(runs.started, [`charge ${charge}`]);
}));

test('a restart: \'fail\' task stored whose run never began is run by resume(), once', async () => {
  let stored: string | undefined;
  // The process stops between the store and the start of the run: its create never returns.
  const hang = (store: TaskStore) => storeWith(store, {
    create: async (record, options) => { await store.create(record, options); stored = record.taskId; return new Promise<never>(() => {}); },
  });
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-option-'));
  const runs = new Runs();
  const before = await crashable(dir, runs, hang);
  let after: McpServer | undefined;
  try {
    callAsTask(await connect(before), 'charge').catch(() => {}); // never answered: rejected as the connection closes
    await within((async () => { while (stored === undefined) await new Promise((r) => setImmediate(r)); })(), 5000, 'the task stored');
    after = await crashable(dir, runs);
    assert.is(await after.tasks!.resume(), 1, 'the task is taken and run');
    await runs.until(1, 'the first run of charge');
    const task = await (await connect(after)).getTask(stored!);
    assert.is(task.status, 'working');
    assert.is((await after.tasks!.store.get(stored!))?.notStarted, undefined, 'its run began: a next restart fails it');
    assert.equal(runs.started, [`charge ${stored}`]);
  } finally {
    await after?.close();
    await before.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a restart: \'fail\' task whose start cannot be recorded fails, its tool not run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-option-'));
  const runs = new Runs();
  const refuse = (store: TaskStore) => storeWith(store, {
    update: (id, change) => ('notStarted' in change ? Promise.reject(new Error('ENOSPC: no space left on device')) : store.update(id, change)),
  });
  const server = await crashable(dir, runs, refuse);
  try {
    const client = await connect(server);
    const id = await callAsTask(client, 'charge');
    const error = await within(client.getTaskResult(id).then(() => undefined, (e: Error & { code?: number }) => e), 5000, 'the task ended');
    assert.is(error?.code, -32603);
    assert.is(error?.message, "the task's tool did not run: the start of its run could not be recorded (ENOSPC: no space left on device), and it must not run twice (restart: 'fail')");
    assert.is((await client.getTask(id)).status, 'failed');
    assert.equal(runs.started, []);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the option is checked at registration and not listed', async () => {
  const server = createServer({ name: 'r', version: '1' });
  assert.throws(() => server.tool({ name: 'x', restart: 'maybe' as never }, () => 'x'), (e: Error & { code?: string }) => e.code === 'MCP_ERR_VALIDATION' && /restart must be 'rerun' or 'fail', got "maybe"/.test(e.message));
  server.tool({ name: 'y', restart: 'fail' }, () => 'y');
  const client = await connect(server);
  assert.equal((await client.listTools()).map((t) => Object.keys(t).includes('restart')), [false]);
  assert.is((await client.callTool('y', {})).content[0]?.type, 'text', 'a first run is an ordinary run');
  await server.close();
});

test.run();
