// Issue #11 defect 4: a server killed during a plan is noticed in seconds (a ping probe with a
// short timeout, a refused connection), the step is redirected, and the form the person
// answered while the dead server waited is carried with the step: the other server's copy of
// the same question is answered from it, and the person is asked once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { all, conversation, killAll, spawnHost, startServer, tempDir, answerModel } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const failover = suite('plan: failover in seconds, answers carried');

failover.before(async () => { dir = await tempDir('mcpwire-plan-failover-'); });
failover.after(async () => {
  await killAll();
  await dir.remove();
});

failover('approve the plan, kill the server while its form is open, answer: redirected within seconds, not asked again', async () => {
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 20 });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 20 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { 'agents-a': { url: a.url }, 'agents-b': { url: b.url } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, 'host')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan a trip to Rome');
  await c.expect(/This plan has side effects \(travel_agent\)\./);
  await c.expect(/Run it\? \[y\/N\]:/, 'y');
  await c.expect(/\? #1 travel_agent@agents-a asks:/);
  // The person fills the form in; the server dies before they send it, and they send it. The
  // kill came before the first of five answers, and under load the plan's probe redirected the
  // step before the first was typed (hostwalk19): one prompt is left between kill and answer.
  await c.expect(/Answer\?/, 'a');
  await c.expect(/Book this trip \(yes\/no\)/, 'yes');
  await c.expect(/Fare class/, 'business');
  await c.expect(/Notes/, 'aisle seat');
  await c.expect(/Send\?/);
  await a.kill9();
  const killed = Date.now();
  host.send('');
  await c.expect(/↪ agents-a stopped answering \([^\n]*connection refused[^\n]*\); redirecting travel_agent to agents-b with your answers \(#1 on agents-a ends; it will not be resumed\)/, undefined, 15_000);
  const redirectedAfterMs = Date.now() - killed;
  // hostwalk18's walk: the lost-contact line said the step was kept and would resume, then a
  // `⊘ ... the plan moved this step` line came before the `↪` line that gave its reason.
  assert.match(host.out(), /⚠ lost contact with agents-a \([^\n]*\); its plan moves travel_agent to another server if it does not answer\n/);
  assert.not.match(host.out(), /kept and resumes|⊘ #1/);
  await c.expect(/\? #2 travel_agent@agents-b asks:\n[\s\S]*?↺ the same question this plan step asked before it was redirected; sent your earlier answer \(accept\)/);
  await answerModel(c, '');
  const done = await c.expect(/══ Plan: "a trip to Rome" \(rules\): 1 of 1 step done[\s\S]*?Sources:/, undefined, 20_000);
  assert.match(done[0], /1\. Trip to Rome \(travel_agent on agents-b, after agents-a failed\)\n {2}Booked: London → Rome/);
  assert.match(done[0], /business/);
  assert.match(done[0], /Notes: aisle seat/);
  host.send('quit');
  assert.is(await host.exited(), 0);
  assert.ok(redirectedAfterMs < 10_000, `redirected ${redirectedAfterMs} ms after the kill`);
  assert.is(all(host.out(), /Answer\? \[a\]ccept/).length, 1, 'the form was shown once');
  await b.stop();
});

failover.run();
