/**
 * The file stores' file system (log-fs.ts) with a disk that fills on demand: while
 * `state.full`, every write fails with ENOSPC, after `onRefused` has seen its bytes.
 */
import { nodeLogFs, type LogFs } from '../../transport/event-store/log-fs.ts';

/** The error a write to a full disk fails with. */
export function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** The node file system, full while `state.full` (see the module comment). */
export function fullDiskFs(state: { full: boolean }, onRefused?: (bytes: Uint8Array) => void): LogFs {
  return {
    ...nodeLogFs,
    async open(path, flags, mode) {
      const real = await nodeLogFs.open(path, flags, mode);
      return {
        read: (b, o, l, p) => real.read(b, o, l, p),
        write: (b, o, l) => {
          if (!state.full) return real.write(b, o, l);
          onRefused?.(b);
          return Promise.reject(enospc());
        },
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
