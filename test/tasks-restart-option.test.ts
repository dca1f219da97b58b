// A tool's `restart` option, in process: two servers on one task directory stand for the
// process before a crash and the one after. A task of a tool registered with restart: 'fail'
// is failed, never run again, both by the restart's resume() and by a request that takes an
// orphan over; one of a tool with the default is run again. The option is checked when the
// tool is registered and is not listed. (test/restart-fail-kill9.test.ts: real processes.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import { createFileTaskStore } from 'mcpwire/transport';
import type { CreateTaskResult, Transport } from 'mcpwire/protocol';
import { linkedPair } from './harness.ts';
import { within } from './tasks-fixture.ts';

const notAgain = (stopped: string) => `tool charge did not finish: ${stopped}. It is not run again: it is registered with restart: 'fail' (its work must not be done twice), and part of its work may have been done`;

/** A server on `dir` whose `charge` (restart: 'fail') and `compute` (default) log each start in `runs` and wait until stopped. */
async function crashable(dir: string, runs: string[]): Promise<McpServer> {
  const server = createServer({ name: 'restart-option', version: '1' }, { tasks: { store: await createFileTaskStore({ dir }) } });
  const wait = (name: string) => async (_args: unknown, ctx: { taskId?: string | undefined; signal: AbortSignal }) => {
    runs.push(`${name} ${ctx.taskId}`);
    return new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve('stopped'), { once: true }));
  };
  server.tool({ name: 'charge', description: 'not twice', execution: { taskSupport: 'required' }, restart: 'fail' }, wait('charge'));
  server.tool({ name: 'compute', description: 'again is fine', execution: { taskSupport: 'required' } }, wait('compute'));
  return server;
}

async function connect(server: McpServer) {
  const { clientTransport, serverTransport } = linkedPair();
  (serverTransport as Transport & { sessionId?: string }).sessionId = 'same-session';
  const client = createClient({ name: 't', version: '1' });
  const connecting = server.connect(serverTransport);
  await client.connect(clientTransport);
  await connecting;
  return client;
}

const test = suite('tools: the restart option of a task cut short');

test('resume() fails the restart: \'fail\' task with the error naming the tool, and runs the other again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-option-'));
  const runs: string[] = [];
  const before = await crashable(dir, runs);
  let after: McpServer | undefined;
  try {
    const a = await connect(before);
    const charge = (await a.peer.request('tools/call', { name: 'charge', arguments: {}, task: {} }) as CreateTaskResult).task.taskId;
    const compute = (await a.peer.request('tools/call', { name: 'compute', arguments: {}, task: {} }) as CreateTaskResult).task.taskId;
    await within((async () => { while (runs.length < 2) await new Promise((r) => setTimeout(r, 10)); })(), 5000, 'both runs');

    after = await crashable(dir, runs); // the crashed process's runs hold no lease in this store
    assert.is(await after.tasks!.resume(), 1, 'only compute is taken');
    const b = await connect(after);
    const failed = await b.getTask(charge);
    assert.is(failed.status, 'failed');
    assert.is(failed.statusMessage, notAgain('the server stopped while it ran'));
    const error = await b.getTaskResult(charge).then(() => undefined, (e: Error & { code?: number }) => e);
    assert.is(error?.message, notAgain('the server stopped while it ran'));
    assert.is(error?.code, -32603);
    assert.is((await b.getTask(compute)).status, 'working');
    assert.equal([...runs].sort(), [`charge ${charge}`, `compute ${compute}`, `compute ${compute}`]);
  } finally {
    await after?.close();
    await before.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a request about the orphaned task fails it too, saying its instance stopped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-option-'));
  const runs: string[] = [];
  const before = await crashable(dir, runs);
  let after: McpServer | undefined;
  try {
    const a = await connect(before);
    const charge = (await a.peer.request('tools/call', { name: 'charge', arguments: {}, task: {} }) as CreateTaskResult).task.taskId;
    await within((async () => { while (runs.length < 1) await new Promise((r) => setTimeout(r, 10)); })(), 5000, 'the run');
    after = await crashable(dir, runs); // no resume(): tasks/get takes the orphan over
    const failed = await (await connect(after)).getTask(charge);
    assert.is(failed.status, 'failed');
    assert.is(failed.statusMessage, notAgain('the instance running it stopped'));
    assert.equal(runs, [`charge ${charge}`]);
  } finally {
    await after?.close();
    await before.close();
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
