// Durable results you can find again: every booking and report is listed in resources/list
// (paginated with opaque cursors), read from the durable records, subscribable, and still
// listed by a server started later on the same records.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from 'mcpwire/protocol';
import { agentsFixture, type AgentsFixture } from './agents-fixture.ts';

const listed = suite('agents: bookings and reports in resources/list');

const accept = () => ({ action: 'accept' as const, content: { confirm: true, fareClass: 'economy' } });

/** Every page of resources/list, and how many pages it took. */
async function listAll(f: AgentsFixture): Promise<{ resources: Resource[]; pages: number }> {
  const resources: Resource[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await f.client.peer.request('resources/list', cursor === undefined ? {} : { cursor });
    resources.push(...page.resources);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 50);
  return { resources, pages };
}

listed('a booking and a report appear in the paginated list, readable, and survive into the next server', async () => {
  const records = await mkdtemp(join(tmpdir(), 'mcpwire-records-'));
  const first = await agentsFixture({ pageSize: 10, agents: { recordsDir: records }, client: { onElicit: accept } });
  let second: AgentsFixture | undefined;
  try {
    const before = await listAll(first);
    assert.ok(before.resources.every((r) => r.uri.startsWith('agents://corpus/')), 'only the corpus before any call');
    const booking = (await first.client.callTool('travel_agent', { destination: 'Tokyo' })).structuredContent as Record<string, any>;
    const report = (await first.client.callTool('research_agent', { topic: 'Tokyo trains', depth: 'quick' })).structuredContent as Record<string, any>;
    const after = await listAll(first);
    assert.ok(after.pages > 1, `paginated: ${after.pages} pages of 10`);
    assert.is(after.resources.length, before.resources.length + 2);
    assert.is(new Set(after.resources.map((r) => r.uri)).size, after.resources.length, 'each resource once');
    const b = after.resources.find((r) => r.uri === booking.uri);
    const r = after.resources.find((x) => x.uri === report.uri);
    assert.ok(b, 'the booking is listed');
    assert.ok(r, 'the report is listed');
    assert.match(b!.title!, new RegExp(`^Booking ${booking.reference}: London → Tokyo`));
    assert.is(b!.mimeType, 'application/json');
    assert.is(r!.title, 'Research report: Tokyo trains');
    assert.is(JSON.parse(await first.read(booking.uri)).status, 'booked');
    assert.match(await first.read(report.uri), /^# Research report: Tokyo trains/);

    second = await agentsFixture({ pageSize: 10, agents: { recordsDir: records } });
    const again = await listAll(second);
    assert.ok(again.resources.some((x) => x.uri === booking.uri), 'a later server lists the earlier booking');
    assert.ok(again.resources.some((x) => x.uri === report.uri), 'and the earlier report');
    await second.subscribe(report.uri);
  } finally {
    await first.close();
    await second?.close();
    await rm(records, { recursive: true, force: true });
  }
});

listed.run();
