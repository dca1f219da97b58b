// `mcpwire trace` keeps analysis off the copy path, bounded (issue #21): bytes are passed on
// whatever the analysis queue holds; past --max-queued-bytes messages pass unanalysed and the
// trace says how many, in place; a framer re-synchronises after the gap.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import { TraceCorrelator, traceStdio, type TraceRecord } from 'mcpwire/conformance';
import { DeferredAnalysis } from '../conformance/trace/deferred.ts';
import { DeferredStream } from '../conformance/trace/deferred-stream.ts';
import { sseFraming } from '../conformance/trace/sse-framing.ts';

/** A server that answers each line with a response to it (same id), one line each. */
const ECHO = `const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (l) => { const m = JSON.parse(l); process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} }) + '\\n'); });`;

function line(id: number): string {
  return `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping', params: { _meta: { pad: 'x'.repeat(60) } } })}\n`;
}

const queue = suite('DeferredAnalysis: a bounded queue run in later turns');

queue('runs nothing at once; past the bound a job is refused and the gap is reported before the next job', async () => {
  const ran: string[] = [];
  const q = new DeferredAnalysis({ maxQueuedBytes: 200, onSkipped: (n, d) => ran.push(`skipped ${n} ${d}`) });
  assert.ok(q.enqueue(100, () => ran.push('a')));
  assert.ok(q.enqueue(100, () => ran.push('b')));
  assert.not.ok(q.enqueue(100, () => ran.push('never')), 'over the bound');
  q.skip(1, 'server-to-client');
  assert.equal(ran, [], 'deferred: nothing ran in the caller\'s turn');
  assert.is(q.queuedBytes, 200);
  await q.idle();
  assert.equal(ran, ['a', 'b', 'skipped 1 server-to-client'], 'the gap is shown even when nothing follows');
  assert.is(q.queuedBytes, 0);
  assert.ok(q.enqueue(150, () => ran.push('c')), 'room again once analysed');
  q.drain();
  assert.equal(ran.at(-1), 'c');
});

queue('a bound that is not a positive integer is an McpError MCP_ERR_VALIDATION', () => {
  try {
    new DeferredAnalysis({ maxQueuedBytes: 0, onSkipped: () => {} });
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, McpError);
    assert.is((error as McpError).code, LocalErrorCode.Validation);
    assert.match((error as Error).message, /maxQueuedBytes must be a positive integer, got 0/);
  }
});

queue.run();

const sse = suite('SSE framing after a gap');

sse('events cut by the gap are counted once; the parser starts again at the next event', async () => {
  const data: string[] = [];
  const skipped: number[] = [];
  const q = new DeferredAnalysis({ maxQueuedBytes: 100, onSkipped: (n) => skipped.push(n) });
  const stream = new DeferredStream(q, 'server-to-client', sseFraming((e) => data.push(e.data)));
  const ev = (n: number) => `id: ${n}\ndata: {"n":${n}}\n\n`;
  stream.write(Buffer.from(ev(1) + ev(2).slice(0, 8))); // fits: event 1 whole, event 2 begun
  stream.write(Buffer.from(ev(2).slice(8) + ev(3) + 'x'.repeat(100) + ev(4).slice(0, 5))); // too big: skipped
  await q.idle();
  stream.write(Buffer.from(ev(4).slice(5) + ev(5))); // fits: ends the cut event 4, then event 5
  stream.end();
  await q.idle();
  assert.equal(data, ['{"n":1}', '{"n":5}']);
  assert.equal(skipped, [2, 1], 'events 2 and 3 end in the skipped chunk; event 4 was cut by the gap');
});

sse.run();

const stdio = suite('stdio tracer under a full analysis queue');

stdio('every byte passes both ways; each message is analysed or counted as skipped, never both, never lost', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const records: TraceRecord[] = [];
  const lines = Array.from({ length: 300 }, (_, i) => line(i + 1));
  let received = '';
  const checks = new Set<() => void>();
  const seen = (direction: string) => records.filter((r) => r.direction === direction && r.kind !== 'stdio').reduce((n, r) => n + (r.kind === 'skipped' ? r.skipped! : 1), 0);
  /** Resolves once `ready()` holds, checked after each answer and each record (bounded). */
  const until = (ready: () => boolean, what: string) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { checks.delete(check); reject(new Error(`${what}: not within 10 s`)); }, 10_000);
    const check = () => { if (ready()) { clearTimeout(timer); checks.delete(check); resolve(); } };
    checks.add(check);
    check();
  });
  const answered = () => received.split('\n').length - 1;
  output.on('data', (c: Buffer) => { received += c.toString('utf8'); for (const c2 of [...checks]) c2(); });
  const done = traceStdio({
    command: process.execPath, args: ['-e', ECHO], input, output, maxQueuedBytes: 1024,
    correlator: new TraceCorrelator((r) => { records.push(r); for (const c of [...checks]) c(); }, { validate: false }),
  });
  input.write(lines.slice(0, 290).join('')); // one chunk, far over the bound
  await until(() => answered() === 290 && seen('client-to-server') === 290 && seen('server-to-client') === 290, 'the flood');
  // The queue has room again: one message at a time is analysed in full.
  for (const [i, l] of lines.slice(290).entries()) {
    input.write(l);
    await until(() => answered() === 291 + i && seen('server-to-client') === 291 + i, `answer ${291 + i}`);
  }
  input.end();
  assert.is(await done, 0);
  const answers = received.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id);
  assert.equal(answers, lines.map((_, i) => i + 1), 'every answer, in order, unchanged');
  for (const direction of ['client-to-server', 'server-to-client'] as const) {
    const mine = records.filter((r) => r.direction === direction);
    assert.ok(mine.some((r) => r.kind === 'skipped'), `${direction}: some skipped under a 1 KiB bound`);
    assert.is(seen(direction), 300, `${direction}: analysed + skipped = sent`);
    assert.match(mine.find((r) => r.kind === 'skipped')!.explain, /^analysis skipped \d+ messages?/);
  }
  const late = records.filter((r) => r.kind !== 'skipped' && Number(r.id) > 290);
  assert.equal(late.map((r) => `${r.kind} ${String(r.id)} ${r.method ?? r.answers}`), lines.slice(290).flatMap((_, i) => [`request ${291 + i} ping`, `response ${291 + i} ping`]),
    'after the gap, requests and their answers are analysed and paired again');
  assert.ok(records.findIndex((r) => r.kind === 'skipped') < records.indexOf(late[0]!), 'the gap is shown where it was');
});

stdio.run();
