// In process: one instance of a scale-out deployment (Redis stores, a server with an `echo`
// tool, its HTTP handler answering JSON, host checks off), for tests that drive several
// instances on one Redis without the built CLI or a proxy.
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler } from '../../server/http.ts';
import type { Test } from 'uvu';
import type { Timers } from '../../protocol/correlation.ts';
import type { SessionEventStore } from '../../transport/event-store/index.ts';
import { createRedisStores, type RedisStoresOptions } from '../../transport/redis/stores.ts';

export interface EchoInstance {
  handler: ReturnType<typeof createMcpHttpHandler>;
  close(): Promise<void>;
}

/** What a test may change in an instance: `wrapStore` sees (and may delay) the handler's store calls. */
export interface EchoExtra {
  sessionIdleMs?: number;
  onError?: (e: Error) => void;
  timers?: Timers;
  responseMode?: 'json' | 'sse';
  wrapStore?: (store: SessionEventStore) => SessionEventStore;
  /** Registers more tools on the instance's server (beside `echo`). */
  tools?: (server: ReturnType<typeof createServer>) => void;
}

/** Start an instance on `url` with `stores` options; `onError` gets the handler's reports. */
export async function echoInstance(url: string, stores: RedisStoresOptions, { wrapStore, tools, ...extra }: EchoExtra = {}): Promise<EchoInstance> {
  const shared = await createRedisStores(url, stores);
  const server = createServer({ name: 'echo-instance', version: '1.0.0' });
  server.tool({ name: 'echo', description: 'Echo.' }, (args: { text?: string }) => args.text ?? '');
  tools?.(server);
  const handler = createMcpHttpHandler(server, { eventStore: wrapStore ? wrapStore(shared.eventStore) : shared.eventStore, recoverInflight: true, responseMode: 'json', disableHostChecks: true, ...extra });
  return {
    handler,
    async close() {
      await handler.close();
      await server.close();
      await shared.close();
    },
  };
}

/** A test's instances, closed after each test of `test`: push each one started. */
export function closedAfterEach(test: Test): EchoInstance[] {
  const open: EchoInstance[] = [];
  test.after.each(async () => {
    for (const x of open.splice(0)) await x.close();
  });
  return open;
}

const URL_BASE = 'http://127.0.0.1/mcp';
const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A 2025-11-25 session initialized on `first`; its requests go to the instance each names. */
export interface SharedSession {
  id: string;
  post(on: EchoInstance, body: unknown): Promise<Response>;
  del(on: EchoInstance): Promise<Response>;
  /** A GET resuming after `lastEventId`. */
  resume(on: EchoInstance, lastEventId: string): Promise<Response>;
}

/** Initialize a session on `first` (notifications/initialized is left to the test). */
export async function openShared(first: EchoInstance): Promise<SharedSession> {
  const init = await first.handler.handle(new Request(URL_BASE, { method: 'POST', headers: BASE, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) }));
  const id = init.headers.get('mcp-session-id')!;
  await init.text();
  const headers = { ...BASE, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  return {
    id,
    post: (on, body) => on.handler.handle(new Request(URL_BASE, { method: 'POST', headers, body: JSON.stringify(body) })),
    del: (on) => on.handler.handle(new Request(URL_BASE, { method: 'DELETE', headers })),
    resume: (on, lastEventId) => on.handler.handle(new Request(URL_BASE, { method: 'GET', headers: { ...headers, 'last-event-id': lastEventId } })),
  };
}
