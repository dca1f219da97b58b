// A host killed within milliseconds of a call's start left nothing to resume (hostwalk,
// session 17): the call's resumption entry and its first event id reached disk a few ms after
// the POST had gone and after its events were shown (coalesced writes), while the call ran
// on the server. Now the POST waits for the entry, and the stream's events after the first
// wait for that event's id. Here the disk is slow (each write takes WRITE_MS): the server
// must find the entry on disk when the call reaches it, and the host's first progress must
// find the event id on disk.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore, type ResumeRecord, type ResumeStore } from 'mcpwire/client';
import { createServer } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';
import { createHttpServerHandler } from '../transport/http/server.ts';
import { createConnection } from '../host/connection.ts';

/** How long each write of the slow disk takes: longer than a loopback POST, even on a loaded machine. */
const WRITE_MS = 400;

/** A store whose writes land WRITE_MS after they are asked for; `onDisk` is what has landed. */
function slowDisk(): ResumeStore & { onDisk(): ResumeRecord | undefined } {
  const inner = createMemoryResumeStore();
  let landed: ResumeRecord | undefined;
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, WRITE_MS));
  return {
    get: (key) => inner.get(key),
    async set(key, record) {
      await later();
      await inner.set(key, record);
      landed = structuredClone(record);
    },
    async delete(key) {
      await later();
      landed = undefined;
      return inner.delete(key);
    },
    update: (key, fn) => inner.update(key, fn),
    list: () => inner.list(),
    onDisk: () => landed,
  };
}

const ahead = suite('host: a call is on disk before it is sent, and its position before it is shown');

ahead('the server gets the call only once its entry is on disk; the first progress only once its event id is', async () => {
  const store = slowDisk();
  const atArrival: Array<ResumeRecord | undefined> = [];
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  const server = createServer({ name: 'write-ahead', version: '1' });
  server.tool({ name: 'work', description: 'reports progress, then waits to be released' }, async (_args, ctx) => {
    atArrival.push(structuredClone(store.onDisk()));
    await ctx.progress(1, 2, 'started');
    await released;
    return 'done';
  });
  const handler = createHttpServerHandler({ keepAliveMs: 0, connect: async (t) => { await server.connect(t); } });
  const listening: ListeningServer = await listen(handler, { port: 0 });
  const noop = () => undefined;
  const conn = createConnection({
    spec: { name: 'w', kind: 'http', url: `http://127.0.0.1:${listening.port}/mcp`, headers: {} },
    store, logLevel: 'info', callTimeoutMs: 60_000,
    events: { elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, notice: noop, debug: noop },
  });
  try {
    await conn.ensure();
    const atProgress: Array<ResumeRecord | undefined> = [];
    const call = conn.call('work', {}, {
      signal: new AbortController().signal,
      onProgress: () => { atProgress.push(structuredClone(store.onDisk())); release(); },
    });
    assert.is(await call.then((r) => (r.content[0] as { text: string }).text), 'done');
    assert.is(atArrival.length, 1);
    assert.is(atArrival[0]?.inflight?.length, 1, `the entry was on disk when the call reached the server: ${JSON.stringify(atArrival[0])}`);
    assert.equal(atArrival[0]!.inflight![0]!.params, { name: 'work', arguments: {} });
    assert.is(atProgress.length, 1);
    assert.type(atProgress[0]?.inflight?.[0]?.lastEventId, 'string', `the first event id was on disk when the progress was shown: ${JSON.stringify(atProgress[0])}`);
  } finally {
    release();
    await conn.close(false);
    await handler.close();
    await listening.close();
  }
});

ahead.run();
