// A record file under `DIR/agents` damaged from outside (cut short, empty, not a record of its
// kind, a folder under its name). Session 23 made the server start anyway (the listing named and
// skipped the file), but the file stayed: every later run of that booking id (an idempotency
// key) failed reading it, for ever ("cannot read bookings record bk-...: Unterminated string").
// Now the store renames it aside (`.corrupt`, never over an earlier one), tells the operator
// once with both names, and reads it as absent: the booking starts over, and one already booked
// stays booked (its claim file is kept, and the run returns that booking).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpServer, ToolContext } from 'mcpwire/server';
import { bundledDataDir } from './index.ts';
import { keyedRecordId } from './identity.ts';
import { createRecordListing, recordProblem } from './resources.ts';
import type { AgentRuntime } from './runtime.ts';
import { createRecordStore } from './store.ts';
import { createTravelAgent, type BookingRecord } from './travel.ts';
import { loadTravelTable } from './travel-data.ts';

const test = suite('agents records damaged on disk');

const good = {
  booking: {
    id: 'bk-00000000000000000001', uri: 'agents://bookings/bk-00000000000000000001', reference: 'MW-0001', status: 'booked',
    trip: { origin: { name: 'Paris' }, destination: { name: 'Rome' }, depart: '2026-01-02' },
  },
  report: { id: 'rp-00000000000000000001', uri: 'agents://reports/rp-00000000000000000001', topic: 'tides', depth: 'brief' },
};

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mcpwire-records-damaged-'));
}

test('at start, damaged records are set aside whole (.corrupt, never over an earlier one) and named; readable ones are listed', async () => {
  const dir = await tempDir();
  try {
    const notices: string[] = [];
    const store = await createRecordStore(dir, { check: recordProblem, onNotice: (m) => notices.push(m) });
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
    await writeFile(join(dir, 'bookings/bk-00000000000000000002.json.corrupt'), 'set aside earlier');
    await mkdir(join(dir, 'reports', 'rp-00000000000000000004.json'));
    const listed: string[] = [];
    const fake = { resource: (def: { uri: string }) => { listed.push(def.uri); } } as unknown as McpServer;
    const listing = createRecordListing(fake, store, (m) => notices.push(m));
    assert.is(await listing.loadExisting(), 2);
    assert.equal(listed.sort(), [good.booking.uri, good.report.uri]);
    assert.is(notices.length, 6, notices.join('\n'));
    for (const [file, text] of Object.entries(damaged)) {
      const aside = file === 'bookings/bk-00000000000000000002.json' ? `${file}.corrupt.1` : `${file}.corrupt`;
      assert.ok(notices.some((n) => n.includes(join(dir, file)) && n.includes(`renamed to ${join(dir, aside)}`) && /starts over/.test(n)), `${file} named: ${notices.join('\n')}`);
      assert.is(await readFile(join(dir, aside), 'utf8'), text, `${file} kept whole as ${aside}`);
    }
    assert.is(await readFile(join(dir, 'bookings/bk-00000000000000000002.json.corrupt'), 'utf8'), 'set aside earlier', 'an earlier file set aside is not overwritten');
    assert.ok((await readdir(join(dir, 'reports'))).includes('rp-00000000000000000004.json.corrupt'), 'the folder is set aside too');
    assert.equal(await store.list('bookings'), [good.booking.id]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** A tool context that accepts every confirmation and counts the questions. */
function context(requestId: string) {
  const ctx = {
    asked: 0,
    messages: [] as string[],
    logs: [] as string[],
    signal: new AbortController().signal, requestId, sessionId: 's', protocolVersion: '2025-11-25', clientInfo: undefined,
    clientCapabilities: { elicitation: {} }, auth: {},
    async progress() {},
    async log(level: string, data: unknown) { ctx.logs.push(`${level}: ${String(data)}`); },
    async elicit(params: { message: string }) { ctx.asked++; ctx.messages.push(params.message); return { action: 'accept', content: { confirm: true, fareClass: 'economy' } }; },
    async sample() { throw new Error('no sampling'); },
    listRoots: async () => [],
    resourceLink: (uri: string, name: string, extra: object) => ({ type: 'resource_link', uri, name, ...extra }),
  };
  return ctx as typeof ctx & ToolContext;
}

async function travelIn(dir: string) {
  const notices: string[] = [];
  const store = await createRecordStore(dir, { check: recordProblem, onNotice: (m) => notices.push(m) });
  const rt: AgentRuntime = {
    store, stepDelayMs: 0, now: () => new Date('2026-04-01T09:00:00Z'), confirmTimeoutMs: undefined, summaryTimeoutMs: undefined,
    resourceUpdated: async () => {},
  };
  return { store, notices, travel: createTravelAgent(rt, await loadTravelTable(bundledDataDir())) };
}

const KEY = 'trip-to-rome-0001';
const ID = keyedRecordId('bk', KEY);

test('a booked record damaged: a run with its idempotency key returns the booking (from its claim), asks nothing, books nothing more', async () => {
  const dir = await tempDir();
  try {
    const s = await travelIn(dir);
    const c1 = context('c1');
    const first = await s.travel({ destination: 'Rome', idempotencyKey: KEY }, c1);
    assert.is((first.structuredContent as { status?: string }).status, 'booked');
    assert.match(c1.messages[0]!, /^Book this trip\?/, 'a booking that never lost its record asks plainly');
    const file = join(dir, 'bookings', `${ID}.json`);
    const whole = await readFile(file, 'utf8');
    await writeFile(file, whole.slice(0, 40)); // cut short
    const again = context('c2');
    const second = await s.travel({ destination: 'Rome', idempotencyKey: KEY }, again);
    assert.not.ok(second.isError, JSON.stringify(second.content));
    assert.is(again.asked, 0);
    assert.is((second.structuredContent as { reference?: string }).reference, (first.structuredContent as { reference?: string }).reference);
    assert.is((await s.store.read<BookingRecord>('bookings', ID))?.status, 'booked', 'the record is whole again');
    assert.is(await readFile(`${file}.corrupt`, 'utf8'), whole.slice(0, 40));
    assert.is(s.notices.length, 1, s.notices.join('\n'));
    assert.match(s.notices[0]!, /not JSON/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a record damaged before its booking (no claim): a run with its key starts the booking over, says so plainly when it asks again, and books once', async () => {
  const dir = await tempDir();
  try {
    const s = await travelIn(dir);
    await writeFile(join(dir, 'bookings', `${ID}.json`), '{"id":');
    const ctx = context('c1');
    const result = await s.travel({ destination: 'Rome', idempotencyKey: KEY }, ctx);
    assert.not.ok(result.isError, JSON.stringify(result.content));
    assert.is((result.structuredContent as { status?: string }).status, 'booked');
    assert.is(ctx.asked, 1, 'asked again: nothing readable said it was answered');
    assert.match(ctx.messages[0]!, /^The saved record of this booking was damaged and set aside, so it started over: anything you answered before could not be read and is asked again\./);
    assert.match(ctx.messages[0]!, /\nBook this trip\?/, 'then the usual question');
    assert.ok(ctx.logs.some((l) => l.startsWith('warning: The saved record of this booking was damaged')), ctx.logs.join('\n'));
    assert.is((await s.store.read<BookingRecord>('bookings', ID))?.startedOver, true, 'the record says it started over');
    assert.equal(await s.store.list('bookings'), [ID]);
    assert.ok((await readdir(join(dir, 'bookings'))).includes(`${ID}.json.corrupt`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a record that cannot be read at all (a link that loops) is refused with its path, and left where it is', async () => {
  const dir = await tempDir();
  try {
    const s = await travelIn(dir);
    const file = join(dir, 'bookings', `${ID}.json`);
    const { symlink } = await import('node:fs/promises');
    await symlink(file, file); // ELOOP on read
    const err = await s.store.read('bookings', ID).then(() => undefined, (e: Error) => e);
    assert.ok(err, 'refused');
    assert.ok(err.message.includes(file), err.message);
    assert.match(err.message, /moved away/);
    assert.ok((await readdir(join(dir, 'bookings'))).includes(`${ID}.json`), 'not moved');
    assert.equal(s.notices, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
