// A 2025-11-25 task re-run after its server died still reports progress: the call's progress
// token is valid for the task's lifetime (basic/utilities/progress), so it is stored with the
// task, and the re-run sends its progress to the session that made the task once that
// session's client is connected again (in process: a second server on the same task folder,
// a client whose session carries the same id, as a restored HTTP session does).
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
import { gate, within } from './tasks-fixture.ts';

const SESSION = 'session-restored';

/** A server whose `steps` tool reports step 1, waits for `go`, then reports step 2 and ends. */
async function stepServer(dir: string, go: Promise<void>): Promise<McpServer> {
  const server = createServer({ name: 'steps', version: '1' }, { tasks: { store: await createFileTaskStore({ dir }) } });
  server.tool({ name: 'steps', description: 'two steps', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    await ctx.progress(1, 2, 'one');
    await go;
    await ctx.progress(2, 2, 'two');
    return 'done';
  });
  return server;
}

/** A client on `server` whose session id is `sessionId`, following token `tok` as the host does. */
async function connect(server: McpServer, sessionId: string) {
  const { clientTransport, serverTransport } = linkedPair();
  (serverTransport as Transport & { sessionId?: string }).sessionId = sessionId;
  const progress: Array<[number, string | undefined]> = [];
  const heard = gate();
  const first = gate();
  const client = createClient({ name: 't', version: '1' });
  const connecting = server.connect(serverTransport);
  await client.connect(clientTransport);
  await connecting;
  client.peer.followProgress('tok', (p) => {
    progress.push([p.progress, p.message]);
    if (p.progress === 1) first.open();
    if (p.progress === 2) heard.open();
  });
  return { client, progress, heardOne: first.promise, heardTwo: heard.promise };
}

const test = suite('tasks: a re-run task reports progress to its session');

test('after a crash, the re-run task\'s progress reaches the session\'s new connection with the original token', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-resume-progress-'));
  const never = new Promise<void>(() => {});
  try {
    const first = await stepServer(join(dir, 'tasks'), never);
    const a = await connect(first, SESSION);
    const created = await a.client.peer.request('tools/call', { name: 'steps', arguments: {}, task: {}, _meta: { progressToken: 'tok' } }) as CreateTaskResult;
    const taskId = created.task.taskId;
    await within(a.heardOne, 5000, 'step 1 before the crash');
    assert.equal(a.progress, [[1, 'one']]);
    await first.close();

    const go = gate();
    const second = await stepServer(join(dir, 'tasks'), go.promise);
    const b = await connect(second, SESSION);
    const other = await connect(second, 'another-session');
    assert.is(await second.tasks!.resume(), 1);
    go.open();
    await within(b.heardTwo, 5000, 'step 2 of the re-run on the session\'s new connection');
    assert.equal(b.progress, [[1, 'one'], [2, 'two']], 'the re-run reports with the stored token');
    assert.equal(other.progress, [], 'another session hears nothing of it');
    await within(b.client.getTaskResult(taskId), 5000, 'the result');
    assert.is((await b.client.getTask(taskId)).status, 'completed');
    await b.client.close();
    await other.client.close();
    await a.client.close().catch(() => undefined);
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
