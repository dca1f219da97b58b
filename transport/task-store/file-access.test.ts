// A task log the store may not open (another user's file, its mode, a read-only file system)
// is refused, naming the file and the error, and left where it is. Before, it was renamed
// aside as damaged (tasks.log.corrupt) and the store started empty: a server run once as
// another user (sudo) lost every task to the next run. The helpers run as root, so the
// refusal is injected through the store's file system seam.
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeLogFs, type LogFs } from '../event-store/log-fs.ts';
import { createFileTaskStore } from './file.ts';

/** The real file system, except that opening `tasks.log` fails with `code`. */
function refusing(code: string): LogFs {
  return {
    ...nodeLogFs,
    async open(path, flags, mode) {
      if (path.endsWith('tasks.log')) throw Object.assign(new Error(`${code}: open '${path}'`), { code });
      return nodeLogFs.open(path, flags, mode);
    },
  };
}

const test = suite('file task store: a log it may not open');

for (const code of ['EACCES', 'EPERM', 'EROFS']) {
  test(`${code}: refused with MCP_ERR_STORE naming the file; the log stays in place`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-access-'));
    const dir = join(root, 'tasks');
    try {
      await mkdir(dir);
      await writeFile(join(dir, 'tasks.log'), '{"t":"h","v":1}\n');
      const errors: Error[] = [];
      let failure: { code?: unknown; message?: string } | undefined;
      try {
        await createFileTaskStore({ dir, fs: refusing(code), onError: (e) => errors.push(e) });
      } catch (error) {
        failure = error as typeof failure;
      }
      assert.ok(failure, 'the store opened');
      assert.is(failure.code, 'MCP_ERR_STORE');
      assert.match(failure.message!, new RegExp(`tasks\\.log cannot be opened for reading and writing \\(${code}\\); it is left as it is`));
      assert.equal((await readdir(dir)).sort(), ['tasks.log'], 'nothing renamed aside');
      assert.equal(errors, []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
}

test.run();
