/**
 * The legacy server's rare paths, loaded on their first use (issue #20 item 3: the server
 * entry's footprint): the resume of a stream from the store (a GET with `Last-Event-ID`,
 * server-replay.ts) and restart recovery (reading saved sessions back and re-running their
 * calls, server-recovery.ts), and the standalone stream a restored session, or one in a store
 * shared by instances, keeps going (server-task-repeats.ts). A server that never resumes or
 * restarts, on a store of its own, never loads them.
 */
import { loadOnce } from '../../protocol/load-once.ts';
import type { StandaloneKeeper, StandaloneKeeperOptions } from './server-task-repeats.ts';

/** server-replay.ts, loaded by the first resume. */
export const replay = loadOnce(() => import('./server-replay.ts'));

/** server-recovery.ts, loaded by the first restore, shared-store load, adoption or relay of another instance's answers. */
export const recovery = loadOnce(() => import('./server-recovery.ts'));

/** server-task-repeats.ts, loaded before the first session that keeps its standalone stream is made. */
export const repeats = loadOnce(() => import('./server-task-repeats.ts'));

/**
 * The keeper of a session's standalone stream (server-task-repeats.ts). Synchronous, as a
 * session is made in one step: whoever makes such a session (server.ts) loads {@link repeats} first.
 */
export function newKeeper(options: StandaloneKeeperOptions): StandaloneKeeper {
  const loaded = repeats.loaded;
  if (!loaded) throw new Error('server-task-repeats.ts must be loaded before a session that keeps its standalone stream is made');
  return new loaded.StandaloneKeeper(options);
}
