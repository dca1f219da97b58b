// A plan finished by the next run (hostwalk6, session 23): the step whose call the earlier run
// left in flight was resumed and then only waited for. When its server was killed -9 after the
// resume, the step was not moved to the other server offering the tool (as a step of a plan
// made in this run is, in about a second): it waited while the transport tried to reconnect,
// minutes. The resumed call is now watched and redirected like any step's call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const redirect = suite('host: a plan step resumed by the next run is redirected when its server dies');

redirect.before(async () => { dir = await tempDir('mcpwire-host-plan-resume-redirect-'); });
redirect.after(async () => {
  await killAll();
  await dir.remove();
});

redirect('kill -9 of the host mid-step, then of the step\'s server after the next run resumed it: the step moves on and is done once', async () => {
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 500 });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 100 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { a: { url: a.url }, b: { url: b.url } } }));
  const state = join(dir.path, 'host');
  try {
    const first = spawnHost(['--config', config, '--state', state, '--yes']);
    const c = conversation(first);
    await c.expect(/Type "help"/, 'plan a trip to Lisbon');
    await c.expect(/1\. Trip to Lisbon: travel_agent \{[^\n]*\} on a \(then b\)/);
    // No wait for files: the host shows nothing of a call before it is on disk (write-ahead).
    await c.expect(/#1 travel_agent@a [█░]+ +\d+% \(1\/10\)/, undefined, 30_000);
    first.kill('SIGKILL');
    await first.exited();

    const again = spawnHost(['--config', config, '--state', state, '--yes']);
    const d = conversation(again);
    await d.expect(/An earlier run left the plan "a trip to Lisbon" unfinished/);
    await d.expect(/↻ step 1 \(Trip to Lisbon\) follows #1 on a/, undefined, 30_000);
    // Past the form (accepted by --yes in this run): the answer must travel with the step.
    await d.expect(/#1 travel_agent@a [█░]+ +\d+% \(7\/10\)/, undefined, 30_000);
    await a.kill9();
    // Before: nothing within this bound (the call waited for a to come back).
    await d.expect(/↪ a stopped answering [^\n]*; redirecting travel_agent to b/, undefined, 30_000);
    await d.expect(/\? #2 travel_agent@b asks:\n {2}↺ the same question this plan step asked before it was redirected; sent your earlier answer \(accept\)/, undefined, 30_000);
    await d.expect(/══ Plan: "a trip to Lisbon" \(rules\): 1 of 1 steps? done/, 'quit', 30_000);
    await d.expect(/1\. Trip to Lisbon \(travel_agent on b, after a failed\)/);
    assert.is(await again.exited(), 0);
    assert.is(again.out().match(/Booked: reference/g)?.length, 1, 'booked once, on b');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

redirect.run();
