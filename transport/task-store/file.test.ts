import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask, taskStoreContract } from './contract.ts';
import { createFileTaskStore } from './file.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-'));
  dirs.push(dir);
  return join(dir, 'state');
}

const contract = suite('the file task store meets the TaskStore contract');
for (const c of taskStoreContract(async (limits) => createFileTaskStore({ ...limits, dir: await freshDir() }))) contract(c.name, c.run);
contract.after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
contract.run();

const durable = suite('the file task store keeps tasks across reopen, privately');
const now = () => 1_000;

durable('records, updates and deletions survive closing and reopening', async () => {
  const dir = await freshDir();
  const store = await createFileTaskStore({ dir, now, maxTasks: 2 });
  await store.create(sampleTask('a'));
  await store.update('a', { status: 'completed', outcome: { result: { content: [{ type: 'text', text: 'done' }] } } });
  await store.create(sampleTask('b'));
  await store.update('b', { status: 'input_required', inputs: [{ action: 'accept', content: { ok: true } }] });
  await store.create(sampleTask('c')); // evicts the finished 'a'
  await store.close();
  const again = await createFileTaskStore({ dir, now, maxTasks: 2 });
  assert.equal(await again.get('a'), undefined);
  assert.equal((await again.get('b'))?.status, 'input_required');
  assert.equal((await again.get('b'))?.inputs, [{ action: 'accept', content: { ok: true } }]);
  assert.equal((await again.list()).tasks.map((t) => t.taskId), ['b', 'c']);
  await again.close();
});

durable('the directory is 0700 and the log 0600, even when the directory was made wider', async () => {
  const dir = await freshDir();
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { mode: 0o755 });
  const store = await createFileTaskStore({ dir, now });
  await store.create(sampleTask('a'));
  await store.close();
  assert.is((await stat(dir)).mode & 0o777, 0o700);
  assert.is((await stat(join(dir, 'tasks.log'))).mode & 0o777, 0o600);
});

durable('a torn last line (kill -9 mid-write) is cut off; a damaged line is reported and skipped', async () => {
  const dir = await freshDir();
  const store = await createFileTaskStore({ dir, now });
  await store.create(sampleTask('a'));
  await store.create(sampleTask('b'));
  await store.close();
  const log = join(dir, 'tasks.log');
  const text = await readFile(log, 'utf8');
  // Flip one character inside task b's record: its checksum no longer matches.
  await writeFile(log, text.replace('"taskId":"b"', '"taskId":"B"'));
  await appendFile(log, '{"t":"p","r":{"taskId":"torn"');
  const errors: Error[] = [];
  const again = await createFileTaskStore({ dir, now, onError: (e) => errors.push(e) });
  assert.ok(await again.get('a'));
  assert.equal(await again.get('b'), undefined);
  assert.equal(await again.get('B'), undefined);
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /damaged line/);
  await again.create(sampleTask('c'));
  await again.close();
  const third = await createFileTaskStore({ dir, now, onError: (e) => errors.push(e) });
  assert.ok(await third.get('c'), 'the line after the cut is whole');
  assert.is(errors.length, 2, 'only the old damage is reported again');
  await third.close();
});

durable('the log is compacted once dead lines dominate, and still loads', async () => {
  const dir = await freshDir();
  const store = await createFileTaskStore({ dir, now });
  await store.create(sampleTask('a'));
  for (let i = 0; i < 300; i++) await store.update('a', { statusMessage: `step ${i}` });
  await store.close();
  const lines = (await readFile(join(dir, 'tasks.log'), 'utf8')).split('\n').filter(Boolean);
  assert.ok(lines.length < 100, `${lines.length} lines after compaction`);
  const again = await createFileTaskStore({ dir, now });
  assert.is((await again.get('a'))?.statusMessage, 'step 299');
  await again.close();
});

durable.after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
durable.run();
