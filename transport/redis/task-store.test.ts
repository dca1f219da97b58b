import { suite } from 'uvu';
import { taskStoreContract } from '../task-store/contract.ts';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const link = await connectRedis(redis.url);
  let n = 0;
  const contract = suite('the Redis task store meets the TaskStore contract');
  for (const c of taskStoreContract((limits) => createRedisTaskStore(link, { ...limits, prefix: `t${++n}:` }))) contract(c.name, c.run);
  contract.after(async () => {
    await link.close();
    await redis.stop();
  });
  contract.run();
}
