/**
 * The file stores' file system (log-fs.ts) with a disk that fills on demand: while
 * `state.full`, every write fails with ENOSPC, after `onRefused` has seen its bytes; or, as a
 * tight disk, takes only as many bytes as deleted files gave back.
 */
import { stat } from 'node:fs/promises';
import { nodeLogFs, type LogFs } from '../../transport/event-store/log-fs.ts';

/** The error a write to a full disk fails with. */
export function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

type Write = (bytes: Uint8Array, offset: number, length: number, real: (b: Uint8Array, o: number, l: number) => Promise<{ bytesWritten: number }>) => Promise<{ bytesWritten: number }>;

/** The node file system, its files' writes going through `write`. */
function withWrites(write: Write, base: LogFs = nodeLogFs): LogFs {
  return {
    ...base,
    async open(path, flags, mode) {
      const real = await nodeLogFs.open(path, flags, mode);
      const realWrite = (b: Uint8Array, o: number, l: number) => real.write(b, o, l);
      return {
        read: (b, o, l, p) => real.read(b, o, l, p),
        write: (b, o, l) => write(b, o, l, realWrite),
        truncate: (n) => real.truncate(n),
        datasync: () => real.datasync(),
        sync: () => real.sync(),
        stat: () => real.stat(),
        chmod: (m) => real.chmod(m),
        close: () => real.close(),
      };
    },
  };
}

/** The node file system, full while `state.full` (see the module comment). */
export function fullDiskFs(state: { full: boolean }, onRefused?: (bytes: Uint8Array) => void): LogFs {
  return withWrites((b, o, l, real) => {
    if (!state.full) return real(b, o, l);
    onRefused?.(b);
    return Promise.reject(enospc());
  });
}

/** A disk that, once `disk.full`, takes only as many bytes as deleted files gave back (`disk.free`). */
export function tightDiskFs(disk: { full: boolean; free: number }): LogFs {
  const unlinking: LogFs = {
    ...nodeLogFs,
    async unlink(path) {
      const size = (await stat(path)).size;
      await nodeLogFs.unlink(path);
      if (disk.full) disk.free += size;
    },
  };
  return withWrites((b, o, l, real) => {
    if (disk.full) {
      if (l > disk.free) return Promise.reject(enospc());
      disk.free -= l;
    }
    return real(b, o, l);
  }, unlinking);
}
