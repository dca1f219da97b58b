// Scale-out bench (issue #18), a companion of `npm run bench`: workload c (S sessions x K
// echo calls at once) and e (one call of E progress events cut at half and resumed with
// Last-Event-ID) through the round-robin proxy, for 1 instance with the memory store, 1 with
// the file store, and 1, 2 and 4 instances sharing Redis. Prints one table; never part of
// `npm test`.
//   npm run build && node --conditions=mcpwire-source --import tsx test/scale/bench.ts [--small]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { startServe, stopped, type ServeProcess } from '../serve-process.ts';
import { missingBuild } from './cluster.ts';
import { openSession, SseReader, type Session } from './mcp-http.ts';
import { startProxy } from './proxy.ts';

const small = process.argv.includes('--small');
const SESSIONS = small ? 10 : 50;
const CALLS = small ? 20 : 200;
const EVENTS = small ? 1_000 : 10_000;

interface Row { config: string; instances: number; callsPerSec: number; resumeMs: number; exact: boolean }

async function echoCalls(session: Session, n: number, tag: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = i + 1;
    const res = await session.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: `${tag}-${i}` } } });
    const reply = await new SseReader(res).until((m) => m.id === id);
    if (reply?.message?.result?.content?.[0]?.text !== `${tag}-${i}`) throw new Error(`echo ${tag}-${i} came back wrong`);
  }
}

/** Workload c: calls/s over SESSIONS x CALLS concurrent echo calls. */
async function workloadC(url: string): Promise<number> {
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => openSession(url)));
  const start = performance.now();
  await Promise.all(sessions.map((s, i) => echoCalls(s, CALLS, i)));
  return (SESSIONS * CALLS) / ((performance.now() - start) / 1000);
}

/** Workload e: cut after EVENTS/2 progress events, resume; ms from the GET to the result, and exactly-once. */
async function workloadE(url: string): Promise<{ ms: number; exact: boolean }> {
  const session = await openSession(url);
  const cut = new AbortController();
  const res = await session.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: EVENTS }, _meta: { progressToken: 'e' } } }, cut.signal);
  const first = new SseReader(res);
  await first.until((m) => m.method === 'notifications/progress' && m.params.progress >= EVENTS / 2, 60_000);
  const lastId = first.events.findLast((e) => e.id)!.id!;
  cut.abort();
  await first.cancel();
  const start = performance.now();
  const rest = new SseReader(await session.get(lastId));
  await rest.until((m) => m.id === 1, 60_000);
  const ms = performance.now() - start;
  const steps = [...first.events, ...rest.events].flatMap((e) => (e.message?.method === 'notifications/progress' ? [e.message.params.progress as number] : []));
  return { ms, exact: steps.length === EVENTS && steps.every((v, i) => v === i + 1) };
}

async function measure(config: string, argsFor: (i: number) => string[], instances: number): Promise<Row> {
  const servers: ServeProcess[] = [];
  const proxy = await startProxy();
  try {
    for (let i = 0; i < instances; i++) servers.push(await startServe([...argsFor(i), '--allowed-hosts', proxy.allowedHosts]));
    proxy.setBackends(servers.map((s) => Number(new URL(s.url).port)));
    try {
      const callsPerSec = await workloadC(proxy.url);
      const e = await workloadE(proxy.url);
      return { config, instances, callsPerSec, resumeMs: e.ms, exact: e.exact };
    } finally {
      await Promise.all(servers.map((s) => stopped(s.child, 'SIGTERM')));
    }
  } finally {
    await proxy.close();
  }
}

const missing = missingBuild();
if (missing) {
  console.log(`skipped: ${missing}`);
  process.exit(0);
}
const redis = await startTestRedis();
const rows: Row[] = [];
const state = await mkdtemp(join(tmpdir(), 'mcpwire-scale-bench-'));
try {
  rows.push(await measure('memory store', () => [], 1));
  rows.push(await measure('file store', () => ['--state', state], 1));
  if (redis) {
    for (const n of [1, 2, 4]) rows.push(await measure('Redis', () => ['--redis', redis.url, '--redis-prefix', `bench${n}:`], n));
  }
} finally {
  await redis?.stop();
  await rm(state, { recursive: true, force: true });
}
const memory = rows[0]!.callsPerSec;
console.log(`scale-out bench: c = ${SESSIONS} sessions x ${CALLS} echo calls at once; e = ${EVENTS} events cut at half; through a round-robin proxy`);
console.log('| store | instances | c calls/s | vs memory | µs/call vs memory | e resume ms | exactly once |');
console.log('|:--|--:|--:|--:|--:|--:|:--|');
for (const r of rows) {
  const extraUs = (1e6 / r.callsPerSec - 1e6 / memory).toFixed(0);
  console.log(`| ${r.config} | ${r.instances} | ${r.callsPerSec.toFixed(0)} | ${(r.callsPerSec / memory).toFixed(2)}x | ${extraUs} | ${r.resumeMs.toFixed(0)} | ${r.exact ? 'yes' : 'NO'} |`);
}
