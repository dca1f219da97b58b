// Leaving mid-plan (hostwalk, session 17): "detach" cancelled the plan's calls on the server
// although the question promised "it goes on; resume it next time"; after kill -9 the next run
// offered the step's call with no word of its plan. Then (hostwalk2, session 18) a plan lived
// only as long as its run: its unstarted steps and combined answer were lost. Now the plan is
// kept (plans.json) and the next run finishes it: the call in flight resumed, the rest run.
// The resumed call is quiet as a new step's call is: its result shows once, in the answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const leave = suite('host: leaving in the middle of a plan');

leave.before(async () => { dir = await tempDir('mcpwire-host-plan-leave-'); });
leave.after(async () => {
  await killAll();
  await dir.remove();
});

const GOAL = 'research urban heat then research heat pumps';

/**
 * The next run on `state` offers the plan (step 1 in flight, step 2 not started; its call is
 * not offered again on its own), resumes the call, runs step 2 and prints the combined
 * answer; the plan is then off the record.
 */
async function nextRunFinishesPlan(url: string, state: string): Promise<void> {
  const again = spawnHost(['--url', url, '--state', state, '--yes']);
  const d = conversation(again);
  await d.expect(new RegExp(`An earlier run left the plan "${GOAL}" unfinished`));
  await d.expect(/ {2}1\. [^\n]*research_agent · in flight on \S+ \(#1\)\n {2}2\. [^\n]*research_agent · not started/);
  await d.expect(/▶ #2 research_agent \{"topic":"heat pumps"/, undefined, 30_000);
  await d.expect(new RegExp(`══ Plan: "${GOAL}" \\(rules\\): 2 of 2 steps done`), 'quit', 30_000);
  assert.is(await again.exited(), 0);
  // The resumed step's call is the plan's, as a new step's is: its result shows once, in the
  // plan's answer (it was also printed whole when the call ended: session 28).
  assert.not.match(again.out(), /✓ #1 research_agent/);
  assert.is(again.out().match(/Research on "urban heat"/g)?.length, 1, again.out());
  assert.not.match(again.out(), /A plan lasts as long as the run that made it/);
  assert.not.match(again.out(), /An earlier run left 1 call in flight/, 'the plan\'s call is offered with its plan, once');
  assert.is(again.out().match(/▶ #\d+ research_agent \{"topic":"urban heat"/g), null, 'step 1 is not started again');
  assert.is(await readFile(join(state, 'plans.json'), 'utf8').then(() => 'kept', () => 'gone'), 'gone', 'the finished plan is off the record');
}

leave('quit and detach: the step\'s call goes on, the plan is kept, and the next run finishes it', async () => {
  const server = await startServer({ state: `${dir.path}/server-quit`, stepMs: 400 });
  const state = `${dir.path}/host-quit`;
  try {
    const host = spawnHost(['--url', server.url, '--state', state, '--yes']);
    const c = conversation(host);
    await c.expect(/Type "help"/, `plan ${GOAL}`);
    await c.expect(/#1 research_agent [█░]+ +\d+% \(1\/\d+\)/, 'quit');
    await c.expect(/still running: \[d\]etach/, 'd');
    await c.expect(new RegExp(`⊘ The plan "${GOAL}" stops with this run and is kept: its calls in flight go on, and the next start offers to finish it`));
    await c.expect(/👋 Goodbye\. 1 call goes on on the server/);
    assert.is(await host.exited(), 0);
    assert.not.match(host.out(), /Research: urban heat \(research_agent[^\n]*: cancelled/, host.out());

    await nextRunFinishesPlan(server.url, state);
  } finally {
    await server.stop();
  }
});

leave('kill -9 of the host mid-plan: the next run names the plan, resumes its step and finishes it', async () => {
  const server = await startServer({ state: `${dir.path}/server-kill`, stepMs: 400 });
  const state = `${dir.path}/host-kill`;
  try {
    const host = spawnHost(['--url', server.url, '--state', state, '--yes']);
    const c = conversation(host);
    await c.expect(/Type "help"/, `plan ${GOAL}`);
    // No wait for files: the host shows nothing of a call before it is on disk (write-ahead).
    await c.expect(/#1 research_agent [█░]+ +\d+% \(1\/\d+\)/);
    host.kill('SIGKILL');
    await host.exited();

    await nextRunFinishesPlan(server.url, state);
  } finally {
    await server.stop();
  }
});

leave.run();
