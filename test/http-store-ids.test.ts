// Event ids on an SSE reply (2025-11-25 basic/transports: resumability): the memory store's
// ids are written as minted (not scanned again: bench/README "Session 35: bytes7"), and any
// other store's ids are still checked, so an id with a line break never ends the `id:` field
// early and forges the fields after it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const VERSION = '2025-11-25';
const MINTED = /^[A-Za-z0-9_-]{22}\.\d+$/;

const test = suite('event ids on an SSE reply: minted by the memory store, or checked');

/** A tools/call on a fresh session of `fixture`; its reply's events and status. */
async function call(fixture: Fixture): Promise<{ status: number; events: Array<{ id: string | undefined; data: string }>; text: string | undefined }> {
  const session = await fixture.initialize(VERSION);
  const res = await fixture.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
    { 'mcp-session-id': session, 'mcp-protocol-version': VERSION });
  const events = res.status === 200 ? await readEvents(res) : [];
  return { status: res.status, events, text: messagesOf(events).at(-1)?.result?.content?.[0]?.text };
}

test('the memory store\'s ids go out as it minted them: the priming event\'s and the reply\'s', async () => {
  const fixture = makeFixture({ eventStore: createMemoryEventStore() });
  try {
    const { status, events, text } = await call(fixture);
    assert.is(status, 200);
    assert.is(text, 'hi');
    assert.is(events.length, 2);
    for (const event of events) assert.match(event.id ?? '', MINTED);
    assert.is.not(events[0]!.id, events[1]!.id);
  } finally {
    await fixture.close();
  }
});

/** `promise`, or a failure naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`${what} did not end within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

test('another store\'s id with a line break is refused, never written: no forged field reaches the client', async () => {
  const errors: string[] = [];
  // A Proxy over a memory store is another store to the server (memory.ts `syncStreamStore`).
  const inner = createMemoryEventStore();
  const forging = new Proxy(inner, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (name === 'append') {
        return async (...args: Parameters<SessionEventStore['append']>) => `${await target.append(...args)}\nevent: forged`;
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const fixture = makeFixture({ eventStore: forging, onError: (e) => errors.push(e.message) });
  try {
    const res = await fixture.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    // The reply ends (it hung: the failed write never ended it), with the result and no forged field.
    const body = await within(res.text(), 10_000, 'the initialize reply');
    assert.not.match(body, /event: forged/);
    assert.match(body, /"protocolVersion":"2025-11-25"/);
    // Only the priming event carries an id (the store's own, untouched); the result goes without one.
    assert.equal(body.split('\n').filter((line) => line.startsWith('id:')).map((line) => MINTED.test(line.slice(4))), [true]);
    assert.ok(errors.some((message) => /the event store gave the event id ".*\\nevent: forged", which SSE cannot carry/.test(message)), `reported: ${JSON.stringify(errors)}`);
  } finally {
    await fixture.close();
  }
});

test.run();
