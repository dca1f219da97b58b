/**
 * The key that seals 2026-07-28 `requestState` (server/modern/request-state.ts) for
 * `mcpwire serve`: `MCPWIRE_REQUEST_STATE_KEY` (base64 or base64url of at least 32 bytes)
 * when set, so several instances share one; else, with `--state DIR`, the key kept in
 * `DIR/request-state.key` (made on first start, private), so a multi round-trip request
 * outlives a restart; else none (a random key per process).
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirs } from 'mcpwire/transport';
import { UsageError } from './args.ts';

export const STATE_KEY_ENV = 'MCPWIRE_REQUEST_STATE_KEY';
const MIN_BYTES = 32;

function decode(text: string, where: string): Uint8Array {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new UsageError(`${where} must be base64 of at least ${MIN_BYTES} bytes`);
  const key = new Uint8Array(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  if (key.byteLength < MIN_BYTES) throw new UsageError(`${where} must hold at least ${MIN_BYTES} bytes, got ${key.byteLength}`);
  return key;
}

/**
 * Make `--state DIR` (private), or another folder a flag names, or say, naming the flag, why
 * it cannot be: run before anything opens a store in it, whose own mkdir failed with a bare
 * errno (EROFS, ENOTDIR) that named neither the flag nor the folder the user gave.
 */
export async function makeStateDir(stateDir: string, flag = '--state'): Promise<void> {
  try {
    await makeDirs(stateDir, 0o700);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`${flag} ${stateDir} must be a directory, but ${code === 'EEXIST' ? 'it is a file' : 'a part of that path is a file'}`);
    throw new UsageError(`${flag} ${stateDir} cannot be created: ${(error as Error).message}`);
  }
}

/** The requestState key to use, or undefined for a random one per process. */
export async function requestStateKey(stateDir: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array | undefined> {
  const fromEnv = env[STATE_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return decode(fromEnv, STATE_KEY_ENV);
  if (stateDir === undefined) return undefined;
  await makeStateDir(stateDir);
  const file = join(stateDir, 'request-state.key');
  try {
    // Reading a FIFO blocks until a writer comes: `serve --state` hung with no output.
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is ${info.isDirectory() ? 'a directory' : 'not a regular file'}, not the requestState key: remove it, or set ${STATE_KEY_ENV}`);
    const text = await readFile(file, 'utf8');
    // An empty file is a first start killed between creating the key and writing it (older
    // versions wrote in place): no key was ever used, so a new one replaces it.
    if (text !== '') return decode(text, file);
    await rm(file, { force: true });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UsageError(`${file} is a directory, not the requestState key: remove it, or set ${STATE_KEY_ENV}`);
    if (code !== 'ENOENT') throw new UsageError(`${file} cannot be read: ${(error as Error).message}`);
  }
  const key = randomBytes(MIN_BYTES);
  // Written whole to a private temporary file, then linked into place: a crash never leaves
  // a partial key, and link fails with EEXIST, so two servers starting on one DIR at once
  // never overwrite each other's key (the loser reads the winner's).
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600);
    await link(temp, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temp, { force: true });
  }
  return decode(await readFile(file, 'utf8'), file);
}
