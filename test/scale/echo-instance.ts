// In process: one instance of a scale-out deployment (Redis stores, a server with an `echo`
// tool, its HTTP handler answering JSON, host checks off), for tests that drive several
// instances on one Redis without the built CLI or a proxy.
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler } from '../../server/http.ts';
import { createRedisStores, type RedisStoresOptions } from '../../transport/redis/stores.ts';

export interface EchoInstance {
  handler: ReturnType<typeof createMcpHttpHandler>;
  close(): Promise<void>;
}

/** Start an instance on `url` with `stores` options; `onError` gets the handler's reports. */
export async function echoInstance(url: string, stores: RedisStoresOptions, extra: { sessionIdleMs?: number; onError?: (e: Error) => void } = {}): Promise<EchoInstance> {
  const shared = await createRedisStores(url, stores);
  const server = createServer({ name: 'echo-instance', version: '1.0.0' });
  server.tool({ name: 'echo', description: 'Echo.' }, (args: { text?: string }) => args.text ?? '');
  const handler = createMcpHttpHandler(server, { eventStore: shared.eventStore, recoverInflight: true, responseMode: 'json', disableHostChecks: true, ...extra });
  return {
    handler,
    async close() {
      await handler.close();
      await server.close();
      await shared.close();
    },
  };
}
