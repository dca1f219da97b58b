// Issue #18: a change made on instance B reaches a client connected to instance A: the
// servers' event buses are one Redis pub/sub channel (2025-11-25 server/resources:
// subscriptions; server/tools: list_changed). Two servers in one process, two connections.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer, type ServerEvent } from 'mcpwire/server';
import { connectRedis } from '../../transport/redis/connection.ts';
import { createRedisEventBus } from '../../transport/redis/event-bus.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { connectClient } from '../memory-client.ts';
import { createModernDispatcher } from '../../server/modern/dispatcher.ts';
import { envelope } from '../modern-kit.ts';

const redis = await startTestRedis();
if (redis) {
  const links = [await connectRedis(redis.url), await connectRedis(redis.url)];
  const buses = await Promise.all(links.map((link) => createRedisEventBus<ServerEvent>(link, { prefix: 'bus-across:' })));
  const instance = (i: number): McpServer => {
    const server = createServer({ name: `instance-${i}`, version: '1.0.0' }, { eventBus: buses[i]! });
    server.resource({ uri: 'mem://watched', name: 'watched' }, () => 'w');
    return server;
  };
  const [a, b] = [instance(0), instance(1)];
  const test = suite('scale-out: the event bus across instances');

  test('a resource changed on B reaches the subscriber connected to A; a new tool on B is a list change on A', async () => {
    const onA = await connectClient(a);
    assert.equal(await onA.client.peer.request('resources/subscribe', { uri: 'mem://watched' }), {});
    const updated = onA.next('notifications/resources/updated');
    await b.resourceUpdated('mem://watched');
    assert.equal((await updated).params, { uri: 'mem://watched' });
    const changed = onA.next('notifications/tools/list_changed');
    b.tool({ name: 'late', description: 'Registered after the client connected.' }, () => 'late');
    await changed;
  });

  test('a 2026-07-28 subscriptions/listen on A hears a resource change and a new tool made on B', async () => {
    const dispatcher = createModernDispatcher(a);
    const heard: Array<{ method: string; params?: Record<string, unknown> }> = [];
    const waiters: Array<() => void> = [];
    const next = (method: string) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within 5 s`)), 5000);
      const check = () => { if (heard.some((n) => n.method === method)) { clearTimeout(timer); resolve(); return true; } return false; };
      if (!check()) waiters.push(() => { check(); });
    });
    const cancel = new AbortController();
    const answer = dispatcher.handle({
      jsonrpc: '2.0', id: 'listen-a', method: 'subscriptions/listen',
      params: { notifications: { toolsListChanged: true, resourceSubscriptions: ['mem://watched'] }, _meta: envelope() },
    }, { notify: (n) => { heard.push(n as never); for (const w of waiters) w(); }, signal: cancel.signal });
    await next('notifications/subscriptions/acknowledged');
    await b.resourceUpdated('mem://watched');
    await next('notifications/resources/updated');
    b.tool({ name: 'later', description: 'Registered on B while A listens.' }, () => 'later');
    await next('notifications/tools/list_changed');
    assert.equal(heard.find((n) => n.method === 'notifications/resources/updated')!.params?.uri, 'mem://watched');
    cancel.abort();
    await answer;
  });

  test.after(async () => {
    await Promise.all([a.close(), b.close()]);
    for (const bus of buses) await bus.close();
    for (const link of links) await link.close();
    await redis.stop();
  });
  test.run();
}
