// A Redis user whose ACL forbids the Lua scripts every store writes through (SCRIPT LOAD,
// EVALSHA): createRedisStores resolved, `mcpwire serve --redis` listened, and then every
// request was refused (507 "Redis SCRIPT failed: NOPERM ..."). Now the stores refuse to open,
// naming the commands. A user that may run them opens as before.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis stores: a user whose ACL forbids scripts');

  test.before(async () => {
    const admin = await connectRedis(redis.url);
    try {
      await admin.send(['ACL', 'SETUSER', 'noscripts', 'on', '>pw', '~*', '&*', '+@all', '-script', '-evalsha', '-eval']);
      await admin.send(['ACL', 'SETUSER', 'scripts', 'on', '>pw', '~*', '&*', '+@all']);
    } finally {
      await admin.close();
    }
  });
  test.after(() => redis.stop());

  const as = (user: string) => redis.url.replace('redis://', `redis://${user}:pw@`);

  test('refused at open with MCP_ERR_STORE naming the scripts', async () => {
    const error = await createRedisStores(as('noscripts'), { evictionCheckMs: 0 }).then(async (stores) => {
      await stores.close();
      return undefined;
    }, (e: unknown) => e as Error & { code?: string });
    assert.ok(error, 'the stores opened for a user that may not run their scripts');
    assert.is(error.code, 'MCP_ERR_STORE');
    assert.match(error.message, /^this Redis user may not run the stores' Lua scripts \(SCRIPT LOAD, EVALSHA\): Redis SCRIPT failed: NOPERM/);
  });

  test('a user that may run them opens the stores', async () => {
    const stores = await createRedisStores(as('scripts'), { evictionCheckMs: 0 });
    await stores.close();
  });

  test.run();
}
