// hostwalk8's leftover (session 26): in 2026-07-28 a step moved from a to b and then cancelled
// on leaving (no stream to resume) was run again on a by the next start, whose answer said
// "(travel_agent on a, after a failed)": the attempt on b, which the person was told was
// cancelled, was missing from the step's route. The route of a step run again now names the
// call the earlier run cancelled, with its server and number.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const moved = suite('host: a step moved to another server, then cancelled on leaving, is named with both servers');
moved.before(async () => { dir = await tempDir('mcpwire-host-plan-leave-moved-'); });
moved.after(async () => {
  await killAll();
  await dir.remove();
});

moved('2026-07-28: a killed mid-step, the step on b cancelled by quit, run again on a: "after a failed; #2 on b was cancelled on leaving"', async () => {
  let a = await startServer({ state: join(dir.path, 'a'), stepMs: 400 });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 400 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { a: { url: a.url }, b: { url: b.url } } }));
  const args = ['--config', config, '--state', join(dir.path, 'host'), '--yes', '--era', 'modern'];
  try {
    const first = spawnHost(args);
    const c = conversation(first);
    await c.expect(/Type "help"/, 'plan a trip to Lisbon');
    await c.expect(/1\. Trip to Lisbon: travel_agent \{[^\n]*\} on a \(then b\)/);
    await c.expect(/#1 travel_agent@a [█░]+ +\d+% \(2\/10\)/, undefined, 30_000);
    await a.kill9();
    await c.expect(/↪ [^\n]*\ba\b[^\n]*(?:; r|\? R)edirecting travel_agent to b/, undefined, 30_000);
    await c.expect(/#2 travel_agent@b [█░]+ +\d+% \(1\/10\)/, 'quit', 30_000);
    await c.expect(/still running: \[d\]etach [^\n]* or \[c\]ancel\?/, 'd');
    await c.expect(/⊘ #2 travel_agent@b cancelled on leaving/);
    await c.expect(/👋 Goodbye/);
    assert.is(await first.exited(), 0);

    a = await startServer({ state: join(dir.path, 'a'), port: a.port, stepMs: 40 });
    const again = spawnHost(args);
    const d = conversation(again);
    await d.expect(/══ Plan: "a trip to Lisbon" \(rules\): 1 of 1 steps? done/, 'quit', 60_000);
    assert.is(await again.exited(), 0);
    // Before: "(travel_agent on a, after a failed)".
    assert.match(again.out(), /1\. Trip to Lisbon \(travel_agent on a, after a failed; #2 on b was cancelled on leaving\)/);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

moved.run();
