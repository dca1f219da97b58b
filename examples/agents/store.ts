/**
 * Durable records of the agents (bookings, reports): one JSON file per record under
 * `<state>/agents/<kind>/<id>.json`, each write atomic (temp file, fsync, rename, fsync of
 * the directory), so a kill -9 leaves either the old record or the new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirs } from 'mcpwire/transport';

/** The kinds of record the agents keep, each in its own directory. */
export const RECORD_KINDS = ['bookings', 'reports'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Record ids: a two-letter prefix and 20 hex digits (see identity.ts); nothing else reaches the disk. */
export const RECORD_ID = /^[a-z]{2}-[0-9a-f]{20}$/;

/** Durable JSON records by kind and id. */
export interface RecordStore {
  /** The directory holding the kinds' directories. */
  readonly dir: string;
  /** The record, or undefined when there is none (or the id is not a record id). */
  read<T>(kind: RecordKind, id: string): Promise<T | undefined>;
  /** Replace the record atomically; writes to one record are applied in call order. */
  write(kind: RecordKind, id: string, value: unknown): Promise<void>;
  /** Ids of the records of a kind, sorted. */
  list(kind: RecordKind): Promise<string[]>;
  /**
   * Claim `id` once and for all: the first claim of an id stores `value` and returns it with
   * `won: true`; every later claim (from this process or another sharing the directory)
   * returns the first value with `won: false`. Atomic across processes (a hard link to a
   * complete temp file, which fails when the claim exists), so two runs of one booking can
   * never both book.
   */
  claim<T>(kind: RecordKind, id: string, value: T): Promise<{ won: boolean; value: T }>;
  /** The value a claim stored, or undefined when `id` is unclaimed. */
  claimed<T>(kind: RecordKind, id: string): Promise<T | undefined>;
}

/** Open (creating) the store under `dir`. */
export async function createRecordStore(dir: string): Promise<RecordStore> {
  for (const kind of RECORD_KINDS) {
    // Not mkdir's own `recursive`: Node 20's walk never ends when a folder exists but cannot
    // hold one (`--records /proc/self`); makeDirs fails with mkdir's error instead.
    await makeDirs(join(dir, kind), 0o777).catch((error: Error) => {
      throw new Error(`the records folder ${dir} cannot hold the agents' records: ${error.message}`, { cause: error });
    });
  }
  const queues = new Map<string, Promise<void>>();
  const fileOf = (kind: RecordKind, id: string) => {
    if (!RECORD_ID.test(id)) throw new Error(`not a record id: ${JSON.stringify(id)}`);
    return join(dir, kind, `${id}.json`);
  };

  return {
    dir,
    async read<T>(kind: RecordKind, id: string): Promise<T | undefined> {
      if (!RECORD_ID.test(id)) return undefined;
      const file = fileOf(kind, id);
      await queues.get(file); // read after the writes already asked for
      try {
        return JSON.parse(await readFile(file, 'utf8')) as T;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read ${kind} record ${id}: ${(error as Error).message}`, { cause: error });
      }
    },
    write(kind, id, value) {
      const file = fileOf(kind, id);
      const text = `${JSON.stringify(value, null, 2)}\n`;
      // The queue holds a promise that never rejects; the caller gets the write's own outcome.
      const run = (queues.get(file) ?? Promise.resolve()).then(() => writeAtomic(file, text));
      const settled = run.then(() => {}, () => {});
      queues.set(file, settled);
      void settled.then(() => { if (queues.get(file) === settled) queues.delete(file); });
      return run;
    },
    async claim<T>(kind: RecordKind, id: string, value: T) {
      const file = `${fileOf(kind, id).slice(0, -5)}.claim`;
      if (await createOnce(file, `${JSON.stringify(value, null, 2)}\n`)) return { won: true, value };
      return { won: false, value: JSON.parse(await readFile(file, 'utf8')) as T };
    },
    async claimed<T>(kind: RecordKind, id: string) {
      if (!RECORD_ID.test(id)) return undefined;
      try {
        return JSON.parse(await readFile(`${fileOf(kind, id).slice(0, -5)}.claim`, 'utf8')) as T;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read the claim of ${kind} record ${id}: ${(error as Error).message}`, { cause: error });
      }
    },
    async list(kind) {
      const names = await readdir(join(dir, kind));
      return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((id) => RECORD_ID.test(id)).sort();
    },
  };
}

/** A private temp name beside `file`. */
function tempNameFor(file: string): string {
  return `${file}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Write `text` to a new private file and flush it to disk before it is linked or renamed into place. */
async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Create `file` with `text` unless it exists: a complete temp file is hard-linked into place
 * (link fails with EEXIST when the name is taken), so a reader never sees half a claim.
 */
async function createOnce(file: string, text: string): Promise<boolean> {
  const temp = tempNameFor(file);
  await writeSynced(temp, text);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(join(file, '..'));
  return true;
}

/** Write `text` to `file` so that a crash leaves the old or the new content. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = tempNameFor(file);
  try {
    await writeSynced(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(join(file, '..'));
}

/** Make the rename itself durable. Windows cannot open a directory for syncing, and needs no such step. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
