import { suite } from 'uvu';
import { eventStoreContract } from '../event-store/contract.ts';
import { connectRedis, type RedisLink } from './connection.ts';
import { createRedisEventStore } from './event-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const link: RedisLink = await connectRedis(redis.url);
  let n = 0;
  const make = (maxEventsPerStream?: number) => createRedisEventStore(link, { prefix: `c${++n}:`, ...(maxEventsPerStream ? { maxEventsPerStream } : {}) });

  const contract = suite('the Redis store meets the EventStore contract');
  for (const c of eventStoreContract(() => make(), { makeBoundedStore: (max) => make(max) })) contract(c.name, c.run);
  contract.after(async () => {
    await link.close();
    await redis.stop();
  });
  contract.run();
}
