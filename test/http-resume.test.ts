// Resumption (2025-11-25 basic/transports: resumability and redelivery): a client cut at
// any event resumes with Last-Event-ID and receives the rest exactly once, in order, and
// never another stream's or session's events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeFixture, messagesOf, readEvents, type Fixture } from './http-fixture.ts';

const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
const count = (id: number, steps: number, delayMs: number) => ({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'count', arguments: { steps, delayMs }, _meta: { progressToken: `t${id}` } },
});

/** A small deterministic PRNG (mulberry32), so a failing cut point can be reproduced. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Read a stream to its end, resuming after every cut, and return every message seen. */
async function resumeToEnd(f: Fixture, sid: string, first: Array<{ id: string | undefined; data: string }>): Promise<Array<Record<string, any>>> {
  const seen = [...first];
  for (let attempt = 0; attempt < 10; attempt++) {
    const lastId = [...seen].reverse().find((e) => e.id !== undefined)?.id;
    assert.ok(lastId, 'some event id was seen before the cut');
    const res = await f.get({ ...session(sid), 'last-event-id': lastId! });
    assert.is(res.status, 200);
    const more = await readEvents(res);
    seen.push(...more);
    if (messagesOf(more).some((m) => 'result' in m || 'error' in m)) break;
  }
  return messagesOf(seen);
}

const cuts = suite('resume: cut at a random event, for 100 cut points');

cuts('every event arrives exactly once and in order, whatever the cut point', async () => {
  const f = makeFixture({ keepAliveMs: 0 });
  const random = prng(20261123);
  const steps = 30;
  try {
    const sid = await f.initialize();
    for (let i = 0; i < 100; i++) {
      const cutAt = 1 + Math.floor(random() * (steps + 1)); // 1 = right after the priming event
      const delayMs = i % 2; // half finish before the resume, half continue live after it
      const res = await f.post(count(1000 + i, steps, delayMs), session(sid));
      const before = await readEvents(res, cutAt);
      const messages = await resumeToEnd(f, sid, before);
      const progress = messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
      assert.equal(progress, Array.from({ length: steps }, (_, k) => k + 1), `cut at ${cutAt} (iteration ${i})`);
      const responses = messages.filter((m) => 'result' in m);
      assert.is(responses.length, 1, `one response (iteration ${i})`);
      assert.is(responses[0]!.id, 1000 + i);
      assert.is(messages.at(-1), responses[0], 'the response comes last');
    }
  } finally {
    await f.close();
  }
});

const isolation = suite('resume: streams and sessions never mix');

isolation('two streams in one session: each id resumes only its own stream', async () => {
  const f = makeFixture({ keepAliveMs: 0 });
  try {
    const sid = await f.initialize();
    const [a, b] = await Promise.all([f.post(count(1, 20, 1), session(sid)), f.post(count(2, 20, 1), session(sid))]);
    const [aFirst, bFirst] = await Promise.all([readEvents(a!, 4), readEvents(b!, 6)]);
    const [aAll, bAll] = await Promise.all([resumeToEnd(f, sid, aFirst), resumeToEnd(f, sid, bFirst)]);
    assert.ok(aAll.every((m) => m.params?.progressToken === 't1' || m.id === 1), 'stream A holds only its own messages');
    assert.ok(bAll.every((m) => m.params?.progressToken === 't2' || m.id === 2), 'stream B holds only its own messages');
    assert.is(aAll.filter((m) => m.method).length, 20);
    assert.is(bAll.filter((m) => m.method).length, 20);
  } finally {
    await f.close();
  }
});

isolation('two sessions: an id of one is refused by the other and yields no event', async () => {
  const f = makeFixture({ keepAliveMs: 0 });
  try {
    const s1 = await f.initialize();
    const s2 = await f.initialize();
    const events = await readEvents(await f.post(count(1, 5, 0), session(s1)));
    const foreign = await f.get({ ...session(s2), 'last-event-id': events[1]!.id! });
    assert.is(foreign.status, 400);
    assert.not.match(await foreign.text(), /notifications\/progress/);
  } finally {
    await f.close();
  }
});

isolation('the standalone GET stream resumes too, and a finished POST stream replays its tail then ends', async () => {
  const f = makeFixture({ keepAliveMs: 0 });
  try {
    const sid = await f.initialize();
    const all = await readEvents(await f.post(count(7, 4, 0), session(sid)));
    const tail = messagesOf(await readEvents(await f.get({ ...session(sid), 'last-event-id': all[2]!.id! })));
    assert.equal(tail.map((m) => m.params?.progress ?? 'response'), [3, 4, 'response']);
  } finally {
    await f.close();
  }
});

cuts.run();
isolation.run();
