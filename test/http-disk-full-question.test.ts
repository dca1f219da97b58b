// A question to the client (elicitation) that a full disk refuses, behind the Streamable HTTP
// server with a file event store: the handler hears the refusal (the question is not sent),
// its call's outcome goes live unstored, and the operator reads one line for the one cause.
// Before (faults27's Left): three lines with restart recovery (the in-flight record's save of
// the question, the stream's failed step, the response) and a fourth (the record's save at
// the call's end); two without. And the refused question kept its slot among the pending
// server-to-client requests until the session ended: with `maxPendingServerRequests: 1` the
// next question, once the disk had room, was refused as one too many. And it stayed in the
// call's in-flight record as asked: after a restart, the re-run's question matched it and
// waited for an answer to a question the client never got (the answer given to the question
// asked again was not taken); the same when the record's save landed and the store refused
// the question's event.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore, createMemoryEventStore } from 'mcpwire/transport';
import { enospc, fullDiskFs } from './support/full-disk-fs.ts';
import type { McpServer } from 'mcpwire/server';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';
import { within } from './tasks-fixture.ts';

const VERSION = '2025-11-25';
const dirs: string[] = [];
const test = suite('the HTTP server: a question refused by a full disk');

for (const recoverInflight of [true, false]) {
  test(`${recoverInflight ? 'with' : 'without'} restart recovery: the handler hears it, one line for the operator`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpwire-ask-full-'));
    dirs.push(dir);
    const disk = { full: false };
    const reports: string[] = [];
    const store = await createFileEventStore({ dir, fs: fullDiskFs(disk), onError: (e) => reports.push(`store: ${e.message}`) });
    let go: (() => void) | undefined;
    const heard: string[] = [];
    const fixture = makeFixture({ eventStore: store, recoverInflight, maxPendingServerRequests: 1, onError: (e) => reports.push(e.message) }, (server) => {
      server.tool({ name: 'asks', description: 'Asks the user once the test says so.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
        await new Promise<void>((resolve) => { go = resolve; });
        try {
          const answer = await ctx.elicit({ message: 'Go on?', requestedSchema: { type: 'object', properties: {} } });
          return `answered ${answer.action}`;
        } catch (error) {
          heard.push((error as Error).message);
          return { content: [{ type: 'text', text: 'not asked: the question could not be kept' }], isError: true };
        }
      });
    });
    try {
      const session = await fixture.initialize(VERSION);
      const headers = { 'mcp-session-id': session, 'mcp-protocol-version': VERSION };
      const res = await fixture.post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'asks', arguments: {} } }, headers);
      const reading = readEvents(res);
      while (!go) await new Promise((r) => setImmediate(r));
      disk.full = true;
      go();
      const messages = messagesOf(await reading);
      assert.equal(messages.map((m) => m.method ?? m.id), [5], 'the question was not sent; the response was');
      assert.is(messages[0]!.result?.content?.[0]?.text, 'not asked: the question could not be kept');
      assert.is(heard.length, 1);
      assert.match(heard[0]!, /no space left/);
      go = undefined;
      await fixture.handler.close(); // every save and report of the call is in
      assert.is(reports.length, 1, reports.join(' | '));
      assert.match(reports[0]!, /^the response to request 5 could not be stored \(.*no space left.*\): it was sent on the live connection only/);
    } finally {
      disk.full = false;
      await fixture.close();
      await store.close();
    }
  });
}

test('the refused question\'s slot is given back: with maxPendingServerRequests 1 the next question is sent once the disk has room', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-ask-full-'));
  dirs.push(dir);
  const disk = { full: false };
  const reports: string[] = [];
  const store = await createFileEventStore({ dir, fs: fullDiskFs(disk), onError: (e) => reports.push(e.message) });
  let go: (() => void) | undefined;
  /** The tool's release, once it runs. */
  const started = async (): Promise<() => void> => {
    while (!go) await new Promise((r) => setImmediate(r));
    return go;
  };
  const fixture = makeFixture({ eventStore: store, recoverInflight: true, maxPendingServerRequests: 1 }, (server) => {
    server.tool({ name: 'asks', description: 'Asks the user once the test says so.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      await new Promise<void>((resolve) => { go = resolve; });
      try {
        return `answered ${(await ctx.elicit({ message: 'Go on?', requestedSchema: { type: 'object', properties: {} } })).action}`;
      } catch (error) {
        return { content: [{ type: 'text', text: (error as Error).message }], isError: true };
      }
    });
  });
  try {
    const session = await fixture.initialize(VERSION);
    const headers = { 'mcp-session-id': session, 'mcp-protocol-version': VERSION };
    const first = await fixture.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'asks', arguments: {} } }, headers);
    const firstRead = readEvents(first);
    const release = await started();
    disk.full = true;
    release();
    assert.match(messagesOf(await firstRead).at(-1)!.result.content[0].text, /no space left/);
    disk.full = false;
    go = undefined;
    const second = await fixture.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'asks', arguments: {} } }, headers);
    const secondRead = readEvents(second, 2);
    (await started())();
    const question = messagesOf(await secondRead).at(-1)!;
    // Before: "cannot send elicitation/create: 1 server-to-client requests already await answers".
    assert.is(question?.method, 'elicitation/create', JSON.stringify(question));
    const answered = await fixture.post({ jsonrpc: '2.0', id: question.id, result: { action: 'decline' } }, headers);
    assert.is(answered.status, 202);
  } finally {
    await fixture.close();
    await store.close();
  }
});

const QUESTION = { message: 'Book it?', requestedSchema: { type: 'object' as const, properties: { answer: { type: 'string' as const } } } };

/** One server process on the shared store: its fixture, and what ends it beyond the fixture. */
interface Process { f: Fixture; close(): Promise<void> }

/**
 * `confirm` asks; refused (while `refusing(true)`), it waits for room and asks again, then
 * holds until its process ends. The client answers the question asked again; the process ends
 * with the call in flight; one started again (`open`) restores the session and re-runs the
 * call. Resolves with what the client resuming the call's stream gets.
 */
async function refusedThenRestarted(open: (setup: (server: McpServer) => void) => Promise<Process>, refusing: (on: boolean) => void): Promise<Array<Record<string, any>>> {
  let go: (() => void) | undefined;
  let refused!: () => void;
  const wasRefused = new Promise<void>((resolve) => { refused = resolve; });
  let room!: () => void;
  const roomAgain = new Promise<void>((resolve) => { room = resolve; });
  const setup = (hold: boolean) => (server: McpServer) => {
    server.tool({ name: 'confirm', description: 'Asks once the test says so.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      if (hold) await new Promise<void>((resolve) => { go = resolve; });
      let reply;
      try {
        reply = await ctx.elicit(QUESTION);
      } catch {
        refused();
        await roomAgain;
        reply = await ctx.elicit(QUESTION);
      }
      if (hold) await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
      return `answer: ${String(reply.content?.answer)}`;
    });
  };
  const before = await open(setup(true));
  let next: Process | undefined;
  try {
    const sid = await before.f.initialize(VERSION);
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': VERSION };
    const res = await before.f.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'confirm', arguments: {} } }, headers);
    const reading = readEvents(res, 2); // the priming event and the question asked again
    while (!go) await new Promise((r) => setImmediate(r));
    refusing(true);
    go();
    await wasRefused;
    refusing(false);
    room();
    const first = await reading;
    const asked = messagesOf(first)[0]!;
    assert.is(asked.method, 'elicitation/create');
    assert.is((await before.f.post({ jsonrpc: '2.0', id: asked.id, result: { action: 'accept', content: { answer: 'yes' } } }, headers)).status, 202);
    await before.f.handler.close(); // the process ends with the call in flight
    await before.close();
    next = await open(setup(false));
    assert.is(await next.f.handler.restore(), 1);
    const resumed = await next.f.get({ ...headers, 'last-event-id': first[1]!.id! });
    return messagesOf(await within(readEvents(resumed, 1), 10_000, 'the re-run\'s result'));
  } finally {
    await before.f.close();
    await next?.f.close();
    await next?.close();
  }
}

test('a question refused, then asked again and answered: the re-run after a restart takes that answer, it does not wait for the question never sent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-ask-full-'));
  dirs.push(dir);
  const disk = { full: false };
  const rest = await refusedThenRestarted(async (setup) => {
    const store = await createFileEventStore({ dir, fs: fullDiskFs(disk), onError: () => {} });
    return { f: makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0, onError: () => {} }, setup), close: () => store.close() };
  }, (on) => { disk.full = on; });
  // Before: the refused question was kept as the call's first; the re-run's question matched
  // it, unanswered, and waited for an answer to a question the client never got.
  assert.equal(rest.map((m) => m.id), [1]);
  assert.equal(rest[0]!.result?.content, [{ type: 'text', text: 'answer: yes' }]);
});

test('a question whose record was saved but whose event the store refused is withdrawn from the record too: the re-run takes the answer given later', async () => {
  const memory = createMemoryEventStore();
  const refuse = { on: false };
  // The call's record saves, its stream's appends are refused (a store that takes the small
  // record but not the event; a Proxy, so the memory store's synchronous path is not taken).
  const store = new Proxy(memory, {
    get(target, key) {
      if (key === 'append' && refuse.on) return async () => { throw enospc(); };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const rest = await refusedThenRestarted(async (setup) => ({
    f: makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0, onError: () => {} }, setup),
    close: async () => {},
  }), (on) => { refuse.on = on; });
  // Before: the record kept the refused question as the call's first; the re-run waited for it.
  assert.equal(rest.map((m) => m.id), [1]);
  assert.equal(rest[0]!.result?.content, [{ type: 'text', text: 'answer: yes' }]);
});

test('a question withdrawn whose re-save was refused too is still in the record after a crash: the re-run sends it again (under its recorded id) and takes the answer', async () => {
  // faults28's Left: the record's save of the question landed, the store refused the
  // question's event and then the record's save that withdrew it; the process died in that
  // window. Before: the re-run's question matched the recorded one, unanswered, and was
  // passed over as if the stream's history held it: nothing was sent, the call waited for ever.
  const memory = createMemoryEventStore();
  const faults = { savesLeft: Infinity, appends: true };
  const store = new Proxy(memory, {
    get(target, key) {
      if (key === 'append' && !faults.appends) return async () => { throw enospc(); };
      if (key === 'saveSession' && faults.savesLeft-- <= 0) return async () => { throw enospc(); };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  let go: (() => void) | undefined;
  const heard: string[] = [];
  const open = (first: boolean) => makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0, onError: () => {} }, (server) => {
    server.tool({ name: 'confirm', description: 'Asks once the test says so.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      if (!first) return `answer: ${String((await ctx.elicit(QUESTION)).content?.answer)}`;
      await new Promise<void>((resolve) => { go = resolve; });
      try {
        await ctx.elicit(QUESTION);
      } catch (error) {
        heard.push((error as Error).message);
      }
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
    });
  });
  const before = open(true);
  let after: Fixture | undefined;
  try {
    const sid = await before.initialize(VERSION);
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': VERSION };
    const res = await before.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'confirm', arguments: {} } }, headers);
    const priming = (await readEvents(res, 1))[0]!;
    while (!go) await new Promise((r) => setImmediate(r));
    // The question's record saves; then the disk is full: its event, the withdrawal's save.
    faults.savesLeft = 1;
    faults.appends = false;
    go();
    while (heard.length === 0) await new Promise((r) => setImmediate(r));
    assert.match(heard[0]!, /no space left/);
    await before.handler.close(); // the process dies: nothing more lands
    faults.savesLeft = Infinity;
    faults.appends = true;
    after = open(false);
    assert.is(await after.handler.restore(), 1);
    const resumed = await within(readEvents(await after.get({ ...headers, 'last-event-id': priming.id! }), 1), 10_000, 'the question sent again');
    const asked = messagesOf(resumed)[0]!;
    assert.is(asked.method, 'elicitation/create');
    assert.equal(asked.params, QUESTION);
    assert.is((await after.post({ jsonrpc: '2.0', id: asked.id, result: { action: 'accept', content: { answer: 'yes' } } }, headers)).status, 202);
    const again = await after.get({ ...headers, 'last-event-id': resumed[0]!.id! });
    const done = messagesOf(await within(readEvents(again, 1), 10_000, 'the re-run\'s result'));
    assert.equal(done.map((m) => m.id), [1]);
    assert.equal(done[0]!.result?.content, [{ type: 'text', text: 'answer: yes' }]);
  } finally {
    await before.close();
    await after?.close();
  }
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
