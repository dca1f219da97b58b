// State files are private (issue #10 item 5): logs hold session ids and stream tokens, so the
// store's directory is 0700 and its files 0600, new or compacted, and looser ones left by an
// older version are tightened when the store opens.
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore } from './file.ts';

const dirs: string[] = [];
const mode = async (path: string) => (await stat(path)).mode & 0o777;
const note = (i: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/progress', params: { progressToken: 't', progress: i, pad: 'x'.repeat(200) } });

const test = suite('the file store keeps its state private');

test.before(async () => {
  dirs.push(await mkdtemp(join(tmpdir(), 'mcpwire-modes-')));
});

test('a new directory is 0700 and new logs are 0600, also after compaction, whatever the umask', async () => {
  if (process.platform === 'win32') return;
  const dir = join(dirs[0]!, 'fresh', 'events');
  const umask = process.umask(0o000); // the loosest umask: modes must come from the store
  try {
    const store = await createFileEventStore({ dir, compactAfterBytes: 2048, maxEventsPerStream: 2, onError: (e) => assert.unreachable(e.message) });
    for (let i = 0; i < 40; i++) await store.append({ sessionId: 's', streamId: 'p' }, note(i)); // compacts several times
    await store.saveSession('t', { v: 1 });
    await store.close();
  } finally {
    process.umask(umask);
  }
  assert.is(await mode(dir), 0o700);
  const names = await readdir(dir);
  assert.is(names.length, 2);
  for (const name of names) assert.is(await mode(join(dir, name)), 0o600, name);
});

test('an existing directory and logs readable by others are tightened on open', async () => {
  if (process.platform === 'win32') return;
  const dir = join(dirs[0]!, 'old');
  let store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  await store.append({ sessionId: 's', streamId: 'p' }, note(1));
  await store.close();
  const [name] = await readdir(dir);
  await chmod(dir, 0o755);
  await chmod(join(dir, name!), 0o644);
  store = await createFileEventStore({ dir, onError: (e) => assert.unreachable(e.message) });
  await store.close();
  assert.is(await mode(dir), 0o700);
  assert.is(await mode(join(dir, name!)), 0o600);
});

test('the directory made for a new store is not left open by a looser pre-made parent', async () => {
  if (process.platform === 'win32') return;
  const parent = join(dirs[0]!, 'state');
  await mkdir(parent, { mode: 0o755 });
  await writeFile(join(parent, 'unrelated.txt'), 'x');
  const store = await createFileEventStore({ dir: join(parent, 'events'), onError: (e) => assert.unreachable(e.message) });
  await store.close();
  assert.is(await mode(join(parent, 'events')), 0o700);
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
