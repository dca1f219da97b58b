// The tasks extension through subscriptions/listen (SEP-2663): a stream that names taskIds
// hears notifications/tasks with the task's DetailedTask as its status changes; a listener
// that names taskIds without declaring the extension is -32021.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcNotification } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { envelope } from './modern-kit.ts';
import { gate, within } from './tasks-fixture.ts';
import { modernTasks, WITH_TASKS } from './tasks-modern-kit.ts';

const SUB = 'io.modelcontextprotocol/subscriptionId';

function jobTool(release: Promise<void>) {
  return (server: McpServer) => {
    server.tool({ name: 'job', description: 'Waits for the test.', execution: { taskSupport: 'optional' } }, async () => {
      await release;
      return 'job done';
    });
  };
}

/** Open a listen stream on `t`; `next(match)` resolves with the first notification that matches. */
function listen(t: ReturnType<typeof modernTasks>, notifications: Record<string, unknown>, caps: Record<string, unknown>) {
  const heard: JsonRpcNotification[] = [];
  const waiters = new Set<{ match: (n: JsonRpcNotification) => boolean; done: (n: JsonRpcNotification) => void }>();
  const cancel = new AbortController();
  const answer = t.dispatcher.handle({ jsonrpc: '2.0', id: 'listen-1', method: 'subscriptions/listen', params: { notifications, _meta: envelope(caps) } }, {
    notify: (n) => {
      heard.push(n);
      for (const w of [...waiters]) if (w.match(n)) { waiters.delete(w); w.done(n); }
    },
    signal: cancel.signal,
  });
  const next = (match: (n: JsonRpcNotification) => boolean, what: string) => {
    const found = heard.find(match);
    if (found) return Promise.resolve(found);
    return within(new Promise<JsonRpcNotification>((done) => waiters.add({ match, done })), 5000, what);
  };
  return { heard, next, close: async () => { cancel.abort(); await answer; } };
}

const test = suite('tasks-modern-listen');

test('taskIds in the filter: acknowledged, then notifications/tasks with the DetailedTask, tagged with the subscription', async () => {
  const release = gate();
  const t = modernTasks(jobTool(release.promise));
  const created = await t.call('tools/call', { name: 'job', arguments: {} });
  const stream = listen(t, { taskIds: [created.taskId] }, WITH_TASKS);
  try {
    const ack = await stream.next((n) => n.method === 'notifications/subscriptions/acknowledged', 'the acknowledgement');
    assert.equal((ack.params as any).notifications, { taskIds: [created.taskId] });
    release.open();
    const done = await stream.next((n) => n.method === 'notifications/tasks' && (n.params as any).status === 'completed', 'the completed status');
    const params = done.params as any;
    assert.is(params.taskId, created.taskId);
    assert.equal(params.result.content, [{ type: 'text', text: 'job done' }]);
    assert.is(params._meta?.[SUB], 'listen-1');
  } finally {
    await stream.close();
  }
});

// ext-tasks "Task Status Notifications": a listen that names taskIds without declaring the
// extension MUST be -32021 naming it. The server used to acknowledge it without taskIds.
test('a listener that names taskIds without declaring the extension is -32021 naming it, with no acknowledgement', async () => {
  const t = modernTasks(jobTool(Promise.resolve()));
  const created = await t.call('tools/call', { name: 'job', arguments: {} });
  const heard: JsonRpcNotification[] = [];
  const cancel = new AbortController();
  const answer = t.dispatcher.handle({
    jsonrpc: '2.0', id: 'listen-2', method: 'subscriptions/listen',
    params: { notifications: { taskIds: [created.taskId], toolsListChanged: true }, _meta: envelope({ elicitation: {} }) },
  }, { notify: (n) => { heard.push(n); }, signal: cancel.signal });
  try {
    const message = (await within(answer, 5000, 'the answer to the listen request'))?.message as { error?: { code: number; data?: unknown } };
    assert.is(message.error?.code, -32021);
    assert.equal(message.error?.data, { requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } });
    assert.equal(heard, [], 'nothing was sent on the stream');
  } finally {
    cancel.abort();
  }
});

test('a listener without the extension that names no taskIds is served as before', async () => {
  const t = modernTasks(jobTool(Promise.resolve()));
  const stream = listen(t, { toolsListChanged: true, taskIds: [] }, { elicitation: {} });
  try {
    const ack = await stream.next((n) => n.method === 'notifications/subscriptions/acknowledged', 'the acknowledgement');
    assert.equal((ack.params as any).notifications, { toolsListChanged: true });
  } finally {
    await stream.close();
  }
});

test('taskIds that is not an array of strings is -32602', async () => {
  const t = modernTasks(jobTool(Promise.resolve()));
  const error = await t.fail('subscriptions/listen', { notifications: { taskIds: 'x' } });
  assert.is(error.code, -32602);
});

test.run();
