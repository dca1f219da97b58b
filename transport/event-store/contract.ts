/**
 * The behavioural contract of an {@link EventStore}, as plain async cases using
 * `node:assert/strict`, so any test framework can run them:
 *
 * ```ts
 * for (const c of eventStoreContract(() => createMyStore())) test(c.name, c.run);
 * ```
 *
 * Every case makes its own store (or two) with `makeStore` and closes it. Cases on session
 * metadata run only when the store also has `saveSession` and `loadSessions`.
 */
import assert from 'node:assert/strict';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import type { EventStore, SessionStateStore, StreamKey } from './types.ts';

/** Options of {@link eventStoreContract}. */
export interface EventStoreContractOptions {
  /**
   * Makes a store that keeps at most `maxEventsPerStream` events per stream; enables the
   * eviction case. (`makeStore` must keep at least 1 000 events per stream.)
   */
  makeBoundedStore?: (maxEventsPerStream: number) => Promise<EventStore> | EventStore;
}

/** One contract case. */
export interface EventStoreContractCase {
  name: string;
  run: () => Promise<void>;
}

type Replayed = Array<[string, JsonRpcMessage]>;

function note(i: number, streamLabel = 's'): JsonRpcMessage {
  return { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: streamLabel, progress: i } };
}

async function replay(store: EventStore, eventId: string, expectedSessionId?: string): Promise<{ key: StreamKey; events: Replayed }> {
  const events: Replayed = [];
  const key = await store.replayAfter(eventId, (id, message) => void events.push([id, message]), expectedSessionId);
  return { key, events };
}

async function appendAll(store: EventStore, key: StreamKey, messages: JsonRpcMessage[]): Promise<string[]> {
  const ids: string[] = [];
  for (const m of messages) ids.push(await store.append(key, m));
  return ids;
}

/** Assert that a replay is refused with MCP_ERR_RESUME and one of `reasons`, delivering nothing. */
async function refused(store: EventStore, eventId: string, reasons: string[], expectedSessionId?: string): Promise<void> {
  let delivered = 0;
  await assert.rejects(
    store.replayAfter(eventId, () => void (delivered += 1), expectedSessionId),
    (error: unknown) => {
      const e = error as { code?: unknown; reason?: unknown; message?: unknown };
      assert.equal(e.code, 'MCP_ERR_RESUME', `code for ${JSON.stringify(eventId)}`);
      assert.ok(reasons.includes(String(e.reason)), `reason ${String(e.reason)} for ${JSON.stringify(eventId.slice(0, 40))}, expected ${reasons.join('|')}`);
      assert.equal(typeof e.message, 'string');
      return true;
    },
  );
  assert.equal(delivered, 0, 'a refused replay delivers nothing');
}

function hasSessions(store: EventStore): store is EventStore & SessionStateStore {
  const s = store as Partial<SessionStateStore>;
  return typeof s.saveSession === 'function' && typeof s.loadSessions === 'function';
}

/** Build the contract cases for stores made by `makeStore`. */
export function eventStoreContract(
  makeStore: () => Promise<EventStore> | EventStore,
  options: EventStoreContractOptions = {},
): EventStoreContractCase[] {
  const cases: EventStoreContractCase[] = [];
  function add(name: string, body: (store: EventStore) => Promise<void>, make = makeStore): void {
    cases.push({
      name,
      async run() {
        const store = await make();
        try {
          await body(store);
        } finally {
          await store.close();
        }
      },
    });
  }

  const A: StreamKey = { sessionId: 'session-a', streamId: 'post-1' };

  add('events replay in append order, from the event after the given id', async (store) => {
    const messages = Array.from({ length: 10 }, (_, i) => note(i));
    const ids = await appendAll(store, A, messages);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    const { key, events } = await replay(store, ids[3]!);
    assert.deepEqual(key, A);
    assert.deepEqual(events.map((e) => e[0]), ids.slice(4));
    assert.deepEqual(events.map((e) => e[1]), messages.slice(4));
  });

  add('the openStream id replays the whole stream; the last id replays nothing', async (store) => {
    const start = await store.openStream(A);
    const ids = await appendAll(store, A, [note(1), note(2), note(3)]);
    assert.ok(!ids.includes(start), 'the priming id is not an event id');
    assert.deepEqual((await replay(store, start)).events.map((e) => e[0]), ids);
    const last = await replay(store, ids[2]!);
    assert.deepEqual(last.events, []);
    assert.deepEqual(last.key, A);
    const cursor = await store.openStream(A);
    assert.deepEqual((await replay(store, cursor)).events, [], 'openStream on an existing stream points at its end');
    const later = await store.append(A, note(4));
    assert.deepEqual((await replay(store, cursor)).events.map((e) => e[0]), [later]);
  });

  add('two streams of one session never see each other’s events', async (store) => {
    const B: StreamKey = { sessionId: A.sessionId, streamId: 'get' };
    const startA = await store.openStream(A);
    const startB = await store.openStream(B);
    const idsA: string[] = [];
    const idsB: string[] = [];
    for (let i = 0; i < 20; i++) {
      if (i % 3 === 0) idsB.push(await store.append(B, note(i, 'b')));
      else idsA.push(await store.append(A, note(i, 'a')));
    }
    assert.equal(new Set([...idsA, ...idsB, startA, startB]).size, idsA.length + idsB.length + 2, 'ids are unique across streams');
    const a = await replay(store, startA);
    const b = await replay(store, startB);
    assert.deepEqual(a.key, A);
    assert.deepEqual(b.key, B);
    assert.deepEqual(a.events.map((e) => e[0]), idsA);
    assert.deepEqual(b.events.map((e) => e[0]), idsB);
    assert.ok(a.events.every(([, m]) => (m as unknown as { params: { progressToken: string } }).params.progressToken === 'a'));
    assert.deepEqual((await replay(store, idsA[0]!)).events.map((e) => e[0]), idsA.slice(1));
  });

  add('two sessions never see each other’s events, even with equal stream ids', async (store) => {
    const other: StreamKey = { sessionId: 'session-b', streamId: A.streamId };
    const idsA = await appendAll(store, A, [note(1, 'a'), note(2, 'a'), note(3, 'a')]);
    const idsB = await appendAll(store, other, [note(1, 'b'), note(2, 'b')]);
    const a = await replay(store, idsA[0]!);
    const b = await replay(store, idsB[0]!);
    assert.deepEqual(a.key, A);
    assert.deepEqual(b.key, other);
    assert.deepEqual(a.events.map((e) => e[1]), [note(2, 'a'), note(3, 'a')]);
    assert.deepEqual(b.events.map((e) => e[1]), [note(2, 'b')]);
  });

  add('malformed ids are refused as malformed', async (store) => {
    await store.append(A, note(1));
    for (const id of ['', ' ', 'a b', 'x\ny', 'tab\there', 'caf\u00e9', '\u0000', 'x'.repeat(10_000)]) {
      await refused(store, id, ['malformed']);
    }
  });

  add('an id another store issued is refused as unknown', async (store) => {
    const other = await makeStore();
    let foreign: string;
    try {
      foreign = await other.append(A, note(1));
    } finally {
      await other.close();
    }
    await store.append(A, note(1));
    await refused(store, foreign, ['unknown']);
  });

  add('an id of another session is refused as wrong-session', async (store) => {
    const ids = await appendAll(store, A, [note(1), note(2)]);
    await refused(store, ids[0]!, ['wrong-session'], 'session-b');
    const ok = await replay(store, ids[0]!, A.sessionId);
    assert.deepEqual(ok.events.map((e) => e[0]), [ids[1]]);
  });

  const { makeBoundedStore } = options;
  const max = 8;
  if (makeBoundedStore) {
    add('history evicted by the per-stream limit is refused, never replayed in part', async (store) => {
      const start = await store.openStream(A);
      const ids = await appendAll(store, A, Array.from({ length: max + 5 }, (_, i) => note(i)));
      await refused(store, start, ['evicted']);
      await refused(store, ids[0]!, ['evicted']);
      await refused(store, ids[3]!, ['evicted']);
      // The last evicted id still resumes: everything after it is kept.
      const kept = await replay(store, ids[4]!);
      assert.deepEqual(kept.events.map((e) => e[0]), ids.slice(5));
      assert.equal(kept.events.length, max);
      // The limit holds per stream: another stream of the session is unaffected.
      const other = await store.append({ sessionId: A.sessionId, streamId: 'other' }, note(0));
      await store.append({ sessionId: A.sessionId, streamId: 'other' }, note(1));
      assert.equal((await replay(store, other)).events.length, 1);
    }, () => makeBoundedStore(max));
  }

  add('deleteSession forgets that session’s streams and nothing else', async (store) => {
    const other: StreamKey = { sessionId: 'session-b', streamId: 'post-1' };
    const idsA = await appendAll(store, A, [note(1), note(2)]);
    const idsA2 = await appendAll(store, { sessionId: A.sessionId, streamId: 'get' }, [note(3)]);
    const idsB = await appendAll(store, other, [note(1), note(2)]);
    await store.deleteSession(A.sessionId);
    await refused(store, idsA[0]!, ['unknown', 'evicted']);
    await refused(store, idsA2[0]!, ['unknown', 'evicted']);
    assert.deepEqual((await replay(store, idsB[0]!)).events.map((e) => e[0]), [idsB[1]]);
    const again = await store.append(A, note(9));
    assert.ok(!idsA.includes(again), 'a recreated stream issues new ids');
    await store.deleteSession('never-seen');
  });

  add('endStream keeps the history resumable (within retention); ending twice or an unknown stream is harmless', async (store) => {
    if (!store.endStream) return;
    const start = await store.openStream(A);
    const ids = await appendAll(store, A, [note(1), note(2)]);
    await store.endStream(A);
    await store.endStream(A);
    await store.endStream({ sessionId: 'never-seen', streamId: 'x' });
    assert.deepEqual((await replay(store, start, A.sessionId)).events.map((e) => e[0]), ids);
    assert.deepEqual((await replay(store, ids[1]!, A.sessionId)).events, []);
  });

  add('an append given its serialized text stores that text, a copy like any other', async (store) => {
    const start = await store.openStream(A);
    const message = note(1);
    await store.append(A, message, JSON.stringify(message));
    ((message as unknown as { params: { progress: number } }).params).progress = 99; // a later change does not reach the history
    const { events } = await replay(store, start);
    assert.deepEqual(events.map((e) => e[1]), [note(1)]);
  });

  add('concurrent appends keep their call order', async (store) => {
    const start = await store.openStream(A);
    const messages = Array.from({ length: 200 }, (_, i) => note(i));
    const ids = await Promise.all(messages.map((m) => store.append(A, m)));
    assert.equal(new Set(ids).size, ids.length);
    const { events } = await replay(store, start);
    assert.deepEqual(events.map((e) => e[0]), ids);
    assert.deepEqual(events.map((e) => e[1]), messages);
  });

  add('event ids are visible ASCII and look unguessable', async (store) => {
    const firstIds: string[] = [];
    for (let i = 0; i < 16; i++) firstIds.push(await store.append({ sessionId: `s${i % 4}`, streamId: `t${i}` }, note(i)));
    for (const id of firstIds) assert.match(id, /^[\x21-\x7e]{1,256}$/);
    // Strip what all first ids share; what is left must be long, distinct and not a counter.
    let prefix = 0;
    while (firstIds.every((id) => id[prefix] !== undefined && id[prefix] === firstIds[0]![prefix])) prefix += 1;
    let suffix = 0;
    while (firstIds.every((id) => id.length - suffix > prefix && id.at(-1 - suffix) === firstIds[0]!.at(-1 - suffix))) suffix += 1;
    const cores = firstIds.map((id) => id.slice(prefix, id.length - suffix));
    assert.equal(new Set(cores).size, cores.length);
    for (const core of cores) {
      assert.ok(core.length >= 16, `id part ${core} is too short to be unguessable`);
      assert.ok(!/^\d+$/.test(core), `id part ${core} looks like a counter`);
    }
  });

  add('stored messages are copies, and all message shapes round-trip', async (store) => {
    const request: JsonRpcMessage = { jsonrpc: '2.0', id: 'r-1', method: 'sampling/createMessage', params: { text: 'héllo 😀\n"q"' } };
    const result: JsonRpcMessage = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'ok' }], nested: { a: [1, null, true] } } };
    const error: JsonRpcMessage = { jsonrpc: '2.0', id: 8, error: { code: -32602, message: 'bad', data: { field: 'x' } } };
    const start = await store.openStream(A);
    await appendAll(store, A, [request, result, error]);
    (request as { params: Record<string, unknown> }).params.text = 'changed';
    const { events } = await replay(store, start);
    assert.deepEqual(events.map((e) => e[1]), [
      { jsonrpc: '2.0', id: 'r-1', method: 'sampling/createMessage', params: { text: 'héllo 😀\n"q"' } },
      result,
      error,
    ]);
  });

  add('an async handler is awaited in order; a throwing handler rejects the replay', async (store) => {
    const start = await store.openStream(A);
    const ids = await appendAll(store, A, [note(1), note(2), note(3)]);
    const seen: string[] = [];
    let active = 0;
    await store.replayAfter(start, async (id) => {
      active += 1;
      assert.equal(active, 1, 'one handler call at a time');
      await new Promise<void>((r) => setImmediate(r));
      seen.push(id);
      active -= 1;
    });
    assert.deepEqual(seen, ids);
    const boom = new Error('handler failed');
    await assert.rejects(store.replayAfter(start, () => { throw boom; }), (e: unknown) => e === boom);
  });

  add('a closed store refuses calls', async (store) => {
    const id = await store.append(A, note(1));
    await store.close();
    await assert.rejects(store.append(A, note(2)), (e: unknown) => (e as { code?: unknown }).code === 'MCP_ERR_CLOSED');
    await assert.rejects(store.replayAfter(id, () => {}), (e: unknown) => (e as { code?: unknown }).code === 'MCP_ERR_CLOSED');
  });

  add('session metadata is saved, replaced, listed and deleted', async (store) => {
    if (!hasSessions(store)) return;
    assert.deepEqual(await store.loadSessions(), []);
    await store.saveSession('s1', { protocolVersion: '2025-06-18' });
    await store.saveSession('s2', { protocolVersion: '2025-11-25', capabilities: { roots: {} } });
    await store.saveSession('s1', { protocolVersion: '2025-11-25', n: 2 });
    const byId = (list: Array<{ sessionId: string; meta: unknown }>) => Object.fromEntries(list.map((s) => [s.sessionId, s.meta]));
    assert.deepEqual(byId(await store.loadSessions()), {
      s1: { protocolVersion: '2025-11-25', n: 2 },
      s2: { protocolVersion: '2025-11-25', capabilities: { roots: {} } },
    });
    await store.deleteSession('s1');
    assert.deepEqual(byId(await store.loadSessions()), { s2: { protocolVersion: '2025-11-25', capabilities: { roots: {} } } });
  });

  return cases;
}
