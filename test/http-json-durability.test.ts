// JSON reply mode keeps the guarantees of SSE mode (issue #10 item 1): a POST whose session
// ends mid-call is answered, the idle sweeper spares sessions with a call running, and a
// JSON reply that turned to SSE resumes live after its connection is cut. In process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from '../protocol/manual-timers.ts';
import type { McpServer } from 'mcpwire/server';
import { makeFixture, messagesOf, readEvents, URL_BASE, type Fixture } from './http-fixture.ts';

const call = (id: number, name: string, args: Record<string, unknown>, progress = false) => ({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(progress ? { _meta: { progressToken: `p${id}` } } : {}) },
});
const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });

/** A tool that runs until the test releases it (or its call is aborted). */
function holdTool() {
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let started!: () => void;
  const running = new Promise<void>((r) => { started = r; });
  const setup = (server: McpServer) => {
    server.tool({ name: 'hold', description: 'waits for the test', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      started();
      await Promise.race([released, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }))]);
      return 'released';
    });
  };
  return { setup, release, running };
}

/** `p`, or a rejection naming `what` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}

async function using(f: Fixture, fn: () => Promise<void>): Promise<void> {
  try { await fn(); } finally { await f.close(); }
}

/** In JSON reply mode, a `hold` call running in a new session: its POST not yet answered. */
// The reply is pinned to JSON (`jsonSseAfterMs: Infinity`): these are the answers a reply
// gets while it is still JSON, whatever the machine's speed.
async function heldJsonCall(fn: (held: { f: Fixture; sid: string; reply: Promise<Response> }) => Promise<void>): Promise<void> {
  const hold = holdTool();
  const f = makeFixture({ responseMode: 'json', keepAliveMs: 0, jsonSseAfterMs: Infinity }, hold.setup);
  await using(f, async () => {
    const sid = await f.initialize();
    const reply = f.post(call(1, 'hold', {}), session(sid));
    await hold.running;
    await fn({ f, sid, reply });
  });
}

const answered = suite('JSON mode: a POST whose session ends mid-call is answered');

answered('DELETE of the session mid-call: the POST gets 404 with a JSON-RPC error for its id', async () => {
  await heldJsonCall(async ({ f, sid, reply }) => {
    assert.is((await f.handler.handle(new Request(URL_BASE, { method: 'DELETE', headers: { host: '127.0.0.1:3000', ...session(sid) } }))).status, 200);
    const res = await within(reply, 5000, 'the POST of a deleted session');
    assert.is(res.status, 404);
    const body = await res.json() as { id: number; error: { code: number; message: string } };
    assert.is(body.id, 1);
    assert.match(body.error.message, /session ended/);
  });
});

answered('the server closing mid-call: the POST gets 503 with Retry-After', async () => {
  await heldJsonCall(async ({ f, sid, reply }) => {
    await f.handler.close();
    const res = await within(reply, 5000, 'the POST of a closing server');
    assert.is(res.status, 503);
    assert.ok(res.headers.get('retry-after'));
  });
});

answered('a cancelled call whose reply is still JSON: the POST gets 202 (no response will come), not an open socket', async () => {
  await heldJsonCall(async ({ f, sid, reply }) => {
    assert.is((await f.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'user' } }, session(sid))).status, 202);
    const res = await within(reply, 5000, 'the POST of a cancelled call');
    assert.is(res.status, 202);
    assert.is(await res.text(), '');
  });
});

answered.run();

const sweeper = suite('idle expiry spares a session with a call running');

for (const mode of ['json', 'sse'] as const) {
  sweeper(`${mode} mode: past sessionIdleMs with a call running and no connection, the session stays and the call is answered`, async () => {
    const timers = createManualTimers();
    const hold = holdTool();
    const f = makeFixture({ responseMode: mode, keepAliveMs: 0, sessionIdleMs: 60_000, timers, jsonSseAfterMs: Infinity }, hold.setup);
    await using(f, async () => {
      const sid = await f.initialize();
      const res = f.post(call(1, 'hold', {}, true), session(sid));
      await hold.running;
      if (mode === 'sse') await (await res).body!.cancel(); // the client went away; the call runs on
      timers.advance(121_000);
      await new Promise((r) => setImmediate(r));
      assert.is(f.handler.sessionCount, 1, 'the session is kept while its call runs');
      hold.release();
      if (mode === 'json') {
        const body = await (await within(res, 5000, 'the held call')).json() as { result: { content: unknown } };
        assert.equal(body.result.content, [{ type: 'text', text: 'released' }]);
      }
    });
  });
}

sweeper.run();

const resumed = suite('JSON mode: a reply that turned to SSE resumes live after a cut');

resumed('a GET with Last-Event-ID stays open and delivers the rest of the call and its response', async () => {
  const f = makeFixture({ responseMode: 'json', keepAliveMs: 0 });
  await using(f, async () => {
    const sid = await f.initialize();
    const res = await f.post(call(7, 'count', { steps: 40, delayMs: 5 }, true), session(sid));
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const first = await readEvents(res, 4); // the priming event and three progress events, then the cut
    const lastId = first.at(-1)!.id!;
    const rest = await within(readEvents(await f.get({ ...session(sid), 'last-event-id': lastId })), 10_000, 'the resumed stream');
    const messages = messagesOf([...first, ...rest]);
    const progress = messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
    assert.equal(progress, Array.from({ length: 40 }, (_, i) => i + 1), 'every progress event exactly once, in order');
    assert.equal(messages.find((m) => m.id === 7)?.result?.content, [{ type: 'text', text: 'counted to 40' }]);
  });
});

const turned = suite('JSON mode: a reply still owed after jsonSseAfterMs turns to a resumable SSE stream');

turned('a silent call past the grace: priming event first; after a cut, the result arrives on the resumed stream', async () => {
  const timers = createManualTimers();
  const hold = holdTool();
  const f = makeFixture({ responseMode: 'json', keepAliveMs: 0, jsonSseAfterMs: 500, timers }, hold.setup);
  await using(f, async () => {
    const sid = await f.initialize();
    let settled = false;
    const reply = f.post(call(3, 'hold', {}), session(sid));
    void reply.then(() => { settled = true; });
    await hold.running;
    timers.advance(499);
    await new Promise((r) => setImmediate(r));
    assert.not.ok(settled, 'within the grace the reply is still owed as JSON');
    timers.advance(1);
    const res = await within(reply, 5000, 'the turned reply');
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const [priming] = await readEvents(res, 1);
    assert.ok(priming?.id, 'the priming event has an id');
    hold.release(); // the call ends while no connection carries its stream
    const rest = await within(readEvents(await f.get({ ...session(sid), 'last-event-id': priming!.id! })), 5000, 'the resumed stream');
    const responses = messagesOf(rest).filter((m) => m.id === 3);
    assert.is(responses.length, 1);
    assert.equal(responses[0]!.result.content, [{ type: 'text', text: 'released' }]);
  });
});

turned('a call answered within the grace stays a plain JSON body', async () => {
  const timers = createManualTimers();
  const hold = holdTool();
  const f = makeFixture({ responseMode: 'json', keepAliveMs: 0, jsonSseAfterMs: 500, timers }, hold.setup);
  await using(f, async () => {
    const sid = await f.initialize();
    const reply = f.post(call(4, 'hold', {}), session(sid));
    await hold.running;
    timers.advance(400);
    hold.release();
    const res = await within(reply, 5000, 'the JSON reply');
    assert.is(res.headers.get('content-type'), 'application/json');
    assert.equal((await res.json() as { result: { content: unknown } }).result.content, [{ type: 'text', text: 'released' }]);
    timers.advance(1000); // the stopped timer must not turn a reply already sent
  });
});

turned('a 2025-03-26 session (no priming events, nothing to resume from) keeps its reply JSON', async () => {
  const timers = createManualTimers();
  const hold = holdTool();
  const f = makeFixture({ responseMode: 'json', keepAliveMs: 0, jsonSseAfterMs: 500, timers }, hold.setup);
  await using(f, async () => {
    const old = { 'mcp-session-id': await f.initialize('2025-03-26'), 'mcp-protocol-version': '2025-03-26' };
    const reply = f.post(call(5, 'hold', {}), old);
    await hold.running;
    timers.advance(5000);
    hold.release();
    const res = await within(reply, 5000, 'the JSON reply');
    assert.is(res.headers.get('content-type'), 'application/json');
  });
});

turned('replies owed at different times each turn at their own time, on one shared timer', async () => {
  const timers = createManualTimers();
  const starts: Array<() => void> = [];
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  const f = makeFixture({ responseMode: 'json', keepAliveMs: 0, jsonSseAfterMs: 500, timers }, (server) => {
    server.tool({ name: 'wait', inputSchema: { type: 'object' } }, async () => {
      starts.shift()?.();
      await released;
      return 'done';
    });
  });
  await using(f, async () => {
    const sid = await f.initialize();
    const armedBefore = timers.started;
    const settled = [false, false, false];
    const replies: Array<Promise<Response>> = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) timers.advance(100);
      const running = new Promise<void>((r) => starts.push(r));
      const reply = f.post(call(20 + i, 'wait', {}), session(sid));
      void reply.then(() => { settled[i] = true; });
      replies.push(reply);
      await running; // its POST is in: owed from now
    }
    assert.ok(timers.started - armedBefore <= 1, `one timer for the three replies, not one each (${timers.started - armedBefore})`);
    for (let i = 0; i < 3; i++) {
      timers.advance(i === 0 ? 299 : 99); // just before reply i's 500 ms
      await new Promise((r) => setImmediate(r));
      assert.equal(settled, [0, 1, 2].map((j) => j < i), `before ${500 + 100 * i} ms`);
      timers.advance(1);
      const res = await within(replies[i]!, 5000, `reply ${i}`);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    }
    release();
    for (const reply of replies) {
      const answered = messagesOf(await readEvents(await reply)).filter((m) => m.id !== undefined);
      assert.is(answered.length, 1);
    }
  });
});

resumed.run();
turned.run();
