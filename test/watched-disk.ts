/**
 * A resume store for tests that need to know what a kill -9 would leave: writes land
 * WRITE_MS after they start, as fsynced ones do (the file store's take 10-25 ms), and
 * `onDisk()` returns only what has landed.
 */
import { createMemoryResumeStore, type ResumeRecord, type ResumeStore } from 'mcpwire/client';

/** How long a write takes to land. */
export const WRITE_MS = 20;

/** A memory store that tells what has landed: a set or delete counts once it completed, WRITE_MS after. */
export function watchedDisk(): ResumeStore & { onDisk(): Array<[string, ResumeRecord]> } {
  const inner = createMemoryResumeStore();
  const landed = new Map<string, ResumeRecord>();
  return {
    get: (key) => inner.get(key),
    async set(key, record) {
      await new Promise<void>((resolve) => setTimeout(resolve, WRITE_MS));
      await inner.set(key, record);
      landed.set(key, structuredClone(record));
    },
    async delete(key) {
      await new Promise<void>((resolve) => setTimeout(resolve, WRITE_MS));
      landed.delete(key);
      return inner.delete(key);
    },
    update: (key, fn) => inner.update(key, fn),
    list: () => inner.list(),
    onDisk: () => [...landed].map(([k, r]) => [k, structuredClone(r)] as [string, ResumeRecord]),
  };
}
