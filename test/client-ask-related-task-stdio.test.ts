// 2025-11-25 basic/utilities/tasks: a server's request that serves a task MUST carry the task's
// `io.modelcontextprotocol/related-task` `_meta`, and so MUST the client's response to it.
// Over stdio nothing else says which request of ours a question is for, so the client used to
// take it to be for every request pending when it came (test/client-ask-ends-with-call-stdio.test.ts):
// a question for task t1, asked while `tasks/result` t1 and an unrelated call were pending,
// stayed open after `tasks/result` t1 was given up; and a question for a task with no
// `tasks/result` pending was aborted when unrelated calls ended. The task's id now decides.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { setupAsk as setup, within } from './support/ask-stdio.ts';

const fixture = fileURLToPath(new URL('./task-asks-server.mjs', import.meta.url));
const test = suite('client over stdio: a question naming a task belongs to that task');

test('the question for task t1 ends with tasks/result t1, while another call still runs', async () => {
  const s = setup(fixture);
  try {
    await s.client.connect(s.transport);
    const hold = s.call('hold');
    const askedOnce = s.nextAsk();
    const waiting = new AbortController();
    const result = s.client.getTaskResult('t1', { signal: waiting.signal }).then(() => 'answered', (e: Error & { code?: string }) => e.code);
    await within(askedOnce, 10_000, 'the question reached onElicit');
    waiting.abort();
    assert.is(await result, 'MCP_ERR_ABORTED');
    const reason = await within(s.asked[0]!.aborted, 5_000, 'the form\'s signal aborted once tasks/result t1 was given up');
    assert.match(String((reason as Error).message), /tasks\/result \d+, which this request was asked for, has ended/);
    hold.controller.abort();
    assert.is(await hold.outcome, 'MCP_ERR_ABORTED');
  } finally {
    await s.client.close();
  }
});

test('a question for a task with no tasks/result pending is not ended by the calls that were pending', async () => {
  const s = setup(fixture);
  try {
    await s.client.connect(s.transport);
    const hold = s.call('hold');
    const askedOnce = s.nextAsk();
    const ask = s.call('ask', { task: 't9' });
    await within(askedOnce, 10_000, 'the question reached onElicit');
    hold.controller.abort();
    ask.controller.abort();
    assert.is(await hold.outcome, 'MCP_ERR_ABORTED');
    assert.is(await ask.outcome, 'MCP_ERR_ABORTED');
    // Both calls' ends ran their course (their rejections came after them): the task's question is still open.
    assert.is(s.asked[0]!.ctx.signal.aborted, false);
  } finally {
    await s.client.close();
  }
});

test('the answer to a task\'s question carries the task\'s related-task _meta', async () => {
  const s = setup(fixture, { action: 'accept', content: { seat: '12A' } });
  try {
    await s.client.connect(s.transport);
    const ask = s.call('ask', { task: 't7' });
    await within(s.answered, 10_000, 'the server got the form\'s answer');
    const line = /^answer q\d+ (.*)$/m.exec(s.stderr())?.[1];
    assert.equal(JSON.parse(line ?? 'null'), {
      action: 'accept', content: { seat: '12A' }, _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't7' } },
    });
    ask.controller.abort();
    assert.is(await ask.outcome, 'MCP_ERR_ABORTED');
  } finally {
    await s.client.close();
  }
});

test.run();
