// `serve --agents --state DIR` with one damaged record file (cut short, empty, not a record of
// its kind, a folder under a record's name) did not start: "cannot read bookings record
// bk-...: Unterminated string in JSON" (exit 1, naming no file), or a TypeError for valid JSON
// of the wrong shape. Now the listing skips such a file, names it, and leaves it as it is;
// every readable record is still listed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpServer } from 'mcpwire/server';
import { createRecordListing } from './resources.ts';
import { createRecordStore } from './store.ts';

const test = suite('agents records damaged on disk');

const good = {
  booking: {
    id: 'bk-00000000000000000001', uri: 'agents://bookings/bk-00000000000000000001', reference: 'MW-0001', status: 'booked',
    trip: { origin: { name: 'Paris' }, destination: { name: 'Rome' }, depart: '2026-01-02' },
  },
  report: { id: 'rp-00000000000000000001', uri: 'agents://reports/rp-00000000000000000001', topic: 'tides', depth: 'brief' },
};

test('unreadable records are skipped and named, untouched; readable ones are listed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-records-damaged-'));
  try {
    const store = await createRecordStore(dir);
    await store.write('bookings', good.booking.id, good.booking);
    await store.write('reports', good.report.id, good.report);
    const damaged: Record<string, string> = {
      'bookings/bk-00000000000000000002.json': '{"id":"bk-00000000000000000002","uri":"agents://boo',
      'reports/rp-00000000000000000002.json': '',
      'bookings/bk-00000000000000000003.json': '{"id":"bk-00000000000000000003"}',
      'reports/rp-00000000000000000003.json': '[1,2]',
      'bookings/bk-00000000000000000004.json': `${JSON.stringify({ ...good.booking, id: 'bk-00000000000000000004', uri: 'agents://bookings/bk-00000000000000000001' })}`,
    };
    for (const [file, text] of Object.entries(damaged)) await writeFile(join(dir, file), text);
    await mkdir(join(dir, 'reports', 'rp-00000000000000000004.json'));
    const listed: string[] = [];
    const fake = { resource: (def: { uri: string }) => { listed.push(def.uri); } } as unknown as McpServer;
    const notices: string[] = [];
    const listing = createRecordListing(fake, store, (m) => notices.push(m));
    assert.is(await listing.loadExisting(), 2);
    assert.equal(listed.sort(), [good.booking.uri, good.report.uri]);
    assert.is(notices.length, 6, notices.join('\n'));
    for (const file of [...Object.keys(damaged), 'reports/rp-00000000000000000004.json']) {
      assert.ok(notices.some((n) => n.includes(join(dir, file)) && /left as it is/.test(n)), `${file} named: ${notices.join('\n')}`);
    }
    for (const [file, text] of Object.entries(damaged)) assert.is(await readFile(join(dir, file), 'utf8'), text, `${file} untouched`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
