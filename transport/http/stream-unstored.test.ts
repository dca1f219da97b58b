import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import { createMemoryEventStore, syncStreamStore, type SyncStreamStore } from '../event-store/memory.ts';
import type { EventStore } from '../event-store/index.ts';
import { SseConnection, type SseSink } from './sse-connection.ts';
import { ServerStream, type StreamSettings } from './server-stream.ts';

// One path for a message the store refuses (stream-unstored.ts), whether the store refuses at
// once (the memory store, used synchronously) or later (a file or Redis, by its promise).
// Before faults27 a synchronous refusal failed the call: the client got -32603 in place of
// the result of a tool that had run, and the handler's write rejected.

interface Refusing { store: EventStore; refuseNext(): void }

/** A memory store used synchronously whose next append throws. */
function refusingAtOnce(): Refusing {
  const store = createMemoryEventStore();
  const sync = syncStreamStore(store) as SyncStreamStore;
  const appendNow = sync.appendNow.bind(sync);
  let refuse = false;
  sync.appendNow = (key, message, serialized) => {
    if (refuse) {
      refuse = false;
      throw new Error('no space left');
    }
    return appendNow(key, message, serialized);
  };
  return { store, refuseNext: () => { refuse = true; } };
}

/** A store used by its promises whose next append rejects. */
function refusingLater(): Refusing {
  const inner = createMemoryEventStore();
  let refuse = false;
  const store: EventStore = {
    openStream: (key) => inner.openStream(key),
    append: (key, message, serialized) => {
      if (!refuse) return inner.append(key, message, serialized);
      refuse = false;
      return Promise.reject(new Error('no space left'));
    },
    replayAfter: (id, onEvent, session) => inner.replayAfter(id, onEvent, session),
    deleteSession: (id) => inner.deleteSession(id),
    close: () => inner.close(),
  };
  return { store, refuseNext: () => { refuse = true; } };
}

function setup({ store }: Refusing) {
  const errors: Error[] = [];
  const settings: StreamSettings = {
    timers: createManualTimers(), keepAlive: undefined, maxBufferedBytes: 1 << 20, store, sync: syncStreamStore(store),
    onError: (e) => errors.push(e),
  };
  const stream = new ServerStream({ key: { sessionId: 's1', streamId: 'p1' }, kind: 'post', settings, session: { primingFor: () => ({ retryMs: 100 }) } });
  const conn = new SseConnection(settings);
  const written: string[] = [];
  const sink: SseSink = { write(text) { written.push(text); return false; }, end() {} };
  conn.pipe(sink);
  const events = () => written.join('').split('\n\n').filter((b) => b.includes('data: ')).map((block) => ({
    id: /^id: (.*)$/m.exec(block)?.[1],
    message: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { id?: number; result?: unknown; error?: { code: number; message: string } },
  }));
  return { stream, conn, errors, events };
}

const answer = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `r${id}` }] } });
const ask = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'elicitation/create', params: { message: 'ok?', requestedSchema: { type: 'object', properties: {} } } });

const test = suite('a message the store refuses takes one path, at once or later');

for (const [kind, make] of [['at once (memory, synchronous)', refusingAtOnce], ['later (by its promise)', refusingLater]] as const) {
  test(`refused ${kind}: the response goes live under its error record's id, the write resolves, one report`, async () => {
    const refusing = make();
    const { stream, conn, errors, events } = setup(refusing);
    stream.pending!.set(7, true);
    const startId = await stream.open();
    await stream.attach(conn);
    refusing.refuseNext();
    const outcome = await stream.write(answer(7)).then(() => 'written', (e: Error) => `rejected: ${e.message}`);
    assert.is(outcome, 'written', 'the handler is not failed for a result it made');
    const live = events();
    assert.equal(live.map((e) => e.message.result), [{ content: [{ type: 'text', text: 'r7' }] }], 'the result itself reaches the client');
    assert.ok(live[0]!.id, 'under the id of the error record kept in its place');
    const replay: Array<{ id: string; message: JsonRpcMessage }> = [];
    await refusing.store.replayAfter(startId, (id, message) => { replay.push({ id, message }); }, 's1');
    assert.is(replay.length, 1);
    assert.is(replay[0]!.id, live[0]!.id);
    assert.match((replay[0]!.message as { error: { message: string } }).error.message, /The response could not be stored \(\w+\): no space left; it was sent only on the connection open/);
    assert.equal(errors.map((e) => e.message), ['the response to request 7 could not be stored (no space left): it was sent on the live connection only; a client resuming from before it gets an error in its place']);
  });

  test(`refused ${kind}: a question to the client fails its write (the handler hears it before acting on an answer)`, async () => {
    const refusing = make();
    const { stream, conn, events } = setup(refusing);
    stream.pending!.set(7, true);
    await stream.open();
    await stream.attach(conn);
    refusing.refuseNext();
    const outcome = await stream.write(ask(50)).then(() => 'written', (e: Error) => `rejected: ${e.message}`);
    assert.is(outcome, 'rejected: no space left');
    assert.equal(events(), [], 'the question is not sent');
  });
}

test.run();
