// The writes an instance owes Redis (owed-writes.ts), without Redis: a store failure is owed
// and written again at the next flush, a newer write of the key replaces it, a write refused
// for good is given up and told, and the bound gives up the oldest.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { createOwedWrites } from './owed-writes.ts';

const test = suite('owed writes');
const storeError = () => new McpError(LocalErrorCode.Store, 'Redis EVALSHA failed: The client is offline');

/** A write that fails while `down.value` and records each success in `done`. */
function writer(done: string[], down: { value: boolean }, name: string) {
  return async () => {
    if (down.value) throw storeError();
    done.push(name);
  };
}

test('a store failure is owed and written at the next flush; the caller still gets the failure', async () => {
  const told: string[] = [];
  const owed = createOwedWrites({ retryMs: 60_000, max: 10, onError: (e) => told.push(e.message) });
  const down = { value: true };
  const done: string[] = [];
  await owed.run('end s1', writer(done, down, 'end s1')).then(() => assert.unreachable('resolved'), (e: McpError) => assert.is(e.code, LocalErrorCode.Store));
  assert.is(owed.size, 1);
  await owed.flush();
  assert.equal(done, [], 'still down: not written');
  down.value = false;
  await owed.flush();
  assert.equal(done, ['end s1']);
  assert.is(owed.size, 0);
  assert.equal(told, []);
  owed.close();
});

// Found by scalewalk8 (a reconnect to a Redis loading its data): a flush with nothing owed, as
// every reconnect without an outage's failures makes, ran to its end before \`flushing\` was
// assigned, so its \`finally\` cleared nothing and the settled promise stayed: every later
// flush (the timer's, the next reconnect's) returned it and wrote nothing, for the life of
// the process. A stream's end failed after that was left open in Redis until its TTL.
test('a flush with nothing owed leaves later flushes working, by hand and by the timer', async () => {
  const owed = createOwedWrites({ retryMs: 20, max: 10, onError: () => {} });
  const down = { value: true };
  const done: string[] = [];
  await owed.flush();
  await owed.run('end s1', writer(done, down, 'end s1')).catch(() => undefined);
  down.value = false;
  await owed.flush();
  assert.equal(done, ['end s1'], 'written at the flush after the empty one');
  down.value = true;
  await owed.run('end s2', writer(done, down, 'end s2')).catch(() => undefined);
  down.value = false;
  for (let i = 0; i < 200 && owed.size > 0; i++) await new Promise<void>((resolve) => setTimeout(resolve, 10));
  assert.equal(done, ['end s1', 'end s2'], 'written by the retry timer');
  owed.close();
});

test('a newer write of the key replaces the owed one; other failures are not owed', async () => {
  const owed = createOwedWrites({ retryMs: 60_000, max: 10, onError: () => {} });
  const down = { value: true };
  const done: string[] = [];
  await owed.run('session a', writer(done, down, 'old')).catch(() => undefined);
  await owed.run('session a', writer(done, down, 'new')).catch(() => undefined);
  await owed.run('session b', async () => { throw new McpError(LocalErrorCode.State, 'changed by another instance'); }).catch(() => undefined);
  assert.is(owed.size, 1);
  down.value = false;
  await owed.flush();
  assert.equal(done, ['new']);
  owed.close();
});

test('an owed write refused for good at a flush is given up and told; past the bound the oldest is given up', async () => {
  const told: string[] = [];
  const owed = createOwedWrites({ retryMs: 60_000, max: 2, onError: (e) => told.push(e.message) });
  let refuse: 'store' | 'state' = 'store';
  await owed.run('session x', async () => {
    throw refuse === 'store' ? storeError() : new McpError(LocalErrorCode.State, 'changed by another instance');
  }).catch(() => undefined);
  refuse = 'state';
  await owed.flush();
  assert.is(owed.size, 0);
  assert.match(told[0] ?? '', /^a write owed to Redis \(session x\) is given up: changed by another instance/);

  for (const key of ['k1', 'k2', 'k3']) await owed.run(key, async () => { throw storeError(); }).catch(() => undefined);
  assert.is(owed.size, 2);
  assert.match(told[1] ?? '', /more than 2 writes are owed to Redis .* the oldest \(k1\) is given up/);
  owed.close();
  assert.is(owed.size, 0);
});

test.run();
