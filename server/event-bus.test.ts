// The server event bus: features publish what changed and each 2025 connection tells its
// client; a bus given in the options (a shared one) is subscribed to by each connection.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, type ClientSide, type Peer } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import type { ServerConnection } from './connection-types.ts';
import { createMemoryEventBus, type ServerEvent, type ServerEventBus, type ServerEventListener } from './event-bus.ts';
import { deliverToAll, type LegacyDelivery } from './legacy-events.ts';
import { createServer, type McpServer } from './server.ts';

const memory = suite('event bus: the in-process implementation');

memory('publish reaches every subscriber and counts those that delivered; unsubscribing stops it', async () => {
  const bus = createMemoryEventBus();
  const heard: string[] = [];
  const off = bus.subscribe((e) => { heard.push(`a ${e.type}`); return true; });
  bus.subscribe((e) => { heard.push(`b ${e.type}`); return Promise.resolve(false); });
  assert.is(await bus.publish({ type: 'resource_updated', uri: 'file:///x' }), 1);
  off();
  assert.is(await bus.publish({ type: 'list_changed', list: 'tools' }), 0);
  assert.equal(heard, ['a resource_updated', 'b resource_updated', 'b list_changed']);
});

memory('a listener that throws or rejects is reported and counts as not delivered; the others still hear', async () => {
  const errors: string[] = [];
  const bus = createMemoryEventBus({ onError: (e) => errors.push(e.message) });
  bus.subscribe(() => { throw new Error('sync'); });
  bus.subscribe(() => Promise.reject(new Error('async')));
  bus.subscribe(() => true);
  assert.is(await bus.publish({ type: 'list_changed', list: 'prompts' }), 1);
  assert.equal(errors, ['sync', 'async']);
});

memory('a listener subscribed while an event goes out hears the next one, not that one', async () => {
  const bus = createMemoryEventBus();
  const late: ServerEvent[] = [];
  bus.subscribe(() => {
    bus.subscribe((e) => { late.push(e); return true; });
    return true;
  });
  assert.is(await bus.publish({ type: 'list_changed', list: 'tools' }), 1);
  assert.is(late.length, 0);
  await bus.publish({ type: 'list_changed', list: 'resources' });
  assert.equal(late, [{ type: 'list_changed', list: 'resources' }]);
});

/** A bus that records what is published and who listens, standing in for a shared one. */
function recordingBus(): ServerEventBus & { published: ServerEvent[]; listeners: Set<ServerEventListener> } {
  const inner = createMemoryEventBus();
  const listeners = new Set<ServerEventListener>();
  const published: ServerEvent[] = [];
  return {
    published, listeners,
    publish(event) {
      published.push(event);
      return inner.publish(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      const off = inner.subscribe(listener);
      return () => { listeners.delete(listener); off(); };
    },
  };
}

async function client(server: McpServer, heard: string[]): Promise<Peer<ClientSide>> {
  const [clientEnd, serverEnd] = createMemoryPair();
  const peer = createPeer<ClientSide>();
  for (const method of ['notifications/tools/list_changed', 'notifications/resources/updated'] as const) {
    peer.onNotification(method, (params) => { heard.push(params && 'uri' in params ? `${method} ${params.uri}` : method); });
  }
  await server.connect(serverEnd);
  await peer.connect(clientEnd);
  await peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } });
  await peer.notify('notifications/initialized', undefined);
  return peer;
}

const server = suite('event bus: the server publishes on it, connections hear from it');

server('registrations and resourceUpdated go out on the given bus; an event from elsewhere reaches the client', async () => {
  const bus = recordingBus();
  const s = createServer({ name: 's', version: '1' }, { eventBus: bus });
  s.resource({ uri: 'file:///a.txt', name: 'a' }, () => 'text');
  const heard: string[] = [];
  const peer = await client(s, heard);
  assert.is(bus.listeners.size, 1, 'the connection subscribed');
  await peer.request('resources/subscribe', { uri: 'file:///a.txt' });
  s.tool({ name: 't' }, () => 'x');
  await Promise.resolve(); // list changes of one burst go out together, a microtask later
  assert.is(await s.resourceUpdated('file:///a.txt'), 1);
  // Another instance sharing the bus changed its tools: this server's client hears it too.
  assert.is(await bus.publish({ type: 'list_changed', list: 'tools' }), 1);
  await peer.request('ping', undefined); // everything sent before the pong has arrived
  assert.equal(bus.published, [
    { type: 'list_changed', list: 'resources' },
    { type: 'list_changed', list: 'tools' },
    { type: 'resource_updated', uri: 'file:///a.txt' },
    { type: 'list_changed', list: 'tools' },
  ]);
  assert.equal(heard, ['notifications/tools/list_changed', 'notifications/resources/updated file:///a.txt', 'notifications/tools/list_changed']);
  await s.close();
  assert.is(bus.listeners.size, 0, 'a closed connection stops listening');
});

server('ten tools registered in one burst are one tools/list_changed', async () => {
  const bus = recordingBus();
  const s = createServer({ name: 's', version: '1' }, { eventBus: bus });
  for (let i = 0; i < 10; i++) s.tool({ name: `t${i}` }, () => 'x');
  await Promise.resolve();
  assert.equal(bus.published, [{ type: 'list_changed', list: 'tools' }]);
  await s.close();
});

// The bus a server makes when given none tells all its 2025 connections through one listener
// (no subscription per connection: memory per idle session, bench g). What a connection hears
// and what publish counts are as with a subscription each.
const own = suite('event bus: the server\'s own bus');

own('resourceUpdated counts each subscribed connection; a closed one no longer hears; other subscribers add to the count', async () => {
  const s = createServer({ name: 's', version: '1' });
  s.resource({ uri: 'file:///a.txt', name: 'a' }, () => 'text');
  const heard: string[][] = [[], [], []];
  const peers = [await client(s, heard[0]!), await client(s, heard[1]!), await client(s, heard[2]!)];
  await peers[0]!.request('resources/subscribe', { uri: 'file:///a.txt' });
  await peers[1]!.request('resources/subscribe', { uri: 'file:///a.txt' });
  assert.is(await s.resourceUpdated('file:///a.txt'), 2, 'the two subscribed connections, not the third');
  const other: string[] = [];
  const off = s.events.subscribe((e) => { other.push(e.type); return true; });
  assert.is(await s.resourceUpdated('file:///a.txt'), 3, 'a subscriber of the application counts beside the connections');
  off();
  await [...s.connections][0]!.close();
  assert.is(await s.resourceUpdated('file:///a.txt'), 1, 'the closed connection is not told');
  await peers[1]!.request('ping', undefined);
  assert.equal(heard[0], ['notifications/resources/updated file:///a.txt', 'notifications/resources/updated file:///a.txt']);
  assert.equal(heard[1], Array(3).fill('notifications/resources/updated file:///a.txt'));
  assert.equal(heard[2], []);
  assert.equal(other, ['resource_updated']);
  await s.close();
});

own('a tools list change reaches every ready connection once', async () => {
  const s = createServer({ name: 's', version: '1' });
  s.tool({ name: 't0' }, () => 'x');
  const heard: string[][] = [[], []];
  const peers = [await client(s, heard[0]!), await client(s, heard[1]!)];
  assert.is(await s.events.publish({ type: 'list_changed', list: 'tools' }), 2);
  for (const p of peers) await p.request('ping', undefined);
  assert.equal(heard, [['notifications/tools/list_changed'], ['notifications/tools/list_changed']]);
  await s.close();
});

/** A ready connection that declared tools.listChanged; its notify is `notify`. */
function fakeConnection(notify: () => Promise<void>, state = 'ready'): ServerConnection {
  return { state, capabilities: { tools: { listChanged: true } }, peer: { notify } } as unknown as ServerConnection;
}

const delivery: LegacyDelivery = { subscribed: () => true, report: () => {} };

own('deliverToAll: a delivery that throws or rejects is reported and not counted; the others are', async () => {
  const failed: unknown[] = [];
  const throwing = { get state(): string { throw new Error('state'); } } as unknown as ServerConnection;
  const connections = [fakeConnection(() => Promise.resolve()), throwing, fakeConnection(() => Promise.resolve()), fakeConnection(() => Promise.resolve(), 'initializing')];
  const count = await deliverToAll(connections, { type: 'list_changed', list: 'tools' }, delivery, (e) => failed.push(e));
  assert.is(count, 2);
  assert.equal(failed.map((e) => (e as Error).message), ['state']);
  // A rejected notify is the delivery's own report (legacy-events.ts `sent`), counted as not delivered.
  const reported: string[] = [];
  const rejecting = fakeConnection(() => Promise.reject(new Error('gone')));
  assert.is(await deliverToAll([rejecting], { type: 'list_changed', list: 'tools' }, { ...delivery, report: (e) => reported.push(e.message) }, (e) => failed.push(e)), 0);
  assert.equal(reported, ['gone']);
});

own('deliverToAll: a connection added while the event goes out hears the next one, not that one', async () => {
  const connections = new Set<ServerConnection>();
  let added = 0;
  const late = fakeConnection(() => { added++; return Promise.resolve(); });
  connections.add(fakeConnection(() => { connections.add(late); return Promise.resolve(); }));
  assert.is(await deliverToAll(connections, { type: 'list_changed', list: 'tools' }, delivery, () => {}), 1);
  assert.is(added, 0);
  assert.is(await deliverToAll(connections, { type: 'list_changed', list: 'tools' }, delivery, () => {}), 2);
  assert.is(added, 1);
});


memory.run();
server.run();
own.run();
