// Bookings carry an idempotency key: two servers sharing the records folder, each asked to
// book with the same key, make one booking between them; the second call returns the first
// booking without asking the user. Without a key, each call is its own booking.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentsFixture, type AgentsFixture } from './agents-fixture.ts';

const keyed = suite('travel_agent: an idempotency key books once');

const accept = () => ({ action: 'accept' as const, content: { confirm: true, fareClass: 'economy' } });

async function pair(records: string): Promise<{ a: AgentsFixture; b: AgentsFixture; asked: () => number }> {
  let asked = 0;
  const onElicit = () => { asked++; return accept(); };
  const a = await agentsFixture({ agents: { recordsDir: records }, client: { onElicit } });
  const b = await agentsFixture({ agents: { recordsDir: records }, client: { onElicit } });
  return { a, b, asked: () => asked };
}

keyed('one after the other on two servers: the second returns the first booking and asks nothing', async () => {
  const records = await mkdtemp(join(tmpdir(), 'mcpwire-records-'));
  const { a, b, asked } = await pair(records);
  try {
    const args = { destination: 'Lisbon', travellers: 2, idempotencyKey: 'trip-2026-lisbon-1' };
    const first = (await a.client.callTool('travel_agent', args)).structuredContent as Record<string, any>;
    const second = (await b.client.callTool('travel_agent', args)).structuredContent as Record<string, any>;
    assert.is(first.status, 'booked');
    assert.is(second.status, 'booked');
    assert.is(second.reference, first.reference);
    assert.is(second.bookingId, first.bookingId);
    assert.is(asked(), 1, 'the user confirmed once');
    const files = await readdir(join(records, 'bookings'));
    assert.equal(files.filter((f) => f.endsWith('.json')).length, 1);
    assert.equal(files.filter((f) => f.endsWith('.claim')).length, 1);
  } finally {
    await a.close();
    await b.close();
    await rm(records, { recursive: true, force: true });
  }
});

keyed('at the same time on two servers: one booking, both calls return it', async () => {
  const records = await mkdtemp(join(tmpdir(), 'mcpwire-records-'));
  const { a, b } = await pair(records);
  try {
    const args = { destination: 'Rome', idempotencyKey: 'same-time-rome-42' };
    const [x, y] = await Promise.all([a.client.callTool('travel_agent', args), b.client.callTool('travel_agent', args)]);
    const sx = x.structuredContent as Record<string, any>;
    const sy = y.structuredContent as Record<string, any>;
    assert.is(sx.status, 'booked');
    assert.is(sy.status, 'booked');
    assert.is(sx.reference, sy.reference);
    const files = await readdir(join(records, 'bookings'));
    assert.equal(files.filter((f) => f.endsWith('.claim')).length, 1, 'one claim: one booking');
    const recs = await Promise.all(files.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(records, 'bookings', f), 'utf8'))));
    assert.is(recs.filter((r) => r.status === 'booked').length, 1);
  } finally {
    await a.close();
    await b.close();
    await rm(records, { recursive: true, force: true });
  }
});

keyed('without a key each call books; a malformed key is refused by the schema', async () => {
  const f = await agentsFixture({ client: { onElicit: accept } });
  try {
    const one = (await f.client.callTool('travel_agent', { destination: 'Lisbon' })).structuredContent as Record<string, any>;
    const two = (await f.client.callTool('travel_agent', { destination: 'Lisbon' })).structuredContent as Record<string, any>;
    assert.is.not(one.reference, two.reference);
    const bad = await f.client.callTool('travel_agent', { destination: 'Lisbon', idempotencyKey: 'no spaces allowed' });
    assert.ok(bad.isError);
    assert.match(JSON.stringify(bad.content), /idempotencyKey/);
  } finally {
    await f.close();
  }
});

keyed.run();
