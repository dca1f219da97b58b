// A POST whose stream cannot be started (a full disk) is refused with 507 before its requests
// run, so that a tool with side effects never runs for a call its client is told failed
// (faults26). A read-only request has none: since scalewalk6 it is answered on the POST's own
// connection, unstored, with no priming event and no event id (2025-11-25 basic/transports:
// resumability is a MAY), as with Redis out of memory (test/scale/read-only-redis-full).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { createFileEventStore } from 'mcpwire/transport';
import { fullDiskFs } from './support/full-disk-fs.ts';
import { ACCEPT_BOTH, messagesOf, readEvents, URL_BASE } from './http-fixture.ts';

const VERSION = '2025-11-25';

const test = suite('read-only requests on a full disk');

test('tools/list is answered live without event ids, reported once; tools/call is still 507 and its tool does not run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-full-read-only-'));
  const disk = { full: false };
  const reports: string[] = [];
  let runs = 0;
  const store = await createFileEventStore({ dir, fs: fullDiskFs(disk), onError: (e) => reports.push(`store: ${e.message}`) });
  const server = createServer({ name: 'read-only', version: '1' });
  server.tool({ name: 'charge', description: 'Charges a card.', inputSchema: { type: 'object' } }, async () => {
    runs++;
    return 'charged';
  });
  const handler = createMcpHttpHandler(server, { eventStore: store, recoverInflight: true, allowedHosts: ['127.0.0.1:3000'], onError: (e) => reports.push(`handler: ${e.message}`) });
  const post = (body: unknown, sid?: string) => handler.handle(new Request(URL_BASE, {
    method: 'POST', body: JSON.stringify(body),
    headers: { host: '127.0.0.1:3000', accept: ACCEPT_BOTH, 'content-type': 'application/json', ...(sid ? { 'mcp-session-id': sid, 'mcp-protocol-version': VERSION } : {}) },
  }));
  try {
    const started = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const sid = started.headers.get('mcp-session-id')!;
    await started.text();
    assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sid)).status, 202);

    disk.full = true;
    const list = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, sid);
    assert.is(list.status, 200);
    const events = await readEvents(list);
    assert.equal(events.map((e) => e.id), [undefined], 'one event, no id: nothing stored to resume');
    assert.match(JSON.stringify(messagesOf(events)[0]?.result), /"name":"charge"/);
    assert.is(reports.length, 1, reports.join(' | '));
    assert.match(reports[0]!, /^handler: Cannot write the event log of session \S+: no space left on the device \(ENOSPC\)$/);

    const call = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'charge', arguments: {} } }, sid);
    assert.is(call.status, 507);
    await call.text();
    assert.is(runs, 0, 'the client was told 507: the tool must not have run');

    disk.full = false;
    const again = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, sid);
    const stored = await readEvents(again);
    assert.ok(stored.length === 2 && stored.every((e) => e.id !== undefined), 'with space back, stored: a priming event and the response, with ids');
  } finally {
    await handler.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
