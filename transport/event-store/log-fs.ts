/**
 * The file system operations the file store uses, as one small object, so a test can inject
 * faults (a full disk, a failing fsync) without root or a real full device. The default is
 * `node:fs/promises`.
 */
import { chmod, lstat, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { makeDirs } from '../make-dirs.ts';

/** What the store does with an open file (a subset of `FileHandle`). */
export interface LogHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  /** `nlink` 0: the file lost its name (deleted, or its directory removed) while open. */
  stat(): Promise<{ size: number; mode: number; nlink?: number; ino?: number; dev?: number; isFile(): boolean }>;
  chmod(mode: number): Promise<void>;
  close(): Promise<void>;
}

/** The file system of a file store (see the module comment). */
export interface LogFs {
  open(path: string, flags: string, mode?: number): Promise<LogHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { mode: number }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
  lstat(path: string): Promise<{ mode: number; ino?: number; dev?: number; isFile(): boolean; isDirectory(): boolean }>;
  chmod(path: string, mode: number): Promise<void>;
}

/** The real file system. */
export const nodeLogFs: LogFs = { open, rename, unlink, mkdir, readdir, lstat, chmod };

/** Mode of log files: they hold session ids and stream tokens, readable by the owner only. */
export const FILE_MODE = 0o600;
/** Mode of the store's directory. */
export const DIR_MODE = 0o700;

/** Names tried for a file set aside before giving up. */
const MAX_ASIDE_NAMES = 100;

/**
 * Rename `path` to `PATH.corrupt` (or `PATH.corrupt.N`, never over one set aside earlier),
 * its contents untouched; resolves with the new name. For a log a store cannot use (damaged,
 * unreadable, not a file, or in a newer format): the store starts without it, nothing is lost.
 */
export async function setAsideFile(fs: LogFs, path: string): Promise<string> {
  for (let n = 0; n < MAX_ASIDE_NAMES; n++) {
    const target = n === 0 ? `${path}.corrupt` : `${path}.corrupt.${n}`;
    try {
      await fs.lstat(target);
      continue; // taken: never overwrite an earlier file set aside
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await fs.rename(path, target);
    return target;
  }
  throw new Error(`${MAX_ASIDE_NAMES} files named ${path}.corrupt* exist already`);
}

/**
 * Create a store's directory (private) if it is missing, and make an existing one private.
 * A file where the directory should be (an operator's mistake) is refused with a message
 * that names the path and what was expected, not the bare EEXIST or ENOTDIR of mkdir.
 */
export async function openStoreDir(fs: LogFs, dir: string, what: string): Promise<void> {
  try {
    // `stat` follows a link: a symbolic link to a directory (state on another disk) is one.
    await makeDirs(dir, DIR_MODE, { mkdir: (path, options) => fs.mkdir(path, options), stat });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new McpError(LocalErrorCode.Store, `${what}: ${dir} must be a directory, but ${code === 'EEXIST' ? 'it is a file' : 'a part of that path is a file'}; move it aside or choose another directory`, { cause: error });
  }
  // The logs hold session ids and stream tokens: a directory others can read is made private.
  if (((await fs.lstat(dir)).mode & 0o077) !== 0) await fs.chmod(dir, DIR_MODE);
}
