// `serve --redis` took Redis's command timeout from the library's default only (5 s): an
// operator whose Redis is slow (far away, or pausing for its own saves) could neither give it
// longer nor fail sooner, though `createRedisStores` has `commandTimeoutMs`. Now
// `--redis-timeout-ms N` sets it: with Redis frozen (SIGSTOP, its sockets open, nothing
// answers), a request fails with 507 naming Redis and the bound within about N ms, not 5 s.
// The built CLI (npm run build) and a real redis-server on a free loopback port.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestRedis } from '../transport/redis/test-server.ts';
import { killed, startServe } from './serve-process.ts';
import { ACCEPT_BOTH } from './http-fixture.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const TIMEOUT_MS = 300;
/** Far below the 5 s default and far above TIMEOUT_MS, for a loaded machine. */
const BOUND_MS = 3_500;

const redis = await startTestRedis();
if (redis) {
  const test = suite('serve --redis-timeout-ms: the Redis command timeout from the command line');

  test('Redis frozen: a request fails with 507 naming Redis and the bound, well within the default 5 s', async () => {
    const server = await startServe(['--redis', redis.url, '--redis-timeout-ms', String(TIMEOUT_MS)]);
    try {
      const post = (body: unknown, headers: Record<string, string> = {}) => fetch(server.url, {
        method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(20_000),
        headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers },
      });
      const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      assert.is(init.status, 200);
      const id = init.headers.get('mcp-session-id')!;
      await init.text();
      redis.signal('SIGSTOP');
      try {
        const since = Date.now();
        const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
        const took = Date.now() - since;
        const text = await res.text();
        assert.is(res.status, 507, text);
        assert.match(text, /Redis/);
        assert.match(text, new RegExp(`${TIMEOUT_MS} ?ms`));
        assert.ok(took < BOUND_MS, `failed after ${took} ms`);
      } finally {
        redis.signal('SIGCONT');
      }
    } finally {
      await killed(server.child);
    }
  });

  test('bad values and the flag without --redis are usage errors naming it', () => {
    for (const args of [['--redis', redis.url, '--redis-timeout-ms', '0'], ['--redis', redis.url, '--redis-timeout-ms', 'soon'], ['--redis-timeout-ms', '100']]) {
      const run = spawnSync(process.execPath, [bin, 'serve', '--http', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
      assert.is(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /--redis-timeout-ms/);
    }
  });

  test('an empty --redis-prefix is a usage error saying why, before connecting', () => {
    const run = spawnSync(process.execPath, [bin, 'serve', '--http', '--port', '0', '--redis', redis.url, '--redis-prefix', ''], { encoding: 'utf8', timeout: 30_000 });
    assert.is(run.status, 2, run.stderr);
    assert.match(run.stderr, /--redis-prefix must not be empty: keys without a prefix may clash/);
  });

  test.after(() => redis.stop());
  test.run();
}
