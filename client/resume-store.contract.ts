/**
 * The behavioural contract every {@link ResumeStore} must meet, framework-agnostic: each case
 * is `{ name, run }` and fails by throwing (node:assert). Run it from any test runner:
 *
 * ```ts
 * for (const c of resumeStoreContract(() => myStore())) test(c.name, c.run);
 * ```
 */
import assert from 'node:assert/strict';
import type { ResumeRecord, ResumeStore } from './resume-store.ts';

/** One contract case. */
export interface ContractCase {
  name: string;
  run: () => Promise<void>;
}

const SERVER = 'https://mcp.example.com/mcp';

const FULL: ResumeRecord = {
  sessionId: 'session-1',
  protocolVersion: '2025-11-25',
  lastEventId: 'stream-0:41',
  inflight: [
    { requestId: 7, method: 'tools/call', params: { name: 'book', arguments: { seats: 2, tags: ['a', 'é'] } }, lastEventId: 's-7:3', startedAt: 1_700_000_000_000 },
    { requestId: 'req-8', method: 'resources/read', startedAt: 1_700_000_000_500 },
  ],
};

async function rejectsWithStoreError(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => (error as { code?: unknown }).code === 'MCP_ERR_STORE');
}

/**
 * The contract cases for stores built by `make`. `make` is called once per case and must
 * return an empty store each time.
 */
export function resumeStoreContract(make: () => ResumeStore | Promise<ResumeStore>): ContractCase[] {
  const cases: ContractCase[] = [];
  const test = (name: string, body: (store: ResumeStore) => Promise<void>) => {
    cases.push({ name, run: async () => body(await make()) });
  };

  test('get of an unknown server key is undefined', async (store) => {
    assert.equal(await store.get(SERVER), undefined);
    assert.deepEqual(await store.list(), []);
  });

  test('set then get returns an equal record, every field kept', async (store) => {
    await store.set(SERVER, FULL);
    assert.deepEqual(await store.get(SERVER), FULL);
    await store.set('other', {});
    assert.deepEqual(await store.get('other'), {});
  });

  test('set replaces the whole record', async (store) => {
    await store.set(SERVER, FULL);
    await store.set(SERVER, { sessionId: 'session-2' });
    assert.deepEqual(await store.get(SERVER), { sessionId: 'session-2' });
  });

  test('records are copied in and out', async (store) => {
    const input: ResumeRecord = structuredClone(FULL);
    await store.set(SERVER, input);
    input.sessionId = 'changed after set';
    input.inflight?.pop();
    const out = await store.get(SERVER);
    assert.deepEqual(out, FULL);
    if (out) out.sessionId = 'changed after get';
    assert.deepEqual(await store.get(SERVER), FULL);
  });

  test('update sees undefined for a new key and stores what it returns', async (store) => {
    const seen: unknown[] = [];
    const stored = await store.update(SERVER, (current) => {
      seen.push(current);
      return { sessionId: 's', protocolVersion: '2025-06-18' };
    });
    assert.deepEqual(seen, [undefined]);
    assert.deepEqual(stored, { sessionId: 's', protocolVersion: '2025-06-18' });
    assert.deepEqual(await store.get(SERVER), stored);
  });

  test('update sees the current record and may be async', async (store) => {
    await store.set(SERVER, FULL);
    const stored = await store.update(SERVER, async (current) => {
      await new Promise((r) => setTimeout(r, 1));
      return { ...current, lastEventId: 'stream-0:42' };
    });
    assert.deepEqual(stored, { ...FULL, lastEventId: 'stream-0:42' });
    assert.deepEqual(await store.get(SERVER), stored);
  });

  test('update returning undefined deletes the record', async (store) => {
    await store.set(SERVER, FULL);
    assert.equal(await store.update(SERVER, () => undefined), undefined);
    assert.equal(await store.get(SERVER), undefined);
    assert.deepEqual(await store.list(), []);
  });

  test('concurrent updates to one key all apply, in call order', async (store) => {
    const n = 40;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        store.update(SERVER, async (current) => {
          // Yield between the read and the write: an unserialised store would lose writes here.
          await new Promise((r) => setImmediate(r));
          return { inflight: [...(current?.inflight ?? []), { requestId: i, method: 'ping', startedAt: i }] };
        }),
      ),
    );
    const record = await store.get(SERVER);
    assert.deepEqual(record?.inflight?.map((r) => r.requestId), Array.from({ length: n }, (_, i) => i));
  });

  test('set, update and delete on one key apply in call order', async (store) => {
    const done = Promise.all([
      store.set(SERVER, { sessionId: 'a' }),
      store.update(SERVER, (c) => ({ sessionId: `${c?.sessionId}b` })),
      store.delete(SERVER),
      store.update(SERVER, (c) => ({ sessionId: `${c?.sessionId ?? 'none'}c` })),
    ]);
    const [, updated, deleted, last] = await done;
    assert.deepEqual(updated, { sessionId: 'ab' });
    assert.equal(deleted, true);
    assert.deepEqual(last, { sessionId: 'nonec' });
  });

  test('a throwing update changes nothing and does not block later calls', async (store) => {
    await store.set(SERVER, FULL);
    const boom = new Error('boom');
    await assert.rejects(store.update(SERVER, () => { throw boom; }), (e: unknown) => e === boom);
    assert.deepEqual(await store.get(SERVER), FULL);
    assert.deepEqual(await store.update(SERVER, () => ({ sessionId: 'next' })), { sessionId: 'next' });
  });

  test('delete removes a record and reports whether there was one', async (store) => {
    await store.set(SERVER, FULL);
    assert.equal(await store.delete(SERVER), true);
    assert.equal(await store.get(SERVER), undefined);
    assert.equal(await store.delete(SERVER), false);
  });

  test('keys are distinct and list returns every stored key, sorted', async (store) => {
    const keys = ['https://a.example/mcp', 'https://A.example/mcp', 'stdio:node server.js --flag', 'ключ/🔑', 'b'];
    for (const [i, key] of keys.entries()) await store.set(key, { sessionId: `s${i}` });
    for (const [i, key] of keys.entries()) assert.deepEqual(await store.get(key), { sessionId: `s${i}` });
    assert.deepEqual(await store.list(), [...keys].sort());
    await store.delete('b');
    assert.deepEqual(await store.list(), keys.filter((k) => k !== 'b').sort());
  });

  test('an invalid record or key is refused with MCP_ERR_STORE and nothing is stored', async (store) => {
    await rejectsWithStoreError(store.set(SERVER, { inflight: 'nope' } as unknown as ResumeRecord));
    await rejectsWithStoreError(store.set(SERVER, { inflight: [{ requestId: 1, method: 'x' }] } as unknown as ResumeRecord));
    await rejectsWithStoreError(store.set(SERVER, { sessionId: 5 } as unknown as ResumeRecord));
    await rejectsWithStoreError(store.update(SERVER, () => [] as unknown as ResumeRecord));
    await rejectsWithStoreError(store.set('', {}));
    assert.equal(await store.get(SERVER), undefined);
    assert.deepEqual(await store.list(), []);
  });

  return cases;
}
