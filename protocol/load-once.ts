/**
 * A module loaded with `import()` on first use, once per process (issue #20 item 3: code an
 * embedder does not use is never loaded, and a bundler that splits code puts it in a chunk of
 * its own). The `import()` stays at the call site, `loadOnce(() => import('./x.ts'))`, so a
 * bundler sees its specifier.
 */

/** One lazily loaded module. */
export interface LoadOnce<T> {
  /** The module once its load finished: hot paths take it without a promise. */
  loaded: T | undefined;
  /** Load it (once; callers during the load share it); a failed load is forgotten, so the next call tries again. */
  load(): Promise<T>;
}

/** A {@link LoadOnce} over `importer` (its result mapped by `pick`, e.g. a CommonJS export). */
export function loadOnce<M, T = M>(importer: () => Promise<M>, pick: (module: M) => T = (module) => module as unknown as T): LoadOnce<T> {
  let loading: Promise<T> | undefined;
  const lazy: LoadOnce<T> = {
    loaded: undefined,
    load() {
      loading ??= importer().then(
        (module) => (lazy.loaded = pick(module)),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
  };
  return lazy;
}
