// Re-runs after a restart: the HTTP server re-runs an interrupted call with the same session
// and request id. The agents must continue from their durable record: never book twice, never
// ask again what was answered, and repeat only messages that match what the client has.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledByPeer, type ClientCapabilities, type CreateMessageResult, type ElicitResult, type RequestId } from 'mcpwire/protocol';
import type { ToolContext } from 'mcpwire/server';
import { indexCorpus, loadCorpus } from './corpus.ts';
import { bundledDataDir } from './index.ts';
import { createResearchAgent } from './research.ts';
import type { AgentRuntime } from './runtime.ts';
import { createRecordStore, type RecordStore } from './store.ts';
import { createTravelAgent, type BookingRecord } from './travel.ts';
import { loadTravelTable } from './travel-data.ts';

interface Fake extends ToolContext {
  sent: Array<{ kind: 'progress'; n: number; message: string | undefined } | { kind: 'log'; text: string }>;
  asked: number;
  controller: AbortController;
}

function fakeContext(opts: {
  requestId: RequestId;
  sessionId?: string;
  caps?: ClientCapabilities;
  elicit?: () => Promise<ElicitResult>;
  sample?: () => Promise<CreateMessageResult>;
}): Fake {
  const controller = new AbortController();
  const fake: Fake = {
    sent: [],
    asked: 0,
    controller,
    signal: controller.signal,
    requestId: opts.requestId,
    sessionId: opts.sessionId ?? 'session-a',
    protocolVersion: '2025-11-25',
    clientInfo: undefined,
    clientCapabilities: opts.caps ?? { elicitation: {} },
    auth: {},
    async progress(n, _total, message) { fake.sent.push({ kind: 'progress', n, message }); },
    async log(_level, data) { fake.sent.push({ kind: 'log', text: String(data) }); },
    async elicit(): Promise<any> { // untyped fake of the schema-typed ctx.elicit
      fake.asked++;
      return opts.elicit ? opts.elicit() : { action: 'accept', content: { confirm: true, fareClass: 'economy' } };
    },
    async sample() {
      fake.asked++;
      return opts.sample ? opts.sample() : { role: 'assistant', content: { type: 'text', text: 'Sampled [1].' }, model: 'm' };
    },
    listRoots: async () => [],
    resourceLink: (uri, name, extra) => ({ type: 'resource_link', uri, name, ...extra }),
    elicitationComplete: async () => {},
  };
  return fake;
}

const progressOf = (f: Fake) => f.sent.flatMap((s) => (s.kind === 'progress' ? [s.n] : []));

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-rerun-'));
  const store: RecordStore = await createRecordStore(dir);
  const updated: string[] = [];
  const rt: AgentRuntime = {
    store, stepDelayMs: 0, now: () => new Date('2026-04-01T09:00:00Z'), confirmTimeoutMs: undefined, summaryTimeoutMs: undefined,
    resourceUpdated: async (uri) => { updated.push(uri); },
  };
  const data = bundledDataDir();
  const travel = createTravelAgent(rt, await loadTravelTable(data));
  const research = createResearchAgent(rt, indexCorpus(await loadCorpus(join(data, 'corpus'), 'bundled')));
  return { dir, store, travel, research, updated, close: () => rm(dir, { recursive: true, force: true }) };
}

const travel = suite('travel_agent re-run: idempotent from the durable booking');

travel('a re-run of a finished booking neither asks nor books again, and repeats only the replay-safe prefix', async () => {
  const s = await setup();
  try {
    const first = fakeContext({ requestId: 7 });
    const a = await s.travel({ destination: 'Lisbon' }, first);
    assert.is((a.structuredContent as any).status, 'booked');
    assert.equal(progressOf(first), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const again = fakeContext({ requestId: 7 });
    const b = await s.travel({ destination: 'Lisbon' }, again);
    assert.is(again.asked, 0);
    assert.equal(b.structuredContent, a.structuredContent);
    assert.equal(progressOf(again), [1, 2, 3, 4, 5]);
    // The prefix is word for word what the first run sent, so the event store stores it once.
    assert.equal(again.sent.slice(0, 6), first.sent.slice(0, 6));
    assert.equal(await s.store.list('bookings'), [(a.structuredContent as any).bookingId]);
  } finally {
    await s.close();
  }
});

travel('killed after booking but before answering: the re-run finishes without asking or booking again', async () => {
  const s = await setup();
  try {
    const first = fakeContext({ requestId: 'call-1' });
    const a = await s.travel({ destination: 'Rome', travellers: 3 }, first);
    const id = (a.structuredContent as any).bookingId as string;
    const rec = (await s.store.read<BookingRecord>('bookings', id))!;
    await s.store.write('bookings', id, { ...rec, step: 9 }); // as if killed during the last pause

    const again = fakeContext({ requestId: 'call-1' });
    const b = await s.travel({ destination: 'Rome', travellers: 3 }, again);
    assert.is(again.asked, 0);
    assert.is((b.structuredContent as any).reference, rec.reference);
    assert.equal(progressOf(again), [1, 2, 3, 4, 5, 10]);
    assert.not.ok(again.sent.some((m) => m.kind === 'log' && /Booked/.test(m.text)), 'the booked notice is not repeated');
    assert.is((await s.store.list('bookings')).length, 1);
  } finally {
    await s.close();
  }
});

/** An elicit that never answers but rejects when the call is aborted; `asked` resolves when it is called. */
function hangingForm(): { elicit: () => Promise<ElicitResult>; asked: Promise<void>; bind(f: Fake): void } {
  let told: () => void = () => {};
  let fake: Fake | undefined;
  const asked = new Promise<void>((resolve) => { told = resolve; });
  return {
    asked,
    bind: (f) => { fake = f; },
    elicit: () => {
      told();
      const signal = fake!.signal;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    },
  };
}

travel('killed while the form was open: the re-run asks again, then books once', async () => {
  const s = await setup();
  try {
    const form = hangingForm();
    const first = fakeContext({ requestId: 3, elicit: form.elicit });
    form.bind(first);
    void s.travel({ destination: 'Paris' }, first); // the process "dies" while this waits
    await form.asked;
    const [id] = await s.store.list('bookings');
    assert.is((await s.store.read<BookingRecord>('bookings', id!))!.status, 'awaiting_confirmation');

    const again = fakeContext({ requestId: 3 });
    const b = await s.travel({ destination: 'Paris' }, again);
    assert.is(again.asked, 1);
    assert.is((b.structuredContent as any).status, 'booked');
    assert.equal(progressOf(again), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(await s.store.list('bookings'), [id]);
  } finally {
    await s.close();
  }
});

travel('a server shutdown is not a cancel: the record stays resumable; a client cancel ends it', async () => {
  const s = await setup();
  try {
    const form = hangingForm();
    const shut = fakeContext({ requestId: 1, elicit: form.elicit });
    form.bind(shut);
    const run = s.travel({ destination: 'Lisbon' }, shut).then(() => undefined, (e: Error) => e);
    await form.asked;
    shut.controller.abort(new Error('server closing'));
    assert.ok(await run, 'the handler ends with the abort');
    const [id] = await s.store.list('bookings');
    assert.is((await s.store.read<BookingRecord>('bookings', id!))!.status, 'awaiting_confirmation');

    const form2 = hangingForm();
    const cancelled = fakeContext({ requestId: 2, elicit: form2.elicit });
    form2.bind(cancelled);
    const run2 = s.travel({ destination: 'Lisbon' }, cancelled).then(() => undefined, (e: Error) => e);
    await form2.asked;
    cancelled.controller.abort(new CancelledByPeer('user pressed stop'));
    assert.ok(await run2);
    const ids = await s.store.list('bookings');
    const statuses = await Promise.all(ids.map(async (i) => (await s.store.read<BookingRecord>('bookings', i))!.status));
    assert.equal(statuses.sort(), ['awaiting_confirmation', 'cancelled']);

    // The transport may re-run a cancelled call after a restart: it ends at once, asking nothing.
    const rerun = fakeContext({ requestId: 2 });
    const result = await s.travel({ destination: 'Lisbon' }, rerun);
    assert.is((result.structuredContent as any).status, 'cancelled');
    assert.is(rerun.asked, 0);
    assert.equal(rerun.sent, []);
  } finally {
    await s.close();
  }
});

travel('calls are told apart by session and request id', async () => {
  const s = await setup();
  try {
    await s.travel({ destination: 'Lisbon' }, fakeContext({ requestId: 1, sessionId: 'a' }));
    await s.travel({ destination: 'Lisbon' }, fakeContext({ requestId: 1, sessionId: 'b' }));
    await s.travel({ destination: 'Lisbon' }, fakeContext({ requestId: 2, sessionId: 'a' }));
    assert.is((await s.store.list('bookings')).length, 3);
  } finally {
    await s.close();
  }
});

travel.run();

const research = suite('research_agent re-run: the summary is not asked for twice');

research('a re-run after the summary was written reuses it and repeats only the prefix', async () => {
  const s = await setup();
  try {
    const caps = { sampling: {} };
    const first = fakeContext({ requestId: 5, caps });
    const a = await s.research({ topic: 'grid battery storage', depth: 'quick' }, first);
    assert.is(first.asked, 1);
    assert.equal(progressOf(first), [1, 2, 3, 4, 5, 6, 7]);

    const again = fakeContext({ requestId: 5, caps, sample: () => Promise.reject(new Error('must not be asked')) });
    const b = await s.research({ topic: 'grid battery storage', depth: 'quick' }, again);
    assert.is(again.asked, 0);
    assert.equal(b.structuredContent, a.structuredContent);
    assert.equal(progressOf(again), [1, 2, 3, 4, 5, 6]);
    assert.equal(again.sent, first.sent.slice(0, again.sent.length));
  } finally {
    await s.close();
  }
});

research.run();
