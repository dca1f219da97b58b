/**
 * `jose` behind `import()`: a server loads it when it first checks a JWT or a DPoP proof, not
 * when `mcpwire/server` is imported (issue #20 item 5: 46 modules, ~120 KB of source that
 * every server, most of them without auth, compiled and kept while starting).
 */

/** The `jose` module. */
export type Jose = typeof import('jose');

let loading: Promise<Jose> | undefined;

/** `jose`, loaded once; a failed load is tried again by the next call. */
export function loadJose(): Promise<Jose> {
  loading ??= import('jose').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
