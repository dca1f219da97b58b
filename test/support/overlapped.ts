/**
 * Runs a test file's slow, mostly waiting jobs (a whole `mcpwire check` of one fault server:
 * its exchange bounds, its cancel and listen windows) a few at a time from the start, so they
 * overlap; each test then awaits its own result, still in the suite's order. Asserting stays
 * in the tests: only the waiting is shared.
 */

/**
 * Starts `run(key)` for every key, at most `concurrency` at once, in the keys' order; returns
 * the getter a test awaits. A key not given here runs on demand. A failed run rejects only
 * its own getter (never an unhandled rejection while no test awaits it yet).
 */
export function overlapped<K, V>(keys: Iterable<K>, run: (key: K) => Promise<V>, concurrency = 2): (key: K) => Promise<V> {
  const queue = [...keys];
  const results = new Map<K, { promise: Promise<V>; resolve: (v: V) => void; reject: (e: unknown) => void }>();
  for (const key of queue) {
    let resolve!: (v: V) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<V>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => {}); // the test that awaits it sees the rejection
    results.set(key, { promise, resolve, reject });
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const key = queue[next++]!;
      const slot = results.get(key)!;
      await run(key).then(slot.resolve, slot.reject);
    }
  };
  for (let i = 0; i < Math.min(concurrency, queue.length); i++) void worker();
  return (key) => results.get(key)?.promise ?? run(key);
}
