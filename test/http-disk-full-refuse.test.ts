// A POST the store cannot start (a full disk) is refused with 507 before any of its requests
// runs (faults26). Before, a call's tool ran while its stream's start was being written, and
// the client was told 507 for a call whose side effect had happened: its retry ran it twice.
// And one refused POST is one line for the operator: before, an initialize on a full disk
// was reported four times (the stream's failed step, the in-flight record, the answer's
// failed append, the 507), plus the MCP server's "could not send the response to request 1".
// faults27: JSON replies with restart recovery probe the store the same way (before, their
// requests ran before anything was stored), and the 507 names the POST's request.
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
const dirs: string[] = [];

/** A server on a file store whose disk fills on demand; `charge` counts its runs (its side effect). */
async function chargeServer(recoverInflight: boolean, json = false) {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-full-refuse-'));
  dirs.push(dir);
  const disk = { full: false };
  const reports: string[] = [];
  const runs = { count: 0 };
  const store = await createFileEventStore({ dir, fs: fullDiskFs(disk), onError: (e) => reports.push(`store: ${e.message}`) });
  const server = createServer({ name: 'refuse', version: '1' }, { onError: (e) => reports.push(`server: ${e.message}`) });
  server.tool({ name: 'charge', description: 'Charges a card.', inputSchema: { type: 'object' } }, async () => {
    runs.count++;
    return 'charged';
  });
  const handler = createMcpHttpHandler(server, { eventStore: store, recoverInflight, ...(json ? { responseMode: 'json' as const } : {}), allowedHosts: ['127.0.0.1:3000'], onError: (e) => reports.push(`handler: ${e.message}`) });
  const post = (body: unknown, sid?: string) => handler.handle(new Request(URL_BASE, {
    method: 'POST', body: JSON.stringify(body),
    headers: { host: '127.0.0.1:3000', accept: ACCEPT_BOTH, 'content-type': 'application/json', ...(sid ? { 'mcp-session-id': sid, 'mcp-protocol-version': VERSION } : {}) },
  }));
  const initialize = (id: number) => post({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  const close = async () => {
    await handler.close();
    await store.close();
  };
  return { disk, reports, runs, post, initialize, handler, close };
}

const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'charge', arguments: {} } });

/** A 507's body: a JSON-RPC error naming the POST's request. */
async function refusal(reply: Response, id: number): Promise<void> {
  assert.is(reply.status, 507);
  const body = await reply.json() as { id: unknown; error: { code: number; message: string } };
  assert.is(body.id, id, 'the error names the request the POST carried');
  assert.is(body.error.code, -32603);
  assert.match(body.error.message, /no space left on the device \(ENOSPC\)/);
}

for (const [recoverInflight, json] of [[false, false], [true, false], [true, true]] as const) {
  const test = suite(`a call on a full disk (recoverInflight ${recoverInflight}${json ? ', JSON replies' : ''})`);

  test('is refused 507 before its tool runs, reported once; sent again with space back, it runs once', async () => {
    const s = await chargeServer(recoverInflight, json);
    try {
      const started = await s.initialize(0);
      const sid = started.headers.get('mcp-session-id')!;
      await started.text();
      assert.is((await s.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sid)).status, 202);

      s.disk.full = true;
      await refusal(await s.post(call(7), sid), 7);
      await new Promise((r) => setTimeout(r, 50)); // any later report of the same POST would be in by now
      assert.is(s.runs.count, 0, 'the client was told 507: the tool must not have run');
      assert.is(s.reports.length, 1, s.reports.join(' | '));
      assert.match(s.reports[0]!, /^handler: Cannot write the event log of session \S+: no space left on the device \(ENOSPC\)$/);

      s.disk.full = false;
      const again = await s.post(call(7), sid); // the same id: the refused call left nothing in flight
      assert.is(again.status, 200);
      const answer = json ? await again.json() as { result?: { content?: Array<{ text?: string }> } } : messagesOf(await readEvents(again)).at(-1);
      assert.is(answer?.result?.content?.[0]?.text, 'charged');
      assert.is(s.runs.count, 1);
      assert.is(s.handler.sessionCount, 1);
    } finally {
      await s.close();
    }
  });

  test('an initialize is refused 507 unanswered, reported once', async () => {
    const s = await chargeServer(recoverInflight, json);
    try {
      s.disk.full = true;
      await refusal(await s.initialize(1), 1);
      await new Promise((r) => setTimeout(r, 50));
      assert.is(s.reports.length, 1, s.reports.join(' | '));
      assert.match(s.reports[0]!, /^handler: Cannot write the event log of session \S+: no space left/);
      assert.is(s.handler.sessionCount, 0);
      s.disk.full = false;
      const later = await s.initialize(2);
      assert.is(later.status, 200);
      await later.text();
    } finally {
      await s.close();
    }
  });

  test.run();
}

const cleanup = suite('cleanup');
cleanup('the test folders go', async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
cleanup.run();
