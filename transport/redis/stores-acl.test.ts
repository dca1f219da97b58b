// A Redis user whose ACL forbids the Lua scripts every store writes through (SCRIPT LOAD,
// EVALSHA): createRedisStores resolved, `mcpwire serve --redis` listened, and then every
// request was refused (507 "Redis SCRIPT failed: NOPERM ..."). Now the stores refuse to open,
// naming the commands. A user that may run them opens as before. A user without the
// stores' channels (Redis 7's default for a new user) was refused with Redis's words alone,
// naming no channel, and the subscriber connection the refused SUBSCRIBE left open kept the
// process alive (this file hung): now the refusal names the keys and channels and an ACL that
// works, and every part made before it is closed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

/** Why the stores refused to open, or undefined when they opened (then closed). */
function openError(url: string, options: Parameters<typeof createRedisStores>[1]): Promise<(Error & { code?: string }) | undefined> {
  return createRedisStores(url, options).then(async (stores) => {
    await stores.close();
    return undefined;
  }, (e: unknown) => e as Error & { code?: string });
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis stores: a user whose ACL forbids scripts');

  test.before(async () => {
    const admin = await connectRedis(redis.url);
    try {
      await admin.send(['ACL', 'SETUSER', 'noscripts', 'on', '>pw', '~*', '&*', '+@all', '-script', '-evalsha', '-eval']);
      await admin.send(['ACL', 'SETUSER', 'scripts', 'on', '>pw', '~*', '&*', '+@all']);
      // Redis 7's default for a new user: no channel at all (acl-pubsub-default resetchannels).
      await admin.send(['ACL', 'SETUSER', 'nochannels', 'on', '>pw', 'resetchannels', '~app:*', '+@all']);
      // May subscribe to the channels but not publish on them.
      await admin.send(['ACL', 'SETUSER', 'nopublish', 'on', '>pw', '~*', '&*', '+@all', '-publish']);
      // What the refusal advises, for the prefix app:.
      await admin.send(['ACL', 'SETUSER', 'advised', 'on', '>pw', 'resetchannels', '~app:*', '&app:*', '+@all', '-@dangerous', '+info']);
    } finally {
      await admin.close();
    }
  });
  test.after(() => redis.stop());

  const as = (user: string) => redis.url.replace('redis://', `redis://${user}:pw@`);

  test('refused at open with MCP_ERR_STORE naming the scripts', async () => {
    const error = await openError(as('noscripts'), { evictionCheckMs: 0 });
    assert.ok(error, 'the stores opened for a user that may not run their scripts');
    assert.is(error.code, 'MCP_ERR_STORE');
    assert.match(error.message, /^this Redis user may not run the stores' Lua scripts \(SCRIPT LOAD, EVALSHA\): Redis SCRIPT failed: NOPERM/);
  });

  test('a user without the channels: refused naming the keys and channels the stores use (Redis names neither)', async () => {
    const error = await openError(as('nochannels'), { prefix: 'app:', evictionCheckMs: 0 });
    assert.ok(error, 'the stores opened for a user that may not subscribe to their channels');
    assert.is(error.code, 'MCP_ERR_STORE');
    assert.match(error.message, /^Redis SUBSCRIBE failed: NOPERM .*channels.*: this Redis user may not use what the stores need; they use the keys app:\* and the channels app:bus and app:relay/);
    assert.match(error.message, /ACL SETUSER <user> ~app:\* &app:\* \+@all -@dangerous \+info\)$/);
  });

  test('a user that may subscribe but not publish: refused at open the same way, nothing published', async () => {
    // Another instance's ears on both channels.
    const admin = await connectRedis(redis.url);
    const ears = await admin.duplicate();
    const heard: string[] = [];
    const stops = [await ears.subscribe('app:bus', (m) => void heard.push(m)), await ears.subscribe('app:relay', (m) => void heard.push(m))];
    try {
      const error = await openError(as('nopublish'), { prefix: 'app:', evictionCheckMs: 0 });
      assert.ok(error, 'the stores opened for a user that may not publish on their channels');
      assert.is(error.code, 'MCP_ERR_STORE');
      assert.match(error.message, /^Redis PUBLISH failed: NOPERM .*'publish'.*: this Redis user may not use what the stores need; they use the keys app:\* and the channels app:bus and app:relay/);
      // A user that may publish: the check itself sends nothing the other instances hear.
      const stores = await createRedisStores(as('scripts'), { prefix: 'app:', evictionCheckMs: 0 });
      await stores.close();
      await admin.send(['PUBLISH', 'app:relay', 'after']);
      for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise<void>((resolve) => setTimeout(resolve, 10));
      assert.equal(heard, ['after'], 'nothing heard before the message published after both opens');
    } finally {
      for (const stop of stops) await stop();
      await ears.close();
      await admin.close();
    }
  });

  test('a user set up as that refusal advises opens the stores', async () => {
    const stores = await createRedisStores(as('advised'), { prefix: 'app:', evictionCheckMs: 0 });
    await stores.close();
  });

  test('a user that may run them opens the stores', async () => {
    const stores = await createRedisStores(as('scripts'), { evictionCheckMs: 0 });
    await stores.close();
  });

  test.run();
}
