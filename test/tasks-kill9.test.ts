// kill -9 a real `mcpwire serve --http --fixtures --state DIR` while a task waits for the
// user (input_required), restart it on the same directory: the task is resumed, the
// question reaches the client once, the answer completes the task, and the side effect
// (confirm_delete's deletion record) happens once; then its task log damaged at the end as a
// kill mid-write or a bad disk leaves it (faults26). Real processes on 127.0.0.1, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCEPT_BOTH } from './http-fixture.ts';
import { killed, startServe, type ServeProcess } from './serve-process.ts';
import { answerOf, SseMessages } from './sse-messages.ts';

const RELATED = 'io.modelcontextprotocol/related-task';
const start = (dir: string) => startServe(['--fixtures', '--state', dir]);

/** A 2025-11-25 session over raw HTTP, posting to whichever process `current()` names. */
async function openSession(current: () => ServeProcess) {
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(current().url, {
    method: 'POST', body: JSON.stringify(body), headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers },
  });
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'kill9', version: '1' } } });
  const sid = init.headers.get('mcp-session-id')!;
  await init.text();
  const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);
  return { sid, headers, post: (body: unknown) => post(body, headers) };
}

/** POST a request and read its answer (JSON or SSE). */
async function call(post: (body: unknown) => Promise<Response>, id: number, method: string, params: unknown): Promise<Record<string, any>> {
  return await answerOf(await post({ jsonrpc: '2.0', id, method, params }), id);
}

const test = suite('tasks: kill -9 during input_required, then restart on the same state');

test('the task completes after the restart, the question is asked once, and the deletion happens once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-kill9-'));
  let server = await start(dir);
  try {
    const s = await openSession(() => server);
    const events = new SseMessages(await fetch(server.url, { headers: { accept: 'text/event-stream', ...s.headers } }));
    const created = await call(s.post, 1, 'tools/call', { name: 'confirm_delete', arguments: { target: 'report.txt' }, task: { ttl: 600_000 } });
    const taskId = created.result.task.taskId as string;
    assert.is(created.result.task.status, 'working');
    await events.next((m) => m.method === 'notifications/tasks/status' && m.params.taskId === taskId && m.params.status === 'input_required');
    await events.cancel();
    await killed(server.child);

    server = await start(dir);
    assert.match(server.log(), /restored 1 sessions/);
    assert.match(server.log(), /resumed 1 tasks/);
    const got = await call(s.post, 2, 'tasks/get', { taskId });
    assert.ok(['working', 'input_required'].includes(got.result.status), `status after restart: ${got.result.status}`);

    // The owner fetches the result: the question comes on that stream, tagged with the task.
    const result = new SseMessages(await s.post({ jsonrpc: '2.0', id: 3, method: 'tasks/result', params: { taskId } }));
    const asked: Record<string, any>[] = [];
    let answer: Record<string, any> | undefined;
    while (!answer) {
      const m = await result.next((x) => x.method === 'elicitation/create' || x.id === 3);
      if (m.id === 3 && !('method' in m)) { answer = m; break; }
      asked.push(m);
      assert.equal(m.params._meta?.[RELATED], { taskId });
      assert.is((await s.post({ jsonrpc: '2.0', id: m.id, result: { action: 'accept', content: { confirm: true } } })).status, 202);
    }
    assert.is(asked.length, 1, 'the question is asked once');
    assert.equal(answer.result.content, [{ type: 'text', text: 'Deleted report.txt.' }]);
    assert.equal(answer.result._meta, { [RELATED]: { taskId } });
    assert.is((await call(s.post, 4, 'tasks/get', { taskId })).result.status, 'completed');
    assert.equal((await readFile(join(dir, 'fixture-effects.log'), 'utf8')).split('\n').filter(Boolean), [`${taskId} deleted report.txt`]);

    // Finished tasks stay finished across another kill -9: nothing is re-run.
    await killed(server.child);
    server = await start(dir);
    assert.not.match(server.log(), /resumed \d+ tasks/);
    assert.is((await call(s.post, 5, 'tasks/get', { taskId })).result.status, 'completed');
    assert.equal((await readFile(join(dir, 'fixture-effects.log'), 'utf8')).split('\n').filter(Boolean).length, 1);

    // faults26: the task log ending as a kill mid-write leaves it (half a record: removed
    // without a word, never acknowledged), then as a disk may (a whole line gone bad: reported
    // on stderr with the file and the byte). Either way the task stays completed, not re-run.
    const damages: Array<[(last: string) => string, RegExp | undefined]> = [
      [(last) => last.slice(0, Math.floor(last.length / 2)), undefined],
      [(last) => `${'\u0000'.repeat(Math.min(64, last.length))}\n`, /task store: task log \S+tasks\.log: damaged line at byte \d+ skipped/],
    ];
    for (const [i, [damage, report]] of damages.entries()) {
      await killed(server.child);
      const path = join(dir, 'tasks', 'tasks.log');
      const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.startsWith('{'));
      await appendFile(path, damage(lines.at(-1)!));
      server = await start(dir);
      const told = server.log().split('\n').filter((l) => /task store:/.test(l));
      if (report) assert.ok(told.some((l) => report.test(l)), server.log());
      else assert.equal(told, [], 'a cut write is no damage');
      assert.not.match(server.log(), /resumed \d+ tasks/);
      assert.is((await call(s.post, 6 + 2 * i, 'tasks/get', { taskId })).result.status, 'completed');
      assert.equal((await call(s.post, 7 + 2 * i, 'tasks/result', { taskId })).result.content, [{ type: 'text', text: 'Deleted report.txt.' }]);
      assert.equal((await readFile(join(dir, 'fixture-effects.log'), 'utf8')).split('\n').filter(Boolean).length, 1);
    }
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
