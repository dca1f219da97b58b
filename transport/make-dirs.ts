/**
 * `mkdir -p` that always ends. Node 20's `mkdir(path, { recursive: true })` retries for ever
 * when a directory's parent exists but the directory cannot be made in it with ENOENT (under
 * `/proc`, for one): `mcpwire serve --state /proc/1/x` spun at full CPU with no output. This
 * walks up once per missing component and fails with mkdir's own error.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The two file system calls {@link makeDirs} makes (a store passes its own, for fault tests). */
export interface DirOps {
  mkdir(path: string, options: { mode: number }): Promise<unknown>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
}

const nodeDirOps: DirOps = { mkdir, stat };

/**
 * Make `path` and its missing parents with `mode`; an existing directory is fine. Rejects
 * with mkdir's error (EEXIST when `path` is a file, ENOTDIR when a parent is, ENOENT or EACCES
 * when a directory cannot be made there), never loops.
 */
export async function makeDirs(path: string, mode: number, ops: DirOps = nodeDirOps): Promise<void> {
  const missing: string[] = [];
  let dir = resolve(path);
  for (;;) {
    try {
      await ops.mkdir(dir, { mode });
      break;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EEXIST') {
        // An existing directory ends the walk; anything else in the way is the caller's error.
        if (missing.length > 0 || (await ops.stat(dir)).isDirectory()) break;
        throw error;
      }
      const parent = dirname(dir);
      if (code !== 'ENOENT' || parent === dir) throw error;
      missing.push(dir);
      dir = parent;
    }
  }
  // Each once, from the outermost: a second ENOENT is final. One made meanwhile by another
  // process (EEXIST, a directory) is fine.
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      await ops.mkdir(missing[i]!, { mode });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST' || !(await ops.stat(missing[i]!)).isDirectory()) throw error;
    }
  }
}
