// The bus a server makes when given none tells all its 2025 connections through one listener
// (no subscription per connection: memory per idle session, bench g). What a connection hears
// and what publish counts are as with a subscription each.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, type ClientSide, type Peer } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import type { ServerConnection } from './connection-types.ts';
import { deliverToAll, type LegacyDelivery } from './legacy-events.ts';
import { createServer, type McpServer } from './server.ts';

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

own.run();
