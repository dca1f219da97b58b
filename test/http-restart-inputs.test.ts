// A question a call asked its client (elicitation) is asked once across a server restart
// (issue #11 defect 2, server side): its answer is saved with the call, so the re-run gets
// the recorded answer instead of asking again, and an answer to a question of the previous
// process is taken by the re-run that asks it again, not dropped as "unknown request id".
// Two handlers on one store stand for the process before and after the restart.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore, type SessionEventStore } from 'mcpwire/transport';
import type { McpServer } from 'mcpwire/server';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'confirm', arguments: {} } };

/** `confirm` asks one question, then (in the first process) waits until the process ends. */
function serverProcess(store: SessionEventStore, holdAfterAnswer: boolean) {
  const errors: Error[] = [];
  let answered!: () => void;
  const gotAnswer = new Promise<void>((r) => { answered = r; });
  const setup = (server: McpServer) => {
    server.tool({ name: 'confirm', description: 'asks, then answers', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      const reply = await ctx.elicit({ message: 'Book it?', requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } });
      answered();
      if (holdAfterAnswer) await untilAborted(ctx.signal);
      return `answer: ${String(reply.content?.answer)}`;
    });
    // Reports progress that differs in each process before it asks: the re-run diverges from the history first.
    server.tool({ name: 'report_then_confirm', description: 'reports, asks, then answers', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      await ctx.progress(1, 2, holdAfterAnswer ? 'first process' : 'after the restart');
      const reply = await ctx.elicit({ message: 'Book it?', requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } });
      return `answer: ${String(reply.content?.answer)}`;
    });
    server.tool({ name: 'summarize_once', description: 'asks the client model, then answers', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Summarize: a trip to Lisbon' } }], maxTokens: 50 });
      answered();
      if (holdAfterAnswer) await untilAborted(ctx.signal);
      return `summary: ${reply.content && !Array.isArray(reply.content) && reply.content.type === 'text' ? reply.content.text : '?'}`;
    });
  };
  const f = makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0, onError: (e) => errors.push(e) }, setup);
  return { f, errors, gotAnswer };
}

/** Resolves never; rejects when `signal` aborts (the process ends). */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

/** `p`, or a rejection naming `what` after 10 s. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}

async function closeAll(...fs: Fixture[]): Promise<void> {
  for (const f of fs) await f.close();
}

const once = suite('restart: a question is asked once, and its answer is never lost');

once('an answer given before the restart is reused by the re-run: no second question', async () => {
  const store = createMemoryEventStore();
  const before = serverProcess(store, true);
  const sid = await before.f.initialize();
  const res = await before.f.post(call, session(sid));
  const first = await readEvents(res, 2); // the priming event and the elicitation request
  const question = messagesOf(first)[0]!;
  assert.is(question.method, 'elicitation/create');
  assert.is((await before.f.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'yes' } } }, session(sid))).status, 202);
  await before.gotAnswer;
  await before.f.handler.close(); // the process ends with the call in flight

  const after = serverProcess(store, false);
  try {
    assert.is(await after.f.handler.restore(), 1);
    const resumed = await after.f.get({ ...session(sid), 'last-event-id': first[1]!.id! });
    const rest = messagesOf(await within(readEvents(resumed, 1), 'the rest of the call'));
    assert.equal(rest.filter((m) => m.method === 'elicitation/create'), [], 'the question is not asked again');
    assert.equal(rest.find((m) => m.id === 1)?.result?.content, [{ type: 'text', text: 'answer: yes' }]);
    assert.equal(after.errors.map((e) => e.message), []);
  } finally {
    await closeAll(before.f, after.f);
  }
});

once('a question open across the restart: the answer to the first process\'s request completes the re-run', async () => {
  const store = createMemoryEventStore();
  const before = serverProcess(store, false);
  const sid = await before.f.initialize();
  const first = await readEvents(await before.f.post(call, session(sid)), 2);
  const question = messagesOf(first)[0]!;
  assert.is(question.method, 'elicitation/create');
  await before.f.handler.close(); // the process ends while the user is still answering

  const after = serverProcess(store, false);
  try {
    assert.is(await after.f.handler.restore(), 1);
    const resumed = await after.f.get({ ...session(sid), 'last-event-id': first[1]!.id! });
    assert.is(resumed.status, 200);
    // The client answers the request it holds, with the id the first process gave it.
    assert.is((await after.f.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'later' } } }, session(sid))).status, 202);
    const rest = messagesOf(await within(readEvents(resumed, 1), 'the rest of the call'));
    assert.equal(rest.filter((m) => m.method === 'elicitation/create'), [], 'the question is not asked again');
    assert.equal(rest.find((m) => m.id === 1)?.result?.content, [{ type: 'text', text: 'answer: later' }]);
    assert.equal(after.errors.map((e) => e.message), [], 'no "response to unknown request id"');
  } finally {
    await closeAll(before.f, after.f);
  }
});

once('a question open across the restart, the re-run diverging before it: not sent again (the history holds it), the answer completes the re-run', async () => {
  // faults29: a re-run's question the history does not hold is sent again; one it holds must
  // not be, though the re-run's progress before it already differed from the history.
  const store = createMemoryEventStore();
  const before = serverProcess(store, true);
  const sid = await before.f.initialize();
  const first = await readEvents(await before.f.post({ ...call, params: { name: 'report_then_confirm', arguments: {}, _meta: { progressToken: 'p' } } }, session(sid)), 3);
  const question = messagesOf(first)[1]!;
  assert.is(question.method, 'elicitation/create');
  await before.f.handler.close();

  const after = serverProcess(store, false);
  try {
    assert.is(await after.f.handler.restore(), 1);
    const resumed = await after.f.get({ ...session(sid), 'last-event-id': first[2]!.id! });
    assert.is((await after.f.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'later' } } }, session(sid))).status, 202);
    const rest = messagesOf(await within(readEvents(resumed, 2), 'the rest of the call'));
    assert.equal(rest.map((m) => m.method ?? m.id), ['notifications/progress', 1], 'the re-run\'s progress (new), no second question, the result');
    assert.equal(rest[1]!.result?.content, [{ type: 'text', text: 'answer: later' }]);
  } finally {
    await closeAll(before.f, after.f);
  }
});

once('sampling: an answer given before a restart is reused after two restarts, never asked again', async () => {
  const store = createMemoryEventStore();
  const first = serverProcess(store, true);
  // initialize declaring sampling, by hand (the fixture declares elicitation only)
  const init = await first.f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 't', version: '1' } } });
  const sid = init.headers.get('mcp-session-id')!;
  await init.text();
  assert.is((await first.f.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session(sid))).status, 202);
  const opened = await readEvents(await first.f.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'summarize_once', arguments: {} } }, session(sid)), 2);
  const question = messagesOf(opened)[0]!;
  assert.is(question.method, 'sampling/createMessage');
  const sampled = { role: 'assistant', content: { type: 'text', text: 'sunny' }, model: 'm' };
  assert.is((await first.f.post({ jsonrpc: '2.0', id: question.id, result: sampled }, session(sid))).status, 202);
  await first.gotAnswer;
  await first.f.handler.close();

  const second = serverProcess(store, true); // the re-run gets the answer, and the process ends again
  assert.is(await second.f.handler.restore(), 1);
  await within(second.gotAnswer, 'the re-run after the first restart');
  await second.f.handler.close();

  const third = serverProcess(store, false);
  try {
    assert.is(await third.f.handler.restore(), 1);
    const resumed = await third.f.get({ ...session(sid), 'last-event-id': opened[1]!.id! });
    const rest = messagesOf(await within(readEvents(resumed, 1), 'the rest of the call'));
    assert.equal(rest.filter((m) => m.method === 'sampling/createMessage'), [], 'the model is not asked again');
    assert.equal(rest.find((m) => m.id === 1)?.result?.content, [{ type: 'text', text: 'summary: sunny' }]);
    assert.equal([...second.errors, ...third.errors].map((e) => e.message), []);
  } finally {
    await closeAll(first.f, second.f, third.f);
  }
});

once.run();
