// makeDirs: mkdir -p that ends. Node 20's recursive mkdir spun for ever (full CPU, no output)
// when a directory could not be made in an existing parent with ENOENT, as under /proc.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirs, type DirOps } from './make-dirs.ts';

const test = suite('makeDirs');

const codeOf = (error: unknown) => (error as { code?: unknown }).code;

test('makes missing parents with the mode; an existing directory is fine', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-dirs-'));
  try {
    const deep = join(root, 'a', 'b', 'c');
    await makeDirs(deep, 0o700);
    assert.is((await stat(deep)).mode & 0o777, 0o700);
    assert.is((await stat(join(root, 'a'))).mode & 0o777, 0o700);
    await makeDirs(deep, 0o700);
    await makeDirs(root, 0o700);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a file in the way is mkdir\'s EEXIST (the path) or ENOTDIR (a parent)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mcpwire-dirs-'));
  try {
    const file = join(root, 'f');
    await writeFile(file, 'x');
    assert.is(await makeDirs(file, 0o700).then(() => 'made', codeOf), 'EEXIST');
    assert.is(await makeDirs(join(file, 'below'), 0o700).then(() => 'made', codeOf), 'ENOTDIR');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a parent that exists but refuses the directory with ENOENT fails once, no loop', async () => {
  let calls = 0;
  const ops: DirOps = {
    async mkdir(path) {
      calls++;
      if (calls > 20) throw new Error('looping');
      const error = Object.assign(new Error(`mkdir ${path}`), { code: path === '/special' ? 'EEXIST' : 'ENOENT' });
      throw error;
    },
    async stat() { return { isDirectory: () => true }; },
  };
  assert.is(await makeDirs('/special/x', 0o700, ops).then(() => 'made', codeOf), 'ENOENT');
  assert.is(calls, 3, 'the directory, its parent, the directory again');
});

test('under /proc (where Node\'s recursive mkdir spins): rejects with ENOENT', async () => {
  if (!existsSync('/proc/self')) {
    console.log('  skipped: no /proc on this system');
    return;
  }
  assert.is(await makeDirs('/proc/self/mcpwire-no-such-dir', 0o700).then(() => 'made', codeOf), 'ENOENT');
});

test.run();
