/**
 * mcpwire/redis: the stores and seams several server instances share on one Redis (issue
 * #18): stream history on Redis Streams with a live tail, session state loaded by id with
 * leases, tasks, the event bus on pub/sub, single-use markers.
 */
export { createRedisStores } from './stores.ts';
export type { RedisStores, RedisStoresOptions, RedisSessionEventStore } from './stores.ts';
export { connectRedis, redisScript } from './connection.ts';
export type { RedisLink, RedisLinkOptions, RedisScript } from './connection.ts';
export { createRedisEventStore } from './event-store.ts';
export type { RedisEventStore, RedisEventStoreOptions } from './event-store.ts';
export { createRedisSessionStore } from './session-store.ts';
export type { RedisSessionStore, RedisSessionStoreOptions } from './session-store.ts';
export { createRedisTaskStore, openRedisTaskStore } from './task-store.ts';
export type { RedisTaskStoreOptions } from './task-store.ts';
export { createRedisEventBus } from './event-bus.ts';
export type { RedisEventBus, RedisEventBusOptions } from './event-bus.ts';
export { createRedisMarkers } from './markers.ts';
export type { SingleUseMarkers, RedisMarkersOptions } from './markers.ts';
export { DEFAULT_REDIS_PREFIX, redisKeys } from './keys.ts';
export type { RedisKeys } from './keys.ts';
