// A file where a store's directory should be (an operator's mistake, e.g. `--state` holding a
// plain file named `events`) is refused with a message naming the path and what was expected,
// not a bare "EEXIST: file already exists, mkdir ...".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileEventStore } from './file.ts';
import { createFileTaskStore } from '../task-store/file.ts';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

const test = suite('file stores: a file where the directory should be');

async function refusal(open: (dir: string) => Promise<{ close(): Promise<void> }>, dir: string): Promise<McpError> {
  try {
    const store = await open(dir);
    await store.close();
  } catch (error) {
    assert.instance(error, McpError);
    return error as McpError;
  }
  throw new Error('the store opened');
}

for (const [name, open, what] of [
  ['event store', (dir: string) => createFileEventStore({ dir, onError: () => {} }), 'file event store'],
  ['task store', (dir: string) => createFileTaskStore({ dir }), 'file task store'],
] as const) {
  test(`${name}: the directory is a plain file`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcpwire-store-dir-'));
    try {
      const dir = join(root, 'events');
      await writeFile(dir, 'not a directory');
      const error = await refusal(open, dir);
      assert.is(error.code, LocalErrorCode.Store);
      assert.is(error.message, `${what}: ${dir} must be a directory, but it is a file; move it aside or choose another directory`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test(`${name}: a part of the directory's path is a plain file`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcpwire-store-dir-'));
    try {
      await writeFile(join(root, 'state'), 'not a directory');
      const dir = join(root, 'state', 'events');
      const error = await refusal(open, dir);
      assert.match(error.message, new RegExp(`^${what}: .*state/events must be a directory, but a part of that path is a file`));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test(`${name}: a symbolic link to a directory is a directory (state moved to another disk)`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcpwire-store-dir-'));
    try {
      await mkdir(join(root, 'elsewhere'));
      await symlink(join(root, 'elsewhere'), join(root, 'events'));
      const store = await open(join(root, 'events'));
      await store.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
}

test.run();
