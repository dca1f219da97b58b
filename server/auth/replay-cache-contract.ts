/**
 * The behavioural contract of a {@link ReplayCache} (the DPoP `jti` cache), as plain async
 * cases that throw on failure (no `node:` import: the server core runs on any runtime), so
 * any test framework can run them and a shared
 * implementation (e.g. Redis `SET key 1 NX PX ttl`) proves it behaves as the memory one:
 *
 * ```ts
 * for (const c of replayCacheContract(() => createMyCache())) test(c.name, c.run);
 * ```
 */
import type { ReplayCache } from './replay-cache.ts';

/** Throw when `actual` is not `expected`. */
function expect(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** One contract case. */
export interface ReplayCacheContractCase {
  name: string;
  run: () => Promise<void>;
}

/** The cases every {@link ReplayCache} passes; `makeCache` makes an empty one per case. */
export function replayCacheContract(makeCache: () => Promise<ReplayCache> | ReplayCache): ReplayCacheContractCase[] {
  const unique = () => `contract:${Date.now()}:${Math.random().toString(36).slice(2)}`;
  return [
    {
      name: 'a new key is accepted once, then refused while remembered',
      async run() {
        const cache = await makeCache();
        const key = unique();
        expect(await cache.add(key, 60_000), true, 'first add');
        expect(await cache.add(key, 60_000), false, 'second add');
      },
    },
    {
      name: 'keys are independent',
      async run() {
        const cache = await makeCache();
        expect(await cache.add(unique(), 60_000), true, 'one key');
        expect(await cache.add(unique(), 60_000), true, 'another key');
      },
    },
    {
      name: 'concurrent adds of one key: exactly one wins',
      async run() {
        const cache = await makeCache();
        const key = unique();
        const results = await Promise.all(Array.from({ length: 8 }, () => cache.add(key, 60_000)));
        expect(results.filter(Boolean).length, 1, 'winners');
      },
    },
    {
      name: 'a key is accepted again once its time has passed',
      async run() {
        const cache = await makeCache();
        const key = unique();
        expect(await cache.add(key, 20), true, 'first add');
        const deadline = Date.now() + 2_000;
        let again = false;
        while (!again && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          again = await cache.add(key, 20);
        }
        expect(again, true, 'accepted again within 2 s of a 20 ms TTL');
      },
    },
  ];
}
