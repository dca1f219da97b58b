// The standalone GET stream resumes after a restart (2025-11-25 basic/transports:
// resumability): a GET with the Last-Event-ID of the previous process's standalone stream
// continues it live, so server notifications reach the client again. Two handlers on one
// store stand for the process before and after the restart. On the file store (faults31,
// faults30's Left), the stream is read back without an end record, a stream whose replay to
// its end is refused (410) unless something carries it on: the standalone stream never has
// an end record, and its keeper carries it on, so the GET still gets 200.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileEventStore, createMemoryEventStore } from 'mcpwire/transport';
import { makeFixture, messagesOf, readEvents } from './http-fixture.ts';

const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });

/** `p`, or a rejection naming `what` after 10 s. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}

const standalone = suite('restart: the standalone stream resumes live');

standalone('a GET with the old standalone stream\'s id stays open and carries the next notification', async () => {
  const store = createMemoryEventStore();
  const before = makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0 });
  const sid = await before.initialize();
  const opened = await readEvents(await before.get(session(sid)), 1); // the priming event
  await before.handler.close();

  const after = makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0 });
  try {
    assert.is(await after.handler.restore(), 1);
    const resumed = await after.get({ ...session(sid), 'last-event-id': opened[0]!.id! });
    assert.is(resumed.status, 200);
    after.server.tool({ name: 'late', description: 'registered after the restart', inputSchema: { type: 'object' } }, () => 'late');
    const next = messagesOf(await within(readEvents(resumed, 1), 'a notification on the resumed stream'));
    assert.is(next[0]?.method, 'notifications/tools/list_changed');
  } finally {
    await before.close();
    await after.close();
  }
});

standalone('on the file store: a GET with the old standalone stream\'s last id gets 200 and the next notification', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-standalone-file-'));
  const quiet = { onError: (e: Error) => assert.unreachable(e.message) };
  const first = await createFileEventStore({ dir, ...quiet });
  const before = makeFixture({ eventStore: first, recoverInflight: true, keepAliveMs: 0 });
  let after: ReturnType<typeof makeFixture> | undefined;
  try {
    const sid = await before.initialize();
    const stream = await before.get(session(sid));
    before.server.tool({ name: 'early', description: 'registered before the restart', inputSchema: { type: 'object' } }, () => 'early');
    const opened = await within(readEvents(stream, 2), 'the priming event and a notification'); // the priming event, list_changed
    assert.is(messagesOf(opened)[0]?.method, 'notifications/tools/list_changed');
    await before.handler.close();
    await first.close();

    const second = await createFileEventStore({ dir, ...quiet });
    after = makeFixture({ eventStore: second, recoverInflight: true, keepAliveMs: 0 });
    assert.is(await after.handler.restore(), 1);
    const resumed = await after.get({ ...session(sid), 'last-event-id': opened[1]!.id! });
    assert.is(resumed.status, 200, await (resumed.status === 200 ? Promise.resolve('') : resumed.text()));
    after.server.tool({ name: 'late', description: 'registered after the restart', inputSchema: { type: 'object' } }, () => 'late');
    const next = messagesOf(await within(readEvents(resumed, 1), 'a notification on the resumed stream'));
    assert.is(next[0]?.method, 'notifications/tools/list_changed');
  } finally {
    await before.close();
    await after?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

standalone.run();
