// A host killed between writing `history.json.<pid>.tmp` (or plans.json's) and renaming it
// left the temporary file for good: nothing removed it, and each kill added one. The next
// host now removes those of writers that are gone when it loads the file; a live writer's
// (another host still writing) stays. The writes are also fsynced before the rename, and the
// directory after it, as the tokens are (not observable here; state-file.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallHistory } from './history.ts';
import { createPlanJournal } from './plan-journal.ts';
import { writeStateFile } from './state-file.ts';

const test = suite('host state files: stale temporary files');
let dir = '';
let live: ChildProcess | undefined;
const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a pid that has exited
const fail = (error: Error) => assert.unreachable(error.message);

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpwire-state-file-'));
  live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' }); // another host, mid-write
  await once(live, 'spawn');
});
test.after(async () => {
  live?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

for (const [name, load] of [
  ['history.json', (file: string) => createCallHistory({ file, onError: fail }).load()],
  ['plans.json', (file: string) => createPlanJournal({ file, onError: fail }).load()],
] as const) {
  test(`${name}: a dead writer's temporary file is removed at load, a live one's stays`, async () => {
    const state = join(dir, name);
    await writeStateFile(join(state, 'other.json'), '{}'); // makes the directory
    await writeFile(join(state, `${name}.${dead}.tmp`), '{"half');
    await writeFile(join(state, `${name}.${live!.pid}.tmp`), '{"half');
    await writeFile(join(state, `${name}.x.tmp`), 'not a writer\'s');
    await load(join(state, name));
    assert.equal((await readdir(state)).sort(), [`${name}.${live!.pid}.tmp`, `${name}.x.tmp`, 'other.json'].sort());
  });
}

test('writeStateFile replaces the file, 0600, and leaves no temporary file', async () => {
  const state = join(dir, 'write');
  await writeStateFile(join(state, 'f.json'), 'one');
  await writeStateFile(join(state, 'f.json'), 'two');
  assert.is(await readFile(join(state, 'f.json'), 'utf8'), 'two');
  assert.is((await stat(join(state, 'f.json'))).mode & 0o777, 0o600);
  assert.equal(await readdir(state), ['f.json']);
});

test.run();
