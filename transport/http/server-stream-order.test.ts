import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import { createMemoryEventStore, syncStreamStore } from '../event-store/memory.ts';
import type { EventStore } from '../event-store/index.ts';
import { SseConnection, type SseSink } from './sse-connection.ts';
import { ServerStream, type StreamSettings } from './server-stream.ts';

// The order guarantees of one server stream (server-stream.ts): every step (attach, write,
// resume, disconnect, cancel) runs after the ones queued before it, whatever the store does,
// so events keep their order and ids live and across a replay, exactly once.

interface Event { id: string | undefined; data: string }

/** The events in SSE text (the priming event's data is empty). */
function eventsOf(text: string): Event[] {
  return text.split('\n\n').filter((block) => block !== '').map((block) => {
    let id: string | undefined;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data:')) data = line.slice(5).trimStart();
    }
    return { id, data };
  });
}

function recordingSink() {
  const written: string[] = [];
  let ended = 0;
  const sink: SseSink = { write(text) { written.push(text); return false; }, end() { ended++; } };
  return { sink, events: () => eventsOf(written.join('')), ended: () => ended };
}

/** A stream with its settings as the server makes them: a memory store is used synchronously (`sync`), any other store by its promises. */
function setup(store: EventStore = createMemoryEventStore()) {
  const errors: Error[] = [];
  const settings: StreamSettings = {
    timers: createManualTimers(), keepAlive: undefined, maxBufferedBytes: 1 << 20, store, sync: syncStreamStore(store),
    onError: (e) => errors.push(e),
  };
  const stream = new ServerStream({
    key: { sessionId: 's1', streamId: 'p1' }, kind: 'post', settings, session: { primingFor: () => ({ retryMs: 100 }) },
  });
  const connect = () => {
    const conn = new SseConnection(settings);
    const sink = recordingSink();
    conn.pipe(sink.sink);
    return { conn, ...sink };
  };
  return { stream, store, settings, errors, connect };
}

const note = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } });
const answer = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `r${id}` }] } });
const dataOf = (events: Event[]) => events.map((e) => e.data === '' ? '(priming)' : JSON.parse(e.data).method ?? `response ${JSON.parse(e.data).id}`);
/** Settles every step queued so far (each step is a few microtasks; a store's I/O is not involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every event after the stream's start, replayed from the store. */
async function replayed(store: EventStore, startId: string): Promise<Array<{ id: string; message: JsonRpcMessage }>> {
  const out: Array<{ id: string; message: JsonRpcMessage }> = [];
  await store.replayAfter(startId, (id, message) => { out.push({ id, message }); }, 's1');
  return out;
}

/** A memory store whose appends each wait until the test opens their gate, in order. */
function slowStore(): { slow: EventStore; gates: Array<() => void> } {
  const inner = createMemoryEventStore();
  const gates: Array<() => void> = [];
  const slow: EventStore = {
    ...inner,
    openStream: (key) => inner.openStream(key),
    append: (key, message, serialized) => new Promise<void>((open) => gates.push(open)).then(() => inner.append(key, message, serialized)),
    replayAfter: (id, onEvent, session) => inner.replayAfter(id, onEvent, session),
    deleteSession: (id) => inner.deleteSession(id),
    close: () => inner.close(),
  };
  return { slow, gates };
}

const order = suite('a server stream keeps its events in order, with the same ids live and in a replay');

order('writes queued at once (not awaited) go out in call order, priming first, ids 1..n, then the stream ends', async () => {
  const { stream, store, connect } = setup();
  stream.pending!.set(7, true);
  const c = connect();
  const attached = stream.attach(c.conn);
  const writes = [stream.write(note(1)), stream.write(note(2)), stream.write(answer(7))];
  await attached;
  await Promise.all(writes);
  const events = c.events();
  assert.equal(dataOf(events), ['(priming)', 'notifications/progress', 'notifications/progress', 'response 7']);
  const start = events[0]!.id!;
  assert.equal(events.slice(1).map((e) => e.id), [1, 2, 3].map((n) => `${start.slice(0, -2)}.${n}`));
  assert.is(c.ended(), 1);
  assert.equal((await replayed(store, start)).map((e) => e.id), events.slice(1).map((e) => e.id));
});

order('a resume replays what followed the id exactly once, then what is written later follows live, in order', async () => {
  const { stream, store, connect } = setup();
  stream.pending!.set(7, true);
  const first = connect();
  await stream.attach(first.conn);
  await stream.write(note(1));
  await stream.write(note(2));
  const seen = first.events();
  first.conn.gone(); // the client lost the connection after the first note
  const second = connect();
  const resumed = stream.resume(seen[1]!.id!, second.conn);
  const later = stream.write(note(3));
  await resumed;
  await later;
  await stream.write(answer(7));
  const events = second.events();
  assert.equal(dataOf(events), ['notifications/progress', 'notifications/progress', 'response 7']);
  assert.equal(events.map((e) => JSON.parse(e.data).params?.progress ?? 'done'), [2, 3, 'done']);
  const all = await replayed(store, seen[0]!.id!);
  assert.equal(all.map((e) => e.id), [seen[1]!.id, ...events.map((e) => e.id)], 'the ids live are the ids stored');
  assert.is(second.ended(), 1);
});

order('a write made while a replay of several events runs waits for the replay, though the memory store could take it at once', async () => {
  const { stream, connect } = setup();
  stream.pending!.set(7, true);
  const first = connect();
  await stream.attach(first.conn);
  await stream.write(note(1));
  await stream.write(note(2));
  first.conn.gone(); // lost right after the priming event: two events to replay
  const second = connect();
  const resumed = stream.resume(first.events()[0]!.id!, second.conn);
  const later = stream.write(note(3));
  await resumed;
  await later;
  assert.equal(second.events().map((e) => JSON.parse(e.data).params.progress), [1, 2, 3]);
});

order('a step that awaits a slow store holds every later step: the order is kept while the store is slow', async () => {
  const { slow, gates } = slowStore();
  const { stream, connect } = setup(slow);
  stream.pending!.set(7, true);
  const c = connect();
  const done = [stream.attach(c.conn), stream.write(note(1)), stream.write(note(2)), stream.write(answer(7))];
  for (let opened = 0; opened < 3; opened++) {
    await settle();
    assert.is(gates.length, opened + 1, 'one append at a time');
    gates[opened]!();
  }
  await Promise.all(done);
  assert.equal(dataOf(c.events()), ['(priming)', 'notifications/progress', 'notifications/progress', 'response 7']);
  assert.is(c.ended(), 1);
});

order('a resume that waited behind a slow step carries the last message written meanwhile, then ends', async () => {
  // faults29: the last message marks the stream finished when it is written, but is stored in
  // a step queued after the resume; the resume ended its connection at once, so the response
  // went to an ended connection and the client had to resume again to get it.
  const { slow, gates } = slowStore();
  const { stream, connect } = setup(slow);
  stream.pending!.set(7, true);
  const first = connect();
  await stream.attach(first.conn);
  first.conn.gone(); // lost after the priming event
  const noted = stream.write(note(1)); // its append waits: every later step waits too
  await settle();
  const second = connect();
  const resumed = stream.resume(first.events()[0]!.id!, second.conn);
  const answered = stream.write(answer(7)); // the last message: queued after the resume
  gates[0]!();
  await Promise.all([noted, resumed]);
  await settle();
  gates[1]!();
  await answered;
  await settle();
  assert.equal(dataOf(second.events()), ['notifications/progress', 'response 7']);
  assert.is(second.ended(), 1);
});

order('an error in a step is reported, and the steps after it still run in order', async () => {
  const inner = createMemoryEventStore();
  let failNext = false;
  const flaky: EventStore = {
    ...inner,
    openStream: (key) => inner.openStream(key),
    append: (key, message, serialized) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('disk full'));
      }
      return inner.append(key, message, serialized);
    },
    replayAfter: (id, onEvent, session) => inner.replayAfter(id, onEvent, session),
    deleteSession: (id) => inner.deleteSession(id),
    close: () => inner.close(),
  };
  const { stream, errors, connect } = setup(flaky);
  stream.pending!.set(7, true);
  const c = connect();
  await stream.attach(c.conn);
  failNext = true;
  const failed = stream.write(note(1));
  const after = [stream.write(note(2)), stream.write(answer(7))];
  const outcome = await failed.then(() => 'written', (e: Error) => e.message);
  // A notification the store refused goes live unstored (stream-unstored.ts; before faults26
  // its write failed): the handler is not failed for it.
  assert.is(outcome, 'written');
  await Promise.all(after);
  await settle();
  assert.equal(errors.map((e) => e.message), ['a notification could not be stored (disk full): it was sent on the live connection only; a resume misses it (later ones on this stream are not reported)']);
  const events = c.events().slice(1);
  assert.equal(events.map((e) => JSON.parse(e.data).params?.progress ?? 'done'), [1, 2, 'done']);
  assert.is(events[0]!.id, undefined, 'the unstored one carries no event id');
});

order('disconnect and cancel take effect after the writes queued before them', async () => {
  const { stream, connect } = setup();
  stream.pending!.set(7, true);
  stream.pending!.set(8, true);
  const c = connect();
  void stream.attach(c.conn);
  void stream.write(note(1));
  stream.disconnect();
  void stream.write(answer(7)); // after the disconnect: kept in the store, not on this connection
  await settle();
  assert.equal(dataOf(c.events()), ['(priming)', 'notifications/progress']);
  assert.is(c.ended(), 1);

  const d = connect();
  const resumed = stream.resume(c.events()[1]!.id!, d.conn);
  void stream.write(note(2));
  await resumed;
  void stream.write(note(3));
  stream.cancelRequest(8); // the last pending request: the stream finishes after the note
  await settle();
  assert.equal(dataOf(d.events()), ['response 7', 'notifications/progress', 'notifications/progress']);
  assert.is(d.ended(), 1);
  assert.ok(stream.finished);
});

order('a step queued from inside another step of the same stream runs after it', async () => {
  // A store that writes to the stream from inside its own append (a re-entrant caller): the
  // re-entrant write must wait for the append that called it, not run inside it.
  const inner = createMemoryEventStore();
  let stream!: ServerStream;
  let reentered: Promise<void> | undefined;
  const reentrant: EventStore = {
    ...inner,
    openStream: (key) => inner.openStream(key),
    append: (key, message, serialized) => {
      reentered ??= stream.write(note(99));
      return inner.append(key, message, serialized);
    },
    replayAfter: (id, onEvent, session) => inner.replayAfter(id, onEvent, session),
    deleteSession: (id) => inner.deleteSession(id),
    close: () => inner.close(),
  };
  const ctx = setup(reentrant);
  stream = ctx.stream;
  stream.pending!.set(7, true);
  const c = ctx.connect();
  await stream.attach(c.conn);
  await stream.write(note(1));
  await reentered;
  assert.equal(c.events().slice(1).map((e) => JSON.parse(e.data).params.progress), [1, 99]);
  const ids = c.events().slice(1).map((e) => Number(e.id!.split('.')[1]));
  assert.equal(ids, [1, 2]);
});

order.run();
