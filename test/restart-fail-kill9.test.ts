// kill -9 a real server (test/restart-fail-server.ts, kept on disk as `serve --http --state`)
// while `charge` (restart: 'fail') and `compute` (the default, 'rerun') run, as tasks and as
// 2025 calls in flight on their SSE streams; restart it on the same state. `charge` is never
// run again: its task fails and its call is answered with an error naming the tool and why,
// once; `compute` is run again and completes. Both eras. Real processes on 127.0.0.1, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCEPT_BOTH, messagesOf, readEvents } from './http-fixture.ts';
import { killed, openSession, resumeUntil, startListening, type ServeProcess } from './serve-process.ts';
import { answerOf } from './sse-messages.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const NOT_AGAIN = "tool charge did not finish: the server stopped while it ran. It is not run again: it is registered with restart: 'fail' (its work must not be done twice), and part of its work may have been done";

/** Start the server on `dir`; resolves once it listens. */
const start = (dir: string): Promise<ServeProcess> =>
  startListening(['--conditions=mcpwire-source', '--import', 'tsx', join(root, 'test/restart-fail-server.ts'), dir]);

/** The lines of DIR/runs.log once it has `count` of them (10 s at most). */
async function runsOnce(dir: string, count: number): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const lines = (await readFile(join(dir, 'runs.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    if (lines.length >= count) return lines.sort();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`runs.log did not reach ${count} lines within 10 s`);
}

const legacy = suite('restart: \'fail\' (2025-11-25): kill -9 while tasks and calls run, then restart on the same state');

legacy('charge is not run again: its task fails and its call gets the error once; compute runs again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-fail-'));
  let server = await start(dir);
  try {
    const s = await openSession(() => server.url);
    const rpc = async (id: number, method: string, params: unknown) => answerOf(await s.call({ jsonrpc: '2.0', id, method, params }), id);
    const chargeTask = (await rpc(1, 'tools/call', { name: 'charge', arguments: {}, task: { ttl: 600_000 } })).result.task.taskId as string;
    const computeTask = (await rpc(2, 'tools/call', { name: 'compute', arguments: {}, task: { ttl: 600_000 } })).result.task.taskId as string;
    // Two calls in flight on their SSE streams: the reply's headers come once the call is saved as in flight.
    const [charging] = await readEvents(await s.call({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'charge', arguments: { key: 'call-3' } } }), 1);
    const [computing] = await readEvents(await s.call({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'compute', arguments: { key: 'call-4' } } }), 1);
    assert.ok(charging?.id && computing?.id, 'priming events carry ids to resume from');
    await runsOnce(dir, 4);
    await killed(server.child);

    server = await start(dir);
    assert.match(server.log(), /restored 1, resumed 1\)/, 'only the compute task is resumed');
    const failed = (await rpc(5, 'tasks/get', { taskId: chargeTask })).result;
    assert.is(failed.status, 'failed');
    assert.is(failed.statusMessage, NOT_AGAIN);
    assert.equal((await rpc(6, 'tasks/result', { taskId: chargeTask })).error, { code: -32603, message: NOT_AGAIN });

    const seen3 = [charging!];
    await resumeUntil(server.url, s.headers, seen3, 3);
    const answers3 = messagesOf(seen3).filter((m) => m.id === 3);
    assert.is(answers3.length, 1, 'the interrupted call is answered once');
    assert.equal(answers3[0]!.error, { code: -32603, message: NOT_AGAIN });
    const seen4 = [computing!];
    await resumeUntil(server.url, s.headers, seen4, 4);
    assert.equal(messagesOf(seen4).filter((m) => m.id === 4).map((m) => m.result?.content), [[{ type: 'text', text: 'computed on the re-run' }]]);
    const done = (await rpc(7, 'tasks/result', { taskId: computeTask })).result;
    assert.equal(done.content, [{ type: 'text', text: 'computed on the re-run' }]);

    assert.equal(await runsOnce(dir, 6), [
      'START charge call-3', `START charge ${chargeTask}`,
      'START compute call-4', 'START compute call-4', `START compute ${computeTask}`, `START compute ${computeTask}`,
    ].sort(), 'charge ran once each; compute twice each');
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

legacy.run();

const VERSION = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'restart-fail', version: '1' },
};

/** One 2026-07-28 request with its routing headers; the answer. */
async function modern(url: string, id: number, method: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const name = typeof params.taskId === 'string' ? params.taskId : typeof params.name === 'string' ? params.name : undefined;
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: META } }),
    headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', 'mcp-protocol-version': VERSION, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) },
  });
  return answerOf(res, id);
}

const modernSuite = suite('restart: \'fail\' (2026-07-28 tasks): kill -9 while tasks run, then restart on the same state');

modernSuite('the charge task fails with the error naming the tool; the compute task runs again and completes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-fail-modern-'));
  let server = await start(dir);
  try {
    const charge = (await modern(server.url, 1, 'tools/call', { name: 'charge', arguments: {} })).result;
    const compute = (await modern(server.url, 2, 'tools/call', { name: 'compute', arguments: {} })).result;
    assert.is(charge.resultType, 'task');
    assert.is(compute.resultType, 'task');
    await runsOnce(dir, 2);
    await killed(server.child);

    server = await start(dir);
    assert.match(server.log(), /resumed 1\)/);
    const failed = (await modern(server.url, 3, 'tasks/get', { taskId: charge.taskId })).result;
    assert.is(failed.status, 'failed');
    assert.is(failed.statusMessage, NOT_AGAIN);
    assert.equal(failed.error, { code: -32603, message: NOT_AGAIN });
    let task: Record<string, any> = {};
    for (let i = 0; i < 100 && task.status !== 'completed'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      task = (await modern(server.url, 10 + i, 'tasks/get', { taskId: compute.taskId })).result;
    }
    assert.is(task.status, 'completed');
    assert.equal(await runsOnce(dir, 3), [`START charge ${charge.taskId}`, `START compute ${compute.taskId}`, `START compute ${compute.taskId}`].sort());
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

modernSuite.run();
