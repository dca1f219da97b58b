/**
 * A killed process's missing session saves, for restart tests: two handlers on one store
 * directory stand for the process before and after a kill -9, and the saves the first made
 * while `held.on` never land, as a killed process's would not.
 */
import type { SessionEventStore } from 'mcpwire/transport';

/** Session saves: those made while `on` never reach the store (the process died first); `tracked` settles once a save names a call in flight. */
export interface Saves { on: boolean; count: number; tracked: Promise<void>; sawCall(): void }

export function saves(): Saves {
  let sawCall!: () => void;
  const tracked = new Promise<void>((r) => { sawCall = r; });
  return { on: false, count: 0, tracked, sawCall };
}

/** `store`, with the session saves made while `held.on` held back (see {@link Saves}). */
export function holdingSaves(store: SessionEventStore, held: Saves): SessionEventStore {
  return new Proxy(store, {
    get(target, name) {
      if (name === 'saveSession') {
        return async (sessionId: string, meta: Record<string, unknown>) => {
          if (!held.on) {
            await target.saveSession(sessionId, meta);
            if (Array.isArray(meta.inflight) && meta.inflight.length > 0) held.sawCall();
            return;
          }
          held.count++;
          return new Promise<void>(() => { /* never lands */ });
        };
      }
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
