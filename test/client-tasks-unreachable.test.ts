// A task outlives a server restart (the store keeps it, the new process resumes it), but
// `client.tasks.wait()` (and `callTool(..., { task: true })`) failed at its first `tasks/get`
// that met the restart: "POST tasks/get failed before any response: connect ECONNREFUSED",
// then "failed with HTTP 503 Service Unavailable: starting" while the server restored its
// state. The result, there a moment later, was lost to the caller (test/fault-kill9-modern.ts
// found it against a real `serve --state`). Now such a poll is sent again for `unreachableMs`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createTaskClient, DEFAULT_TASK_UNREACHABLE_MS, type TaskClientDeps } from 'mcpwire/client/tasks';
import { HttpError, LocalErrorCode, McpError } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { within } from './tasks-fixture.ts';
import { modernTasks, rawRequest, type ModernTasks } from './tasks-modern-kit.ts';

function tools(server: McpServer): void {
  server.tool({ name: 'job', description: 'Answers at once.', execution: { taskSupport: 'optional' } }, async () => 'job done');
}

const refused = () => new McpError(LocalErrorCode.StreamLost, 'POST tasks/get failed before any response: connect ECONNREFUSED 127.0.0.1:1', {
  cause: Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }),
});
const starting = () => new HttpError(503, 'POST tasks/get failed with HTTP 503 Service Unavailable: starting');

/** Raw 2026 requests to `t`; `fail(method)` may throw instead, as a transport would. */
function deps(t: ModernTasks, fail: (method: string) => Error | undefined): TaskClientDeps {
  const raw = rawRequest(t);
  return {
    async request(method, params, options) {
      const error = fail(method);
      if (error) throw error;
      return raw(method, params, options);
    },
    protocolVersion: () => '2026-07-28',
    serverCapabilities: () => undefined,
    tool: async () => undefined,
    resume: { store: createMemoryResumeStore(), serverKey: 'server' },
  };
}

const test = suite('client tasks: wait() rides out a server that cannot be reached');

test('tasks/get refused twice, then 503 "starting": the result arrives', async () => {
  const t = modernTasks(tools);
  const failures = [refused(), refused(), starting()];
  let gets = 0;
  const tasks = createTaskClient(deps(t, (method) => (method === 'tasks/get' && ++gets <= failures.length ? failures[gets - 1] : undefined)));
  const result = await within(tasks.callTool('job', {}, { task: true, pollIntervalMs: 10 }));
  assert.equal(result.content, [{ type: 'text', text: 'job done' }]);
  assert.is(gets, 4);
});

test('past unreachableMs it fails naming the option; 0 throws the first failure as it is; other errors are not retried', async () => {
  const t = modernTasks(tools);
  const always = createTaskClient(deps(t, (method) => (method === 'tasks/get' ? refused() : undefined)));
  const late = await always.callTool('job', {}, { task: true, pollIntervalMs: 20, unreachableMs: 100 }).then(() => undefined, (e: Error) => e);
  assert.instance(late, McpError);
  assert.is((late as McpError).code, LocalErrorCode.StreamLost);
  assert.match(late!.message, /^task \S+: the server could not be reached for 100 ms \(unreachableMs\), the task may still run there: POST tasks\/get failed before any response: connect ECONNREFUSED/);
  const first = await always.callTool('job', {}, { task: true, unreachableMs: 0 }).then(() => undefined, (e: Error) => e);
  assert.is(first!.message, 'POST tasks/get failed before any response: connect ECONNREFUSED 127.0.0.1:1');
  let gets = 0;
  const other = createTaskClient(deps(t, (method) => (method === 'tasks/get' && ++gets === 1 ? new HttpError(500, 'POST tasks/get failed with HTTP 500') : undefined)));
  const refusedOnce = await other.callTool('job', {}, { task: true, pollIntervalMs: 10 }).then(() => undefined, (e: Error) => e);
  assert.is(refusedOnce!.message, 'POST tasks/get failed with HTTP 500');
  assert.is(DEFAULT_TASK_UNREACHABLE_MS, 60_000);
});

test('a step of the wall clock neither ends the wait (forward 2 h) nor stretches it (back 2 h): unreachableMs is monotonic', async () => {
  const t = modernTasks(tools);
  const realNow = Date.now;
  let step = 0;
  try {
    // Forward: the second refusal finds the wall clock 2 h on; the third failure is a 503.
    let gets = 0;
    const forward = createTaskClient(deps(t, (method) => {
      if (method !== 'tasks/get' || ++gets > 3) return undefined;
      if (gets === 2) step = 2 * 3600_000;
      return gets === 3 ? starting() : refused();
    }));
    Date.now = () => realNow() + step;
    const result = await within(forward.callTool('job', {}, { task: true, pollIntervalMs: 10, unreachableMs: 60_000 }));
    assert.equal(result.content, [{ type: 'text', text: 'job done' }]);
    // Back: the clock goes 2 h back after the first refusal; the limit (100 ms) still holds.
    step = 0;
    gets = 0;
    const back = createTaskClient(deps(t, (method) => {
      if (method !== 'tasks/get') return undefined;
      if (++gets === 2) step = -2 * 3600_000;
      return refused();
    }));
    const late = await within(back.callTool('job', {}, { task: true, pollIntervalMs: 20, unreachableMs: 100 }).then(() => undefined, (e: Error) => e), 5_000, 'the end of the wait');
    assert.match(late!.message, /could not be reached for 100 ms \(unreachableMs\)/);
  } finally {
    Date.now = realNow;
  }
});

test.run();
