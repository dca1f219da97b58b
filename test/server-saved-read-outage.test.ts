// A shared session's saved record is read again while asks wait for notifications/initialized
// (server/connection.ts, `initializedElsewhere`). During a store outage each waiting
// connection fails that read every `initializedRecheckMs`: the server reports the first
// failure of the outage once, over all its connections, and the first read that succeeds
// after it once, as the task lease renewal does (server/saved-reads.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';

const form = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
type Seen = { id?: number | string; method?: string };

/** A raw client on `server` that initializes, holds back notifications/initialized and calls a tool that elicits. */
async function waiting(server: McpServer, read: () => Promise<boolean>) {
  const [c, s] = createMemoryPair();
  const seen: Seen[] = [];
  await c.start({ onMessage: (m) => { seen.push(m as Seen); }, onClose() {}, onError() {} });
  void server.connect(s, { initializedRecheckMs: 5, initializedElsewhere: read });
  await c.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } } });
  await c.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } });
  return { c, seen };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !pred(); i++) await new Promise<void>((resolve) => setTimeout(resolve, 10));
  assert.ok(pred(), what);
}

const outage = suite('server: failed reads of saved sessions while asks wait are reported once per outage (2025-11-25 basic/lifecycle)');

outage('two sessions, twenty failed reads each: one report when it fails, one when it reads again', async () => {
  const reported: string[] = [];
  const server = createServer({ name: 'outage', version: '1' }, { onError: (e) => reported.push(e.message) });
  server.tool({ name: 'ask', description: 'Elicits.' }, async (_args, ctx) => JSON.stringify(await ctx.elicit(form).catch((e: { code?: string }) => e.code)));
  let down = true;
  let failures = 0;
  let initialized = false;
  const read = async () => {
    if (down) {
      failures++;
      throw new Error('Redis is down');
    }
    return initialized;
  };
  const a = await waiting(server, read);
  const b = await waiting(server, read);
  try {
    await until(() => failures >= 40, 'both sessions read and failed, again and again');
    assert.equal(reported.length, 1, `one report for the outage, got ${reported.length}`);
    assert.match(reported[0]!, /cannot read the saved session .*Redis is down.*every 5 ms/);
    down = false;
    await until(() => reported.length >= 2, 'the read that succeeds is reported');
    assert.match(reported[1]!, /the saved session can be read again, after \d+ failed reads over \d+ ms/);
    initialized = true;
    await until(() => a.seen.some((m) => m.method === 'elicitation/create') && b.seen.some((m) => m.method === 'elicitation/create'), 'both asks go once the record says initialized');
    assert.is(reported.length, 2, 'nothing more reported');
    // A second outage is reported again.
    down = true;
    const c = await waiting(server, read);
    await until(() => reported.length >= 3, 'a new outage is reported');
    assert.match(reported[2]!, /cannot read the saved session/);
    down = false;
    await until(() => reported.length >= 4, 'and its end');
    await c.c.close();
  } finally {
    await a.c.close();
    await b.c.close();
  }
});

outage.run();
