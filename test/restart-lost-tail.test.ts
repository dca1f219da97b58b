// A power loss under the default fsync 'interval' loses the event log's unsynced tail, whose
// ids had already gone to the client (faults31). Played with real processes: a `serve --http
// --state DIR` killed with SIGKILL while a call streams, its session log then cut at a line
// boundary (the tail a power loss takes), restarted on the same directory. The re-run of the
// interrupted call must not hand out the lost ids again: before, its events took the lost
// seqs, so a client holding a lost id resumed into the middle of the re-run and passed over
// the events up to its id (a question it never saw, a call waiting for ever). 2025-11-25
// basic/transports (resumability): an id names one event of its stream, and a resume the
// history cannot serve is refused (410), for good.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagesOf, readEvents } from './http-fixture.ts';
import { killed, openSession, resumeUntil, startServe } from './serve-process.ts';

const STEPS = 120;
/** Progress steps the client read before the kill, and the last one the cut log keeps. */
const READ = 40;
const KEPT = 30;

const test = suite('restart after a lost log tail: no id of the lost events is given to another event');

test('the re-run takes new ids; a lost id is refused (410) after the re-run passed it; the call completes once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-lost-tail-'));
  let server = await startServe(['--state', dir]);
  try {
    const { headers, call } = await openSession(server.url);
    const res = await call({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: STEPS, delayMs: 5 }, _meta: { progressToken: 'run' } } });
    const before = await readEvents(res, READ + 1); // the priming event and READ steps
    await killed(server.child);
    const sent = new Set(before.map((e) => e.id));
    const idOfStep = (step: number) => before.find((e) => e.data !== '' && JSON.parse(e.data).params?.progress === step)!.id!;

    // The power loss: the log keeps the call's events up to step KEPT, nothing after.
    const logs = (await readdir(join(dir, 'events'))).filter((n) => n.endsWith('.log'));
    assert.is(logs.length, 1, logs.join(', '));
    const path = join(dir, 'events', logs[0]!);
    const lines = (await readFile(path, 'utf8')).split('\n');
    const keep = lines.findIndex((l) => l.startsWith('{"k":') && new RegExp(`"progress":${KEPT}[,}]`).test(l));
    assert.ok(keep > 0, 'the log holds the kept step');
    await truncate(path, Buffer.byteLength(lines.slice(0, keep + 1).join('\n') + '\n'));

    server = await startServe(['--state', dir]);
    assert.match(server.log(), /restored 1 sessions/);
    // The client that read step KEPT resumes from it until the result: the re-run's events.
    const seen = [...before.slice(0, KEPT + 1)];
    await resumeUntil(server.url, headers, seen, 1);
    const after = seen.slice(KEPT + 1);
    for (const event of after) assert.not.ok(sent.has(event.id), `the restarted server sent ${event.id} again, an id of a lost event`);
    const progress = messagesOf(seen).filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress as number);
    assert.equal(progress, Array.from({ length: STEPS }, (_, i) => i + 1), 'every step once, in order');
    assert.is(messagesOf(seen).filter((m) => m.id === 1).length, 1, 'one result');

    // A client that read up to step READ holds an id the log lost: refused, also now that the
    // re-run has gone past it (before: a replay from the middle of the re-run, 200).
    for (const step of [KEPT + 1, READ]) {
      const lost = await fetch(server.url, { headers: { accept: 'text/event-stream', 'last-event-id': idOfStep(step), ...headers } });
      const body = await lost.text();
      assert.is(lost.status, 410, `a resume from lost step ${step}: ${body}`);
    }
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
