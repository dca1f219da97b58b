/**
 * Single-use markers in one append-only file, for one server process and its restarts: the
 * nonces of 2026-07-28 `requestState` under `mcpwire serve --state DIR`. The state's key is
 * kept in DIR so that a multi round-trip request outlives a restart; the nonces it had used
 * were kept in memory only, so after a kill -9 a state already answered was accepted again,
 * within its TTL and with other answers (2026-07-28 basic/patterns/mrtr: the server SHOULD
 * enforce single use itself). A claim is written and fdatasynced before it is granted.
 *
 * Each line is `<expiresAt> <scope> <id> <crc32>`; at open a torn last line (a write cut by a
 * crash, never granted) is cut off, a damaged line is reported and skipped (a CRLF line end
 * is read as the line it ends), expired ones are dropped. The file is rewritten (temporary
 * file, fsync, rename) when most of its lines are dead. A write the disk refuses still
 * grants the claim in this process (it refuses a replay until it restarts) and is reported:
 * a full disk must not stop every input round.
 */
import { dirname } from 'node:path';
import { LocalErrorCode, McpError } from '../protocol/index.ts';
import { crc32Hex } from './event-store/crc32.ts';
import { nodeLogFs, type LogFs, type LogHandle } from './event-store/log-fs.ts';
import { makeDirs } from './make-dirs.ts';
import type { SingleUseMarkers } from './single-use-markers.ts';

/** Single-use markers in a file (the shape of `inputRounds.nonces`), which are closed. */
export interface FileMarkers extends SingleUseMarkers {
  /** Wait for the writes under way and close the file. */
  close(): Promise<void>;
}

/** Options of {@link createFileMarkers}. */
export interface FileMarkersOptions {
  /** The file (made 0600, its folder 0700). */
  file: string;
  /** Markers kept at most; past it expired ones go, then the oldest claimed. Default 100 000. */
  maxMarkers?: number;
  /** Told of damaged lines at open and of writes that failed. */
  onError?: (error: Error) => void;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** The file system (the file stores' seam, for faults in tests). Default `node:fs/promises`. */
  fs?: LogFs;
}

export const FILE_MARKERS_DEFAULTS = { maxMarkers: 100_000 } as const;

const SCOPE = /^[\w.-]{1,64}$/;
const ID = /^[\w.~-]{1,256}$/;
const LINE = /^(\d{1,16}) ([\w.-]{1,64}) ([\w.~-]{1,256}) ([0-9a-f]{8})$/;
const encoder = new TextEncoder();
/** Lines appended between two looks for dead ones (and the dead lines a compaction leaves room for). */
const LOOK_EVERY = 256;

const body = (expiresAt: number, scope: string, id: string) => `${expiresAt} ${scope} ${id}`;
const lineOf = (expiresAt: number, scope: string, id: string) => {
  const text = body(expiresAt, scope, id);
  return `${text} ${crc32Hex(encoder.encode(text))}\n`;
};

/** Write all of `bytes` at the handle's end (opened to append). */
async function writeAll(handle: LogHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
}

function storeError(message: string, cause?: unknown): McpError {
  return new McpError(LocalErrorCode.Store, message, cause === undefined ? undefined : { cause });
}

/** Open (or make) the markers file `options.file`; rejects, naming it, when it cannot be used. */
export async function createFileMarkers(options: FileMarkersOptions): Promise<FileMarkers> {
  const { file } = options;
  const now = options.now ?? Date.now;
  const max = options.maxMarkers ?? FILE_MARKERS_DEFAULTS.maxMarkers;
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxMarkers must be a whole number of 1 or more, got ${String(max)}`);
  const report = (error: Error) => options.onError?.(error);
  /** `scope id` -> expiresAt, in the order claimed. */
  const live = new Map<string, number>();
  const fs = options.fs ?? nodeLogFs;
  let handle: LogHandle;
  let lines = 0;
  /** The file's length after its last whole line: a write that fails is cut back to it. */
  let size = 0;
  try {
    await makeDirs(dirname(file), 0o700);
    handle = await fs.open(file, 'a+', 0o600);
  } catch (error) {
    throw storeError(`cannot open the single-use markers ${file}: ${(error as Error).message}`, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('it is not a regular file');
    await handle.chmod(0o600);
    const bytes = new Uint8Array(info.size);
    for (let at = 0; at < bytes.length;) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    size = bytes.lastIndexOf(10) + 1;
    if (size < bytes.length) await handle.truncate(size); // torn by a crash: never granted
    const text = new TextDecoder().decode(bytes.subarray(0, size));
    let damaged = 0;
    const at = now();
    for (const raw of text.split('\n')) {
      // A file edited on another system ends its lines with CRLF: the line is whole all the
      // same, and skipping it would accept its state once more.
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      lines++;
      const m = LINE.exec(line);
      if (!m || crc32Hex(encoder.encode(`${m[1]} ${m[2]} ${m[3]}`)) !== m[4]) { damaged++; continue; }
      const expiresAt = Number(m[1]);
      if (expiresAt > at) live.set(`${m[2]} ${m[3]}`, expiresAt);
    }
    if (damaged > 0) report(storeError(`${file}: ${damaged} damaged line${damaged === 1 ? '' : 's'} skipped (their states, if any are still live, may be accepted once more)`));
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw storeError(`cannot read the single-use markers ${file}: ${(error as Error).message}`, error);
  }

  /** The line count at which dead lines are next looked for. */
  let checkAt = lines + LOOK_EVERY;
  let chain: Promise<void> = Promise.resolve();
  const later = (step: () => Promise<void>) => {
    const next = chain.then(step);
    chain = next.catch(() => undefined);
    return next;
  };

  function forgetExpired(at: number): void {
    for (const [key, expiresAt] of live) if (expiresAt <= at) live.delete(key);
  }

  /** Forget expired markers, then the oldest claimed, until there is room for one more. */
  function makeRoom(at: number): void {
    if (live.size < max) return;
    forgetExpired(at);
    for (const key of live.keys()) {
      if (live.size < max) break;
      live.delete(key);
    }
  }

  /** Rewrite the file with the live markers only (temporary file, fsync, rename). */
  async function compact(): Promise<void> {
    const temp = `${file}.tmp`;
    const text = [...live].map(([key, expiresAt]) => {
      const [scope, id] = key.split(' ') as [string, string];
      return lineOf(expiresAt, scope, id);
    }).join('');
    const out = await fs.open(temp, 'w', 0o600);
    try {
      await writeAll(out, encoder.encode(text));
      await out.sync();
    } finally {
      await out.close();
    }
    await fs.rename(temp, file).catch(async (error: unknown) => {
      await fs.unlink(temp).catch(() => undefined);
      throw error;
    });
    await handle.close();
    handle = await fs.open(file, 'a+', 0o600);
    lines = live.size;
    size = encoder.encode(text).byteLength;
  }

  return {
    async claim(scope, id, expiresAt) {
      if (!SCOPE.test(scope)) throw new McpError(LocalErrorCode.Validation, `a marker scope is 1-64 letters, digits, '_', '.', '-', got ${JSON.stringify(scope)}`);
      if (!ID.test(id)) throw new McpError(LocalErrorCode.Validation, `a marker id is 1-256 letters, digits, '_', '.', '~', '-'`);
      const at = now();
      if (!(expiresAt > at)) return false;
      const key = `${scope} ${id}`;
      const held = live.get(key);
      if (held !== undefined && held > at) return false;
      makeRoom(at);
      live.set(key, Math.floor(expiresAt)); // claimed before the write: a claim at once after loses
      await later(async () => {
        const line = encoder.encode(lineOf(Math.floor(expiresAt), scope, id));
        try {
          await writeAll(handle, line);
          await handle.datasync();
        } catch (error) {
          // Half a line would damage the next one appended after it.
          await handle.truncate(size).catch(() => undefined);
          throw error;
        }
        size += line.length;
        // Looked at every so many lines (a scan of the markers, not one per claim).
        if (++lines < checkAt) return;
        forgetExpired(now());
        if (lines > 2 * live.size + LOOK_EVERY) await compact();
        checkAt = lines + LOOK_EVERY;
      }).catch((error: unknown) => {
        report(storeError(`the single-use marker could not be written to ${file} (${(error as Error).message}): this process still refuses its state again, a restart would not`, error));
      });
      return true;
    },
    async close() {
      await chain;
      await handle.close().catch(() => undefined);
    },
  };
}
