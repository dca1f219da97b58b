// `plan` as the article's multi-agent section describes: the plan is shown and approved
// before anything with side effects runs, steps with a dependency run in order, the others
// in parallel, and the answer counts honestly.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir, type Server, answerModel, bookWithDefaults } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const orchestration = suite('plan: approval, order, parallelism');

orchestration.before(async () => {
  dir = await tempDir('mcpwire-plan-orch-');
  server = await startServer({ state: join(dir.path, 'server'), stepMs: 30 });
});
orchestration.after(async () => {
  await killAll();
  await dir.remove();
});

orchestration('not approved: the plan is shown, nothing is called', async () => {
  const host = spawnHost(['--url', server.url, '--state', join(dir.path, 'host-a')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan a research trip to Tokyo');
  await c.expect(/Plan for "a research trip to Tokyo" \(rules\): 2 calls in parallel\n {2}1\. Trip to Tokyo: travel_agent \{"destination":"Tokyo"\} on 127\.0\.0\.1:\d+\n {2}2\. Research: Tokyo: research_agent \{"topic":"Tokyo"\}/);
  await c.expect(/This plan has side effects \(travel_agent, research_agent\)\./);
  await c.expect(/Run it\? \[y\/N\]:/, 'n');
  await c.expect(/══ Plan: "a research trip to Tokyo" not run: not approved \(nothing was called\)/, 'quit');
  assert.is(await host.exited(), 0);
  assert.not.match(host.out(), /▶ #\d/, 'no call started');
});

orchestration('--exec without --yes and nobody to ask: not approved, exit 1, nothing called', async () => {
  const p = spawnHost(['--url', server.url, '--state', join(dir.path, 'host-x'), '--json', '--exec', 'plan a trip to Rome']);
  p.end();
  assert.is(await p.exited(), 1);
  const doc = JSON.parse(p.out());
  assert.equal(doc, { ok: false, error: { code: 'not_approved', message: 'the plan has side effects and was not approved (answer "y", or pass --yes)' } });
  assert.not.match(p.err(), /▶ #\d/);
});

orchestration('"then": the trip waits for the research; approved, both done, sources cited', async () => {
  const host = spawnHost(['--url', server.url, '--state', join(dir.path, 'host-b')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan research Tokyo trains then book a trip to Tokyo');
  await c.expect(/Plan for "research Tokyo trains then book a trip to Tokyo" \(rules\): 2 calls\n {2}1\. Research: Tokyo trains: research_agent \{"topic":"Tokyo trains"\}[^\n]*\n {2}2\. Trip to Tokyo: travel_agent \{"destination":"Tokyo"\}[^\n]*, after 1\n/);
  await c.expect(/Run it\? \[y\/N\]:/, 'y');
  await answerModel(c, '', 20_000);
  await c.expect(/→ step 2 \(Trip to Tokyo\) starts: what it needs is done/);
  await bookWithDefaults(c);
  await answerModel(c, '');
  const done = await c.expect(/══ Plan: [^\n]*: 2 of 2 steps done[\s\S]*?\nSources:\n((?: {2}\[\d+(?:\.\d+)?\] agents:.*\n)+)/, undefined, 20_000);
  assert.match(done[0], /1\. Research: Tokyo trains \(research_agent on [^)]*\)\n {2}Research on "Tokyo trains"[^\n]*:\n\n {2}[^\n]*Tokyo[^\n]*\[1\.1\]/);
  assert.match(done[0], /2\. Trip to Tokyo \(travel_agent on [^)]*\)\n {2}Booked: London → Tokyo/);
  assert.match(done[1]!, /\[1\] agents:\/\/reports\//);
  assert.match(done[1]!, /\[2\] agents:\/\/bookings\//);
  assert.match(done[1]!, /\[1\.1\] agents:\/\/corpus\//);
  host.send('quit');
  assert.is(await host.exited(), 0);
  // Order: the trip's first line comes after the research's last.
  const out = host.out();
  assert.ok(out.indexOf('▶ #2 travel_agent') > out.lastIndexOf('research_agent ████████████████████ 100%'), 'the trip started after the research finished');
});

orchestration.run();
