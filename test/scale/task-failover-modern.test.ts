// Issue #18, 2026-07-28 era (tasks extension, SEP-2663): kill -9 of the instance running a
// task that waits in input_required. The survivor takes the task over once its lease lapses
// (a tasks/get lands on it), the re-run asks again under the same input key, tasks/update
// on the survivor answers it, the task completes, and the deletion happens once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed } from '../serve-process.ts';
import { startCluster } from './cluster.ts';
import { effectsOf } from './task-poll.ts';

const VERSION = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'failover-modern', version: '1' },
};
let nextId = 1;

/** One stateless 2026 request through `url`; its result (fails on an error). */
async function call(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const name = typeof params.taskId === 'string' ? params.taskId : typeof params.name === 'string' ? params.name : undefined;
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: META } }),
    headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': VERSION, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) },
  });
  const text = await res.text();
  const body = JSON.parse(text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data: {'))!.slice(6)) as Record<string, any>;
  assert.ok(body.result, `${method}: ${text}`);
  return body.result;
}

/** Poll tasks/get (bounded) until `want` matches. */
async function until(url: string, taskId: string, want: (t: Record<string, any>) => boolean): Promise<Record<string, any>> {
  let task: Record<string, any> = {};
  for (let i = 0; i < 150; i++) {
    task = await call(url, 'tasks/get', { taskId });
    if (want(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`task ${taskId}: not the wanted state; last ${JSON.stringify(task)}`);
}

const asking = (t: Record<string, any>) => t.status === 'input_required' && Object.keys(t.inputRequests ?? {}).length > 0;

const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-failover-modern-'));
const effects = join(dir, 'effects.log');
const cluster = await startCluster(2, ['--fixtures', '--fixture-effects', effects]);
if (!cluster) await rm(dir, { recursive: true, force: true });
if (cluster) {
  const test = suite('scale-out (2026-07-28): a task waiting in input_required survives kill -9 of its instance');
  const url = cluster.proxy.url;

  test('the survivor asks again under the same key, tasks/update there completes it, one deletion', async () => {
    const created = await call(url, 'tools/call', { name: 'confirm_delete', arguments: { target: 'report.txt' } });
    assert.is(created.resultType, 'task');
    const taskId = created.taskId as string;
    const running = cluster.proxy.served.at(-1)!.backend;
    // Only the instance running the task lists its waiting questions.
    const before = Object.keys((await until(url, taskId, asking)).inputRequests);
    assert.is(cluster.proxy.served.at(-1)!.backend, running);
    await killed(cluster.instances[running]!.child);

    const after = Object.keys((await until(url, taskId, asking)).inputRequests);
    assert.equal(after, before, 'the same question, under the same key');
    assert.is.not(cluster.proxy.served.at(-1)!.backend, running);
    await call(url, 'tasks/update', { taskId, inputResponses: { [after[0]!]: { action: 'accept', content: { confirm: true } } } });
    const done = await until(url, taskId, (t) => t.status === 'completed');
    assert.equal(done.result?.content, [{ type: 'text', text: 'Deleted report.txt.' }]);
    assert.equal(await effectsOf(effects, taskId), [`${taskId} deleted report.txt`], 'deleted once');
  });

  test.after(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  test.run();
}
