// The state directory removed (or the log deleted) while the server runs: the store kept
// appending to the open, nameless file, and fdatasync succeeded, so every task created or
// finished afterwards was acknowledged as durable and gone at the next start, with nothing
// said. Now an append that finds its log without a name (fstat nlink 0, read with the
// size the append reads anyway) makes the directory again, writes the log anew from the
// records in memory, says so once, and appends there.
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from './contract.ts';
import { createFileTaskStore } from './file.ts';

const test = suite('file task store: its directory or log deleted while it runs');
const roots: string[] = [];

async function freshDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-gone-'));
  roots.push(root);
  return join(root, 'tasks');
}

const done = { status: 'completed' as const, outcome: { result: { content: [] } } };

for (const [what, remove] of [
  ['the directory removed', (dir: string) => rm(dir, { recursive: true, force: true })],
  ['the log deleted', (dir: string) => unlink(join(dir, 'tasks.log'))],
] as const) {
  test(`${what}: changes acknowledged afterwards are found after a restart; told once`, async () => {
    const dir = await freshDir();
    const told: string[] = [];
    const now = Date.now();
    const store = await createFileTaskStore({ dir, onError: (e) => told.push(e.message) });
    await store.create(sampleTask('before', 'o', now));
    await remove(dir);
    await store.create(sampleTask('after', 'o', now));
    await store.update('before', done);
    await store.update('after', done);
    await store.close();
    assert.is(told.length, 1, told.join('\n'));
    assert.match(told[0]!, /tasks\.log was deleted while the store ran .*written again from the 1 tasks in memory/);
    const again = await createFileTaskStore({ dir });
    try {
      const tasks = (await again.list()).tasks.map((t) => [t.taskId, t.status]);
      assert.equal(tasks, [['before', 'completed'], ['after', 'completed']]);
    } finally {
      await again.close();
    }
  });
}

test('a directory that cannot be made again: the change is refused with MCP_ERR_STORE and nothing changes in memory', async () => {
  const dir = await freshDir();
  const store = await createFileTaskStore({ dir, reserveBytes: 0 });
  try {
    await store.create(sampleTask('before', 'o', Date.now()));
    await rm(dir, { recursive: true, force: true });
    await writeFile(dir, 'not a directory');
    const refused = await store.create(sampleTask('after', 'o', Date.now())).then(() => undefined, (e: Error & { code?: unknown }) => e);
    assert.is(refused?.code, 'MCP_ERR_STORE');
    assert.match(refused!.message, /was deleted while the store ran, and cannot be written again: .*must be a directory/);
    assert.is(await store.get('after'), undefined);
    assert.ok(await store.get('before'));
  } finally {
    await store.close();
  }
});

test.after(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

test.run();
