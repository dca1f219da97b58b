// State files are private (issue #10 item 5): logs hold session ids and stream tokens, so the
// store's directory is 0700 and its files 0600, new or compacted, and looser ones left by an
// older version are tightened when the store opens.
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore } from './file.ts';
import { nodeLogFs, type LogFs } from './log-fs.ts';

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

// The state folder made read-only while serving (`chmod a-w DIR`, faults24): a session's log
// could not be removed at its DELETE, and the next start recovered the deleted session and
// served it again (probed over HTTP: a call to it after the restart answered 200). The helpers
// run as root, so the folder's refusal is injected: creating, renaming and removing entries
// fail with EACCES; an existing file (0600, the owner's) still opens for writing.
function readOnlyFolder(): { fs: LogFs; set(on: boolean): void } {
  let on = false;
  const denied = (what: string) => Object.assign(new Error(`EACCES: permission denied, ${what}`), { code: 'EACCES' });
  return {
    set: (value) => { on = value; },
    fs: {
      ...nodeLogFs,
      async open(path, flags, fileMode) {
        if (on && /[wax]/.test(flags)) throw denied(`open '${path}'`);
        return nodeLogFs.open(path, flags, fileMode);
      },
      async rename(from, to) { if (on) throw denied(`rename '${from}'`); return nodeLogFs.rename(from, to); },
      async unlink(path) { if (on) throw denied(`unlink '${path}'`); return nodeLogFs.unlink(path); },
      async mkdir(path, options) { if (on) throw denied(`mkdir '${path}'`); return nodeLogFs.mkdir(path, options); },
    },
  };
}

test('a session deleted while the folder is read-only does not come back at the next start: its log is emptied, removed then', async () => {
  const dir = join(dirs[0]!, 'read-only');
  const folder = readOnlyFolder();
  const errors: string[] = [];
  const store = await createFileEventStore({ dir, fs: folder.fs, onError: (e) => errors.push(e.message) });
  await store.saveSession?.('gone', { protocolVersion: '2025-11-25' });
  await store.append({ sessionId: 'gone', streamId: 'p' }, note(1));
  await store.saveSession?.('kept', { protocolVersion: '2025-11-25' });
  folder.set(true);
  // A new session's log cannot be made: the refusal says why (before: only "EACCES").
  await store.append({ sessionId: 'new', streamId: 'p' }, note(1)).then(() => assert.unreachable('appended'), (e: Error) => {
    assert.is(e.message, "Cannot write the event log of session new: its folder or file is not writable (EACCES): check the state folder's permissions");
  });
  const deleting = store.deleteSession?.('gone');
  await deleting?.then(() => assert.unreachable('the delete was not reported'), (e: Error) => assert.match(e.message, /Cannot delete the log of session gone \(EACCES\); emptied instead, it is removed at the next start/));
  await store.close();
  assert.is((await readdir(dir)).length, 2, 'the folder refused the removal');
  const reopened = await createFileEventStore({ dir, onError: (e) => errors.push(e.message) });
  assert.equal((await reopened.loadSessions?.())?.map((s) => s.sessionId), ['kept']);
  assert.is((await readdir(dir)).length, 1, 'the emptied log removed at the start');
  await reopened.close();
  assert.equal(errors, []);
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
