// A task whose tool finished while the disk was full: its outcome could not be stored, so the
// run kept it in memory and wrote it again until it landed (session 17). A process killed
// (kill -9) before that left a `working` record and nothing more: after the restart the task
// was resumed and the tool ran again (a side effect twice). Now the file task store keeps a
// reserve file it deletes at the first ENOSPC, so the write lands (a small outcome), or at
// least the small mark that the run ended: the restarted server then fails the task, saying
// its outcome was lost, and does not run the tool again. The disk here has a capacity: once
// full it takes writes only up to what deleting files gave back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { createFileTaskStore } from 'mcpwire/transport';
import { tightDiskFs } from './support/full-disk-fs.ts';
import { createClient, type McpClient } from 'mcpwire/client';
import type { Transport } from 'mcpwire/protocol';
import { linkedPair } from './harness.ts';
import { gate, within } from './tasks-fixture.ts';

/** A client of one fixed session: the same principal before and after the restart. */
async function connectKept(server: McpServer): Promise<McpClient> {
  const { clientTransport, serverTransport } = linkedPair();
  (serverTransport as Transport & { sessionId?: string }).sessionId = 'session-kept';
  const client = createClient({ name: 't', version: '1' });
  const connecting = server.connect(serverTransport);
  await client.connect(clientTransport);
  await connecting;
  return client;
}


/** A server whose `charge` tool counts its runs in `runs`, held until `release` opens, answering `size` characters. */
function chargeServer(store: Parameters<typeof createServer>[1] extends infer O ? O extends { tasks?: infer T } ? T : never : never, runs: { count: number }, size: number, release: Promise<void>, onError?: (e: Error) => void): McpServer {
  const server = createServer({ name: 'tasks', version: '1' }, { tasks: store, ...(onError ? { onError } : {}) });
  server.tool({ name: 'charge', description: 'Charges a card once.', execution: { taskSupport: 'optional' } }, async () => {
    runs.count++;
    await release;
    return 'x'.repeat(size);
  });
  return server;
}

const dirs: string[] = [];
const test = suite('tasks: kill -9 while a finished task\'s outcome waits for disk space');

/**
 * Run `charge` as a task; the disk fills as it ends; once `landed` says the end reached the
 * disk the process is left as a kill -9 leaves it (its later writes find no room), and a
 * server on the same directory starts and resumes.
 */
async function killedThenRestarted(size: number, landed: (first: { getResult: () => Promise<unknown>; reports: string[]; reported: Promise<void> }) => Promise<unknown>) {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-kill-full-'));
  dirs.push(dir);
  const disk = { full: false, free: 0 };
  const runs = { count: 0 };
  const release = gate();
  const reports: string[] = [];
  let heard!: () => void;
  const reported = new Promise<void>((resolve) => { heard = resolve; });
  const store = await createFileTaskStore({ dir, fs: tightDiskFs(disk), onError: (e) => reports.push(e.message) });
  const first = chargeServer({ store, leaseMs: 60_000 }, runs, size, release.promise, (e) => { reports.push(e.message); if (/could not be stored/.test(e.message)) heard(); });
  const c = await connectKept(first);
  const { task } = await c.peer.request('tools/call', { name: 'charge', arguments: {}, task: {} }) as { task: { taskId: string } };
  disk.full = true;
  release.open();
  await within(landed({ getResult: () => c.getTaskResult(task.taskId), reports, reported }), 5000, 'the end of the run on disk');
  disk.free = 0; // killed: nothing more of this process reaches the disk
  const next = chargeServer({ store: await createFileTaskStore({ dir }) }, runs, size, Promise.resolve());
  const resumed = await next.tasks!.resume();
  const c2 = await connectKept(next);
  return { runs, resumed, taskId: task.taskId, reports, client: c2, close: async () => { await c2.close(); await c.close(); } };
}

test('a small outcome: the reserve gives room, the outcome lands; the restart serves it and runs nothing', async () => {
  const r = await killedThenRestarted(100, ({ getResult }) => getResult());
  try {
    assert.is(r.resumed, 0, 'nothing to resume: the task had completed');
    const result = await within(r.client.getTaskResult<{ content: Array<{ text: string }> }>(r.taskId));
    assert.is(result.content[0]?.text.length, 100);
    assert.is(r.runs.count, 1, 'the tool ran once');
    assert.ok(r.reports.some((m) => /deleted its reserve/.test(m)), r.reports.join(' | '));
  } finally {
    await r.close();
  }
});

test('an outcome larger than the reserve: the mark that the run ended lands; the restart fails the task, saying the outcome was lost, and does not run the tool again', async () => {
  const r = await killedThenRestarted(200_000, ({ reported }) => reported);
  try {
    assert.is(r.resumed, 0, 'nothing resumed to run again');
    const task = await within(r.client.getTask(r.taskId));
    assert.is(task.status, 'failed');
    assert.match(String(task.statusMessage), /outcome was lost/);
    assert.match(String(task.statusMessage), /not run again/);
    assert.is(r.runs.count, 1, 'the tool ran once');
    assert.ok(r.reports.some((m) => /marked as ended/.test(m)), r.reports.join(' | '));
  } finally {
    await r.close();
  }
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
