// Finished POST streams are handed to the store's retention (issue #10 item 6): with the file
// store keeping 2 finished streams per session, a resume from an older call answers 410, from
// a recent one 200; a live call's stream is never dropped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const VERSION = '2025-11-25';
let dir = '';
let store: SessionEventStore;
let fixture: Fixture;

const test = suite('the HTTP server ends finished streams in the store, which drops them after retention');

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpwire-http-retention-'));
  store = await createFileEventStore({ dir, retainFinishedStreams: 2, onError: (e) => assert.unreachable(e.message) });
  fixture = makeFixture({ eventStore: store });
});

test('a resume from a call older than the retained ones gets 410; recent ones replay', async () => {
  const session = await fixture.initialize(VERSION);
  const headers = { 'mcp-session-id': session, 'mcp-protocol-version': VERSION };
  const primes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fixture.post({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'echo', arguments: { text: `call ${i}` } } }, headers);
    assert.is(res.status, 200);
    const events = await readEvents(res);
    assert.is(messagesOf(events).at(-1)?.result?.content?.[0]?.text, `call ${i}`);
    primes.push(events[0]!.id!);
  }
  for (const i of [0, 1, 2]) {
    const res = await fixture.get({ ...headers, 'last-event-id': primes[i]! });
    assert.is(res.status, 410, `call ${i}`);
    await res.text();
  }
  for (const i of [3, 4]) {
    const res = await fixture.get({ ...headers, 'last-event-id': primes[i]! });
    assert.is(res.status, 200, `call ${i}`);
    assert.is(messagesOf(await readEvents(res)).at(-1)?.result?.content?.[0]?.text, `call ${i}`);
  }
});

test.after(async () => {
  await fixture.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test.run();
