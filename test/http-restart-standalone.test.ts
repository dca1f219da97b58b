// The standalone GET stream resumes after a restart (2025-11-25 basic/transports:
// resumability): a GET with the Last-Event-ID of the previous process's standalone stream
// continues it live, so server notifications reach the client again. Two handlers on one
// store stand for the process before and after the restart.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore } from 'mcpwire/transport';
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

standalone.run();
