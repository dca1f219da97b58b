// kill -9 a real `mcpwire serve --http --fixtures --state DIR` while a 2026-07-28 task
// (SEP-2663) waits in input_required, restart it on the same directory: the task is resumed,
// its question waits again under the same key, tasks/update completes it, and the side
// effect (confirm_delete's deletion record) happens once. Real processes on 127.0.0.1, port 0.
// This era has no push channel here yet (subscriptions/listen), so the test polls tasks/get,
// bounded, as a client would.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCEPT_BOTH } from './http-fixture.ts';
import { killed, startServe, type ServeProcess } from './serve-process.ts';

const VERSION = '2026-07-28';
const start = (dir: string) => startServe(['--fixtures', '--state', dir]);
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'kill9-modern', version: '1' },
};

let nextId = 1;

/** One 2026 request with its routing headers; the JSON answer's result (fails on an error). */
async function call(server: ServeProcess, method: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const name = typeof params.taskId === 'string' ? params.taskId : typeof params.name === 'string' ? params.name : undefined;
  const res = await fetch(server.url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: META } }),
    headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', 'mcp-protocol-version': VERSION, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) },
  });
  const text = await res.text();
  const body = JSON.parse(text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data: {'))!.slice(6)) as Record<string, any>;
  assert.ok(body.result, `${method}: ${text}`);
  return body.result;
}

/** Poll tasks/get (at most 5 s) until the task has `status`. */
async function until(server: ServeProcess, taskId: string, status: string): Promise<Record<string, any>> {
  for (let i = 0; i < 100; i++) {
    const task = await call(server, 'tasks/get', { taskId });
    if (task.status === status) return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`task ${taskId} did not reach ${status} within 5 s`);
}

const test = suite('tasks (2026): kill -9 during input_required, then restart on the same state');

test('the resumed task asks under the same key, completes on tasks/update, and deletes once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-kill9-modern-'));
  let server = await start(dir);
  try {
    const created = await call(server, 'tools/call', { name: 'confirm_delete', arguments: { target: 'report.txt' } });
    assert.is(created.resultType, 'task');
    const taskId = created.taskId as string;
    const before = Object.keys((await until(server, taskId, 'input_required')).inputRequests);
    await killed(server.child);

    server = await start(dir);
    assert.match(server.log(), /resumed 1 tasks/);
    const after = Object.keys((await until(server, taskId, 'input_required')).inputRequests);
    assert.equal(after, before, 'the same question, under the same key');
    await call(server, 'tasks/update', { taskId, inputResponses: { [after[0]!]: { action: 'accept', content: { confirm: true } } } });
    const done = await until(server, taskId, 'completed');
    assert.equal(done.result.content, [{ type: 'text', text: 'Deleted report.txt.' }]);
    assert.equal((await readFile(join(dir, 'fixture-effects.log'), 'utf8')).split('\n').filter(Boolean), [`${taskId} deleted report.txt`]);
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
