// The standalone GET stream of a session restored from the file store (faults31, faults30's
// Left): the store marks a stream read back without an end record as one whose end is unknown
// and refuses a replay reaching its end (410). The standalone stream never has an end record;
// a GET with its Last-Event-ID after the restart must still continue it live (200), as with the
// memory store (http-restart-standalone.test.ts). Two handlers on one state directory, the
// file store closed and opened again between them, stand for the two processes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileEventStore } from 'mcpwire/transport';
import { makeFixture, messagesOf, readEvents } from './http-fixture.ts';

const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });

/** `p`, or a rejection naming `what` after 10 s. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within 10 s`)), 10_000); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}

const standalone = suite('restart on the file store: the standalone stream resumes live');

standalone('a GET with the old standalone stream\'s last id gets 200 and the next notification', async () => {
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
