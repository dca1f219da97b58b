// Server-to-client request ids stay unique across restarts of one session, whatever the clock
// does (faults29's Left). A restored session's ids started at `Date.now() * 1000`, so a clock
// stepped back (NTP, a VM restored from a snapshot) gave the re-run's new questions the ids of
// questions the previous process had asked and recorded: two questions under one id, and a
// client's answer to one taken for the other (2025-11-25 basic: a request id MUST NOT have
// been used before by the requestor within the same session).
// Three handlers on one store stand for the process before and after each restart.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
const ask = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'confirm', arguments: {} } });

/** One process: `confirm` asks one question and answers with what it got. */
function serverProcess(store: SessionEventStore): Fixture {
  return makeFixture({ eventStore: store, recoverInflight: true, keepAliveMs: 0 }, (server) => {
    server.tool({ name: 'confirm', description: 'asks, then answers', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      const reply = await ctx.elicit({ message: 'Book it?', requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } });
      return `answer: ${String(reply.content?.answer)}`;
    });
  });
}

/** `restore()` with `Date.now` fixed at `at` (the restored session's ids are taken then). */
async function restoreAt(f: Fixture, at: number): Promise<number> {
  const real = Date.now;
  Date.now = () => at;
  try {
    return await f.handler.restore();
  } finally {
    Date.now = real;
  }
}

/** The process that opens the session and ends: the session is then restored by the next. */
async function firstProcess(store: SessionEventStore, processes: Fixture[]): Promise<string> {
  const first = serverProcess(store);
  processes.push(first);
  const sid = await first.initialize();
  await first.handler.close();
  return sid;
}

const ids = suite('restart: server-to-client request ids are never reused in a session');

ids('a clock stepped back between restarts: a new question gets an id no recorded question has', async () => {
  const store = createMemoryEventStore();
  const clock = Date.now();
  const processes: Fixture[] = [];
  try {
    const sid = await firstProcess(store, processes);

    const second = serverProcess(store); // restored: its ids start from the clock
    processes.push(second);
    assert.is(await restoreAt(second, clock), 1);
    // A first call asks and ends; a second asks and is in flight when the process ends.
    const asked = await readEvents(await second.post(ask(1), session(sid)), 2);
    assert.is((await second.post({ jsonrpc: '2.0', id: messagesOf(asked)[0]!.id, result: { action: 'accept', content: { answer: 'done' } } }, session(sid))).status, 202);
    const done = await second.get({ ...session(sid), 'last-event-id': asked[1]!.id! });
    assert.equal(messagesOf(await readEvents(done, 1))[0]?.result?.content, [{ type: 'text', text: 'answer: done' }]);
    const opened = await readEvents(await second.post(ask(2), session(sid)), 2);
    const question = messagesOf(opened)[0]!;
    assert.is(question.method, 'elicitation/create');
    await second.handler.close(); // its question recorded and open

    const third = serverProcess(store);
    processes.push(third);
    assert.is(await restoreAt(third, clock), 1, 'the clock reads what it read at the last restart');
    const other = messagesOf(await readEvents(await third.post(ask(3), session(sid)), 2))[0]!;
    assert.is(other.method, 'elicitation/create');
    assert.is.not(other.id, question.id, 'a new question never takes the id of a question of the previous process');
    // Each answer reaches its own question.
    const resumed = await third.get({ ...session(sid), 'last-event-id': opened[1]!.id! });
    assert.is((await third.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'first' } } }, session(sid))).status, 202);
    assert.is((await third.post({ jsonrpc: '2.0', id: other.id, result: { action: 'accept', content: { answer: 'second' } } }, session(sid))).status, 202);
    const rest = messagesOf(await readEvents(resumed, 1));
    assert.equal(rest.find((m) => m.id === 2)?.result?.content, [{ type: 'text', text: 'answer: first' }]);
  } finally {
    for (const f of processes) await f.close();
  }
});

/** Ping the client through the session's one connection; resolves with the ping's id as the client reads it on `stream` (after its priming event). */
async function pingId(f: Fixture, stream: Response): Promise<unknown> {
  const conns = [...f.server.connections];
  assert.is(conns.length, 1, 'one connection: the restored session');
  const pending = conns[0]!.peer.request('ping', {});
  pending.catch(() => { /* never answered: the process ends first */ });
  const [ping] = messagesOf(await readEvents(stream, 2));
  assert.is(ping?.method, 'ping');
  return ping!.id;
}

ids('ids no call records (a ping on the standalone stream) are not taken again after a restart, whatever the clock reads', async () => {
  const store = createMemoryEventStore();
  const clock = Date.now();
  const processes: Fixture[] = [];
  try {
    const sid = await firstProcess(store, processes);
    const seen: unknown[] = [];
    for (let restart = 0; restart < 2; restart++) {
      const next = serverProcess(store);
      processes.push(next);
      // The clock reads the same at both restarts (stepped back, or two restarts in one ms).
      assert.is(await restoreAt(next, clock), 1);
      const stream = await next.get(session(sid));
      assert.is(stream.status, 200);
      const id = await pingId(next, stream);
      assert.not.ok(seen.includes(id), `restart ${restart + 1}: ping id ${String(id)} was used by the previous process`);
      seen.push(id);
      await next.handler.close();
    }
  } finally {
    for (const f of processes) await f.close();
  }
});

ids.run();
