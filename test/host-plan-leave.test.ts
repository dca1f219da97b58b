// A plan lives as long as the run that made it (hostwalk, session 17). Leaving mid-plan with
// "detach" cancelled the plan's calls on the server although the question promised "it goes
// on; resume it next time", and nothing said that the plan's later steps would not run; after
// kill -9 the next run offered the step's call with no word of its plan.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
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
 * Resolves once the host's state in `state` holds the running step: its resumption entry
 * (tokens/*.json) with the id of an event it has seen (`lastEventId`), and its call record
 * naming the plan (history.json). They are written a moment after the call starts and after
 * each event (coalesced writes), and a kill -9 before that leaves nothing to resume from: on a
 * loaded machine the first progress line is on screen first. Polled: a file landing on disk
 * fires no event here. Bounded by `ms`.
 */
async function stepSaved(state: string, ms = 10_000): Promise<void> {
  const read = (file: string) => readFile(file, 'utf8').catch(() => '');
  for (const until = Date.now() + ms; Date.now() < until;) {
    const tokens = await readdir(join(state, 'tokens')).catch(() => [] as string[]);
    const journalled = (await Promise.all(tokens.filter((f) => f.endsWith('.json')).map((f) => read(join(state, 'tokens', f))))).some((t) => t.includes('urban heat') && t.includes('"lastEventId"'));
    if (journalled && (await read(join(state, 'history.json'))).includes(GOAL)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the host did not save the running step under ${state} within ${ms} ms`);
}

/** The next run on `state` offers the step's call naming its plan, says the plan is over, follows the call to its end and leaves. */
async function nextRunResumesStep(url: string, state: string): Promise<void> {
  const again = spawnHost(['--url', url, '--state', state, '--yes']);
  const d = conversation(again);
  await d.expect(new RegExp(`#1 research_agent \\{"topic":"urban heat"\\} on \\S+, started [^\\n]* ago \\(step 1 of 2 of the plan "${GOAL}"\\)`));
  await d.expect(/A plan lasts as long as the run that made it/);
  await d.expect(/✓ #1 research_agent\S* finished/, 'quit', 30_000);
  assert.is(await again.exited(), 0);
}

leave('quit and detach: the step\'s call goes on and is resumed next time, and the plan says its later steps will not run', async () => {
  const server = await startServer({ state: `${dir.path}/server-quit`, stepMs: 400 });
  const state = `${dir.path}/host-quit`;
  try {
    const host = spawnHost(['--url', server.url, '--state', state, '--yes']);
    const c = conversation(host);
    await c.expect(/Type "help"/, `plan ${GOAL}`);
    await c.expect(/#1 research_agent [█░]+ +\d+% \(1\/\d+\)/, 'quit');
    await c.expect(/still running: \[d\]etach/, 'd');
    await c.expect(new RegExp(`⊘ The plan "${GOAL}" ends with this run: its calls in flight are kept for "resume", but its steps not yet started will not run`));
    await c.expect(/👋 Goodbye\. 1 call goes on on the server/);
    assert.is(await host.exited(), 0);
    assert.not.match(host.out(), /Research: urban heat \(research_agent[^\n]*: cancelled/, host.out());

    await nextRunResumesStep(server.url, state);
  } finally {
    await server.stop();
  }
});

leave('kill -9 of the host mid-plan: the next run names the plan the call was a step of', async () => {
  const server = await startServer({ state: `${dir.path}/server-kill`, stepMs: 400 });
  const state = `${dir.path}/host-kill`;
  try {
    const host = spawnHost(['--url', server.url, '--state', state, '--yes']);
    const c = conversation(host);
    await c.expect(/Type "help"/, `plan ${GOAL}`);
    await c.expect(/#1 research_agent [█░]+ +\d+% \(1\/\d+\)/);
    await stepSaved(state);
    host.kill('SIGKILL');
    await host.exited();

    await nextRunResumesStep(server.url, state);
  } finally {
    await server.stop();
  }
});

leave.run();
