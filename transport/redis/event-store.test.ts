import { suite } from 'uvu';
import { eventStoreContract } from '../event-store/contract.ts';
import { connectRedis, type RedisLink } from './connection.ts';
import { createRedisEventStore } from './event-store.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const link: RedisLink = await connectRedis(redis.url);
  let n = 0;
  const make = (maxEventsPerStream?: number) => createRedisEventStore(link, { prefix: `c${++n}:`, ...(maxEventsPerStream ? { maxEventsPerStream } : {}) });

  const contract = suite('the Redis store meets the EventStore contract');
  for (const c of eventStoreContract(() => make(), { makeBoundedStore: (max) => make(max) })) contract(c.name, c.run);
  contract.run();

  // The store the HTTP server gets from createRedisStores: history and session metadata together.
  const combined = suite('createRedisStores().eventStore meets the EventStore contract, session metadata included');
  const opened: Array<{ close(): Promise<void> }> = [];
  const makeCombined = async () => {
    const stores = await createRedisStores(redis.url, { prefix: `k${++n}:` });
    opened.push(stores);
    return stores.eventStore;
  };
  for (const c of eventStoreContract(makeCombined)) combined(c.name, c.run);
  combined.after(async () => {
    for (const stores of opened) await stores.close();
    await link.close();
    await redis.stop();
  });
  combined.run();
}
