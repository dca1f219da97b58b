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
import { createClient, createStdioClientTransport, type InboundContext } from 'mcpwire/client';
import type { ElicitResult } from 'mcpwire/protocol';

const fixture = fileURLToPath(new URL('./task-asks-server.mjs', import.meta.url));
const test = suite('client over stdio: a question naming a task belongs to that task');

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

interface Asked { ctx: InboundContext; aborted: Promise<unknown> }

/** A client on the fixture; `answer` answers each form at once, else a form waits for its abort. */
function setup(answer?: ElicitResult) {
  let stderr = '';
  let sawAnswer!: () => void;
  const answered = new Promise<void>((r) => { sawAnswer = r; });
  const asked: Asked[] = [];
  let onAsked: (() => void) | undefined;
  const client = createClient({ name: 't', version: '1' }, {
    era: 'legacy',
    onElicit: (_params, ctx) => new Promise((resolve) => {
      const aborted = new Promise((r) => ctx.signal.addEventListener('abort', () => { r(ctx.signal.reason); resolve({ action: 'cancel' }); }, { once: true }));
      asked.push({ ctx, aborted });
      onAsked?.();
      if (answer) resolve(answer);
    }),
  });
  const transport = createStdioClientTransport({
    command: process.execPath, args: [fixture], closeGraceMs: 2_000,
    stderr: (chunk) => { stderr += chunk; if (/^answer /m.test(stderr)) sawAnswer(); },
  });
  const nextAsk = () => new Promise<void>((r) => { onAsked = r; });
  return { client, transport, asked, nextAsk, answered, stderr: () => stderr };
}

const codeOf = (e: Error & { code?: string }) => e.code;

test('the question for task t1 ends with tasks/result t1, while another call still runs', async () => {
  const s = setup();
  try {
    await s.client.connect(s.transport);
    const holding = new AbortController();
    const hold = s.client.callTool('hold', {}, { signal: holding.signal }).then(() => 'answered', codeOf);
    const askedOnce = s.nextAsk();
    const waiting = new AbortController();
    const result = s.client.getTaskResult('t1', { signal: waiting.signal }).then(() => 'answered', codeOf);
    await within(askedOnce, 10_000, 'the question reached onElicit');
    waiting.abort();
    assert.is(await result, 'MCP_ERR_ABORTED');
    const reason = await within(s.asked[0]!.aborted, 5_000, 'the form\'s signal aborted once tasks/result t1 was given up');
    assert.match(String((reason as Error).message), /tasks\/result \d+, which this request was asked for, has ended/);
    holding.abort();
    assert.is(await hold, 'MCP_ERR_ABORTED');
  } finally {
    await s.client.close();
  }
});

test('a question for a task with no tasks/result pending is not ended by the calls that were pending', async () => {
  const s = setup();
  try {
    await s.client.connect(s.transport);
    const holding = new AbortController();
    const hold = s.client.callTool('hold', {}, { signal: holding.signal }).then(() => 'answered', codeOf);
    const askedOnce = s.nextAsk();
    const asking = new AbortController();
    const call = s.client.callTool('ask', { task: 't9' }, { signal: asking.signal }).then(() => 'answered', codeOf);
    await within(askedOnce, 10_000, 'the question reached onElicit');
    holding.abort();
    asking.abort();
    assert.is(await hold, 'MCP_ERR_ABORTED');
    assert.is(await call, 'MCP_ERR_ABORTED');
    // Both calls' ends ran their course (their rejections came after them): the task's question is still open.
    assert.is(s.asked[0]!.ctx.signal.aborted, false);
  } finally {
    await s.client.close();
  }
});

test('the answer to a task\'s question carries the task\'s related-task _meta', async () => {
  const s = setup({ action: 'accept', content: { seat: '12A' } });
  try {
    await s.client.connect(s.transport);
    const asking = new AbortController();
    const call = s.client.callTool('ask', { task: 't7' }, { signal: asking.signal }).then(() => 'answered', codeOf);
    await within(s.answered, 10_000, 'the server got the form\'s answer');
    const line = /^answer q\d+ (.*)$/m.exec(s.stderr())?.[1];
    assert.equal(JSON.parse(line ?? 'null'), {
      action: 'accept', content: { seat: '12A' }, _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't7' } },
    });
    asking.abort();
    assert.is(await call, 'MCP_ERR_ABORTED');
  } finally {
    await s.client.close();
  }
});

test.run();
