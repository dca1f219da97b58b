// SIGTERM (the handler's close()) during a long SSE reply, on a server that keeps no record of
// its calls (no `recoverInflight`: `mcpwire serve --http` without --state). Session 31: the
// call's stream was cut without a response, its `retry` and event ids inviting the client to
// resume from a server that, once back, would not know the session; the client learned
// nothing of why. Now the stream gets its end: a JSON-RPC error saying the server shut down
// and the call is not resumed. A durable server (`recoverInflight`) still cuts it, for the
// client to resume after the restart (test/http-restart-*.test.ts). In-process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore } from 'mcpwire/transport';
import type { McpHttpOptions } from 'mcpwire/server';
import { makeFixture, messagesOf, readEvents, untilAbortedFixture } from './http-fixture.ts';
import { SESSION_ENDED_MESSAGE, SHUTDOWN_MESSAGE } from '../transport/http/server-shutdown.ts';
import { MODERN_SHUTDOWN_MESSAGE } from '../transport/http/modern-http.ts';
import { envelope } from './modern-kit.ts';
import { within } from './tasks-fixture.ts';

const test = suite('HTTP server shut down during an SSE reply');

/** A session's `long` call running on `options`' server; `stop()` shuts the server down and resolves with what its stream carried. */
async function longCall(options: McpHttpOptions) {
  let started!: () => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  const f = makeFixture(options, (server) => {
    server.tool({ name: 'long' }, async (_args, ctx) => {
      await ctx.progress(1, 10);
      started();
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return 'stopped';
    });
  });
  const sessionId = await f.initialize();
  const res = await f.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'long', arguments: {}, _meta: { progressToken: 'p' } } }, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const events = readEvents(res);
  await running;
  return {
    stop: async () => { await f.close(); return messagesOf(await events); },
    /** The client's DELETE ends the session, the server stays up; resolves with what the call's stream carried. */
    end: async () => {
      const del = await f.handler.handle(new Request('http://127.0.0.1:3000/mcp', { method: 'DELETE', headers: { host: '127.0.0.1:3000', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } }));
      assert.is(del.status, 200);
      const messages = messagesOf(await within(events, 5_000, 'the stream ending'));
      await f.close();
      return messages;
    },
  };
}

test('without recoverInflight, the call still running gets an error response on its stream, then the stream ends', async () => {
  const messages = await (await longCall({})).stop();
  assert.equal(messages.map((m) => m.method ?? `response ${m.id}`), ['notifications/progress', 'response 7']);
  assert.equal(messages[1], { jsonrpc: '2.0', id: 7, error: { code: -32603, message: SHUTDOWN_MESSAGE } });
});

test('with recoverInflight (a store that outlives the process), the stream is cut for a resume after the restart', async () => {
  const messages = await (await longCall({ eventStore: createMemoryEventStore(), recoverInflight: true })).stop();
  assert.equal(messages.map((m) => m.method ?? `response ${m.id}`), ['notifications/progress']);
});

// A 2025 session ended by its client's DELETE while a call ran on SSE (faults23's leftover): the
// stream was cut with no response (the call's resume gets 404, the session is gone), durable
// store or not. Now each call still owed gets an error saying the session ended, then its end.
for (const [name, options] of [['no store', {}], ['recoverInflight', { eventStore: createMemoryEventStore(), recoverInflight: true }]] as const) {
  test(`a DELETE during the call (${name}): an error response says the session ended, then the stream ends`, async () => {
    const messages = await (await longCall(options)).end();
    assert.equal(messages.map((m) => m.method ?? `response ${m.id}`), ['notifications/progress', 'response 7']);
    assert.equal(messages[1], { jsonrpc: '2.0', id: 7, error: { code: -32603, message: SESSION_ENDED_MESSAGE } });
  });
}

// And a 2026-07-28 call (stateless, its own SSE reply): its stream stayed open after close()
// and its handler ran on (session 31, probed: still open 3 s later, not aborted). Now it gets
// the error and its end, and the handler its abort.
test('a 2026-07-28 call still running: an error response ends its stream, and its handler is aborted', async () => {
  const { f, running, aborted } = untilAbortedFixture('long', true);
  const res = await f.post({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'long', arguments: {}, _meta: { ...envelope({}), progressToken: 'p' } } },
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'long' });
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const events = readEvents(res);
  await running;
  await f.close();
  const messages = messagesOf(await within(events, 5_000, 'the stream ending'));
  assert.equal(messages.map((m) => m.method ?? `response ${m.id}`), ['notifications/progress', 'response 8']);
  assert.equal(messages[1], { jsonrpc: '2.0', id: 8, error: { code: -32603, message: MODERN_SHUTDOWN_MESSAGE } });
  assert.match(String((await within(aborted, 5_000, 'the handler\'s abort')) as Error), /shutting down/);
});

test.run();
