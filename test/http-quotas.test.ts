// Quotas one local client cannot exhaust (issue #10, item 7): a failed initialize keeps no
// session; at maxSessions the least recently used idle session makes room (busy ones never);
// maxPendingServerRequests caps server-to-client requests across all sessions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from '../protocol/manual-timers.ts';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

/** The server's clock, moved by hand so "least recently used" does not hang on a millisecond. */
const timers = createManualTimers();

const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
const call = (id: number, name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function withFixture(options: Parameters<typeof makeFixture>[0], fn: (f: Fixture) => Promise<void>): Promise<void> {
  const f = makeFixture(options);
  try { await fn(f); } finally { await f.close(); }
}

/** Read a POST's SSE body (or the rest of it) until a message matches `pred` (bounded by the body's end). */
async function readUntil(source: Response | ReadableStreamDefaultReader<Uint8Array>, pred: (m: Record<string, any>) => boolean): Promise<{ found: Record<string, any> | undefined; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = source instanceof Response ? source.body!.getReader() : source;
  let text = '';
  for (let i = 0; i < 200; i++) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const lines = text.split('\n');
    text = lines.pop()!; // an unfinished line waits for the next chunk
    for (const line of lines) {
      if (!line.startsWith('data: ') || line.length === 6) continue;
      const m = JSON.parse(line.slice(6)) as Record<string, any>;
      if (pred(m)) return { found: m, reader };
    }
  }
  return { found: undefined, reader };
}

const sessions = suite('http quotas: sessions');

sessions('a failed initialize keeps no session and no slot', () => withFixture({ maxSessions: 1 }, async (f) => {
  const bad = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: 5 } });
  assert.match(await bad.text(), /-32602/);
  assert.is(f.handler.sessionCount, 0, 'no session is left behind');
  const sid = await f.initialize();
  assert.ok(sid, 'the one slot is free for a good initialize');
}));

sessions('at maxSessions the least recently used idle session makes room', () => withFixture({ maxSessions: 2, timers }, async (f) => {
  const a = await f.initialize();
  timers.advance(10);
  const b = await f.initialize();
  timers.advance(10);
  const res = await f.post(ping(1), session(a)); // a is now the most recently used
  await res.text();
  timers.advance(10);
  const c = await f.initialize();
  assert.ok(c);
  assert.is(f.handler.sessionCount, 2);
  const gone = await f.post(ping(2), session(b));
  assert.is(gone.status, 404, 'b, the idle one used longest ago, was evicted');
  await gone.text();
  const kept = await f.post(ping(3), session(a));
  assert.is(kept.status, 200);
  await kept.text();
}));

sessions('sessions with a call running or a stream open are never evicted: 503 instead', () => withFixture({ maxSessions: 2 }, async (f) => {
  const a = await f.initialize();
  const b = await f.initialize();
  const running = await f.post(call(1, 'ask_user', { question: 'name?' }), session(a)); // waits on the client
  const { found, reader } = await readUntil(running, (m) => m.method === 'elicitation/create');
  assert.ok(found, 'the call is running');
  const stream = await f.get(session(b)); // b holds the standalone stream open
  assert.is(stream.status, 200);
  const refused = await f.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  assert.is(refused.status, 503);
  assert.match(await refused.text(), /maxSessions/);
  await reader.cancel();
  await stream.body!.cancel();
}));

sessions.run();

const pending = suite('http quotas: server-to-client requests across sessions');

pending('past maxPendingServerRequests a tool asking the client fails at once; an answer frees the slot', () => withFixture({ maxPendingServerRequests: 1 }, async (f) => {
  const a = await f.initialize();
  const b = await f.initialize();
  const first = await f.post(call(1, 'ask_user', { question: 'a?' }), session(a));
  const asked = await readUntil(first, (m) => m.method === 'elicitation/create');
  assert.ok(asked.found, 'a got its elicitation');

  const second = await f.post(call(2, 'ask_user', { question: 'b?' }), session(b));
  const refused = messagesOf(await within(5_000, 'the refused call', readEvents(second))).find((m) => m.id === 2)!;
  assert.is(refused.result.isError, true);
  assert.match(JSON.stringify(refused.result.content), /maxPendingServerRequests/);

  const answer = await f.post({ jsonrpc: '2.0', id: asked.found!.id, result: { action: 'accept', content: { answer: 'Ada' } } }, session(a));
  assert.is(answer.status, 202);
  const done = await readUntil(asked.reader, (m) => m.id === 1);
  assert.match(JSON.stringify(done.found), /the user answered: Ada/);

  const third = await f.post(call(3, 'ask_user', { question: 'b again?' }), session(b));
  const again = await readUntil(third, (m) => m.method === 'elicitation/create');
  assert.ok(again.found, 'the slot was given back');
  await again.reader.cancel();
}));

pending.run();
