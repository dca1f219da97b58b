// A file task store opened with a lower `maxTasks` or `maxTotalBytes` than its log holds (an
// operator lowering the bound and restarting) kept every record until the next create or
// change, and said nothing: a server that only read tasks after the restart stayed over its
// bound for good. Now the bound holds at open: expired records, then the oldest finished
// ones, are deleted from the log, unfinished ones kept, told once through onError.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';
import type { TaskStoreLimits } from './types.ts';

const test = suite('file task store: a log over the bounds it is opened with');
const roots: string[] = [];

test.after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

const done = { status: 'completed' as const, outcome: { result: { content: [{ type: 'text', text: 'x'.repeat(1000) }] } } };

/** A store dir holding, oldest first: old-done, running, mid-done, new-done (finished ones about 1.3 kB, the running one less). */
async function writtenLog(): Promise<{ dir: string; now: number }> {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-bounds-'));
  roots.push(root);
  const dir = join(root, 'tasks');
  const now = Date.now();
  const store = await createFileTaskStore({ dir });
  for (const id of ['old-done', 'running', 'mid-done', 'new-done']) await store.create(sampleTask(id, 'o', now));
  for (const id of ['old-done', 'mid-done', 'new-done']) await store.update(id, done);
  await store.close();
  return { dir, now };
}

async function held(dir: string, limits: TaskStoreLimits = {}): Promise<{ ids: string[]; told: string[] }> {
  const told: string[] = [];
  const store = await createFileTaskStore({ dir, ...limits, onError: (e) => told.push(e.message) });
  try {
    // Read only: nothing is written before these answers.
    const ids: string[] = [];
    for (const id of ['old-done', 'running', 'mid-done', 'new-done']) if (await store.get(id)) ids.push(id);
    return { ids, told };
  } finally {
    await store.close();
  }
}

test('maxTotalBytes lowered: the oldest finished records go at open, the unfinished one stays; told once; the log keeps the result', async () => {
  const { dir } = await writtenLog();
  const before = await held(dir);
  assert.equal(before.ids, ['old-done', 'running', 'mid-done', 'new-done']);
  const lowered = await held(dir, { maxTotalBytes: 2000 });
  assert.equal(lowered.ids, ['running', 'new-done'], 'evicted at open, before any write');
  assert.is(lowered.told.length, 1, lowered.told.join('\n'));
  assert.match(lowered.told[0]!, /held 4 records of \d+ bytes, more than the store's maxTasks or maxTotalBytes: 0 expired and the 2 oldest finished records were deleted$/);
  assert.equal((await held(dir)).ids, ['running', 'new-done'], 'the deletions are in the log');
});

test('maxTasks lowered: the same, by count', async () => {
  const { dir } = await writtenLog();
  const lowered = await held(dir, { maxTasks: 3 });
  assert.equal(lowered.ids, ['running', 'mid-done', 'new-done']);
  assert.is(lowered.told.length, 1);
  assert.match(lowered.told[0]!, /the 1 oldest finished records were deleted$/);
});

test('only unfinished tasks over the bound: they are kept and the refusal to come is said', async () => {
  const { dir } = await writtenLog();
  const lowered = await held(dir, { maxTasks: 1 });
  assert.equal(lowered.ids, ['running']);
  assert.is(lowered.told.length, 1);
  assert.match(lowered.told[0]!, /the 3 oldest finished records were deleted$/);
  const tight = await held(dir, { maxTotalBytes: 100 });
  assert.equal(tight.ids, ['running']);
  assert.match(tight.told[0]!, /0 expired and the 0 oldest finished records were deleted; unfinished tasks hold \d+ bytes, over maxTotalBytes \(100\), so new tasks are refused until some end$/);
});

test('within the bounds: nothing deleted, nothing told', async () => {
  const { dir } = await writtenLog();
  const same = await held(dir, { maxTasks: 4 });
  assert.equal(same.ids, ['old-done', 'running', 'mid-done', 'new-done']);
  assert.equal(same.told, []);
});

test.run();
