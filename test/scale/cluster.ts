// Redis, N `mcpwire serve --http --redis` instances (the built CLI: run `npm run build`
// first) and the round-robin proxy in front of them, started together and stopped together.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestRedis, type TestRedis } from '../../transport/redis/test-server.ts';
import { killed, startServe, stopped, type ServeProcess } from '../serve-process.ts';
import { initializes } from './mcp-http.ts';
import { startProxy, type RoundRobinProxy } from './proxy.ts';

export interface Cluster {
  redis: TestRedis;
  instances: ServeProcess[];
  proxy: RoundRobinProxy;
  /**
   * Resolves once every instance answers an initialize: after a Redis outage each reconnects
   * on its own backoff (up to 1 s, later on a loaded machine), so one serving says nothing of
   * the other. Nothing outside the process signals the reconnect: probed every 100 ms until
   * as many in a row as there are instances succeed (the proxy takes them in turn), up to 30 s;
   * a probe that fails (its connection cut) breaks the row.
   */
  allServe(): Promise<void>;
  stop(): Promise<void>;
}

/** Why the scale tests cannot run here, or undefined. */
export function missingBuild(): string | undefined {
  return existsSync(fileURLToPath(new URL('../../dist/bin/cli.js', import.meta.url))) ? undefined : 'the CLI is not built (npm run build)';
}

/** Start Redis, `n` instances with `args`, and the proxy; undefined (reason printed) when Redis is absent. */
export async function startCluster(n: number, args: readonly string[] = []): Promise<Cluster | undefined> {
  const missing = missingBuild();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return undefined;
  }
  const redis = await startTestRedis();
  if (!redis) return undefined;
  const instances: ServeProcess[] = [];
  const proxy = await startProxy();
  try {
    for (let i = 0; i < n; i++) {
      instances.push(await startServe(['--redis', redis.url, '--redis-lease-ms', '600', '--allowed-hosts', proxy.allowedHosts, ...args])
        .catch((error: Error) => { throw new Error(`instance ${i + 1} of ${n} did not start (Redis at ${redis.url}): ${error.message}`, { cause: error }); }));
    }
  } catch (error) {
    await Promise.all(instances.map((s) => killed(s.child)));
    await proxy.close();
    await redis.stop();
    throw error;
  }
  proxy.setBackends(instances.map((s) => Number(new URL(s.url).port)));
  return {
    redis, instances, proxy,
    async allServe() {
      const deadline = Date.now() + 30_000;
      for (let inRow = 0; inRow < instances.length;) {
        if (Date.now() > deadline) throw new Error(`the ${instances.length} instances did not all serve again within 30 s`);
        // A probe whose connection is cut (an instance still reconnecting) counts as not serving.
        inRow = (await initializes(proxy.url).catch(() => false)) ? inRow + 1 : 0;
        if (inRow === 0) await new Promise<void>((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await proxy.close();
      await Promise.all(instances.map((s) => stopped(s.child, 'SIGTERM')));
      await redis.stop();
    },
  };
}
