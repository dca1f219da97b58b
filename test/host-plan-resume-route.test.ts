// A plan finished by the next run named only the server of the last attempt of a step an
// earlier run had redirected (hostwalk6's leftover, session 23): "on b", not "on b, after a
// failed". A step's route was kept in plans.json only once the step ended. The servers a step
// leaves are now saved as they are left.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const route = suite('host: a step redirected in one run and ended in the next names every server it left');

route.before(async () => { dir = await tempDir('mcpwire-host-plan-resume-route-'); });
route.after(async () => {
  await killAll();
  await dir.remove();
});

route('a killed -9 mid-step, the step moved to b, the host killed on b: the next run\'s answer says "on b, after a failed"', async () => {
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 400 });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 400 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { a: { url: a.url }, b: { url: b.url } } }));
  const state = join(dir.path, 'host');
  try {
    const first = spawnHost(['--config', config, '--state', state, '--yes']);
    const c = conversation(first);
    await c.expect(/Type "help"/, 'plan a trip to Lisbon');
    await c.expect(/1\. Trip to Lisbon: travel_agent \{[^\n]*\} on a \(then b\)/);
    await c.expect(/#1 travel_agent@a [█░]+ +\d+% \(3\/10\)/, undefined, 30_000);
    await a.kill9();
    await c.expect(/↪ a stopped answering [^\n]*; redirecting travel_agent to b/, undefined, 30_000);
    await c.expect(/#2 travel_agent@b [█░]+ +\d+% \(3\/10\)/, undefined, 30_000);
    // What the kill leaves is what the next run reads: the step's detour is on disk by now.
    const kept = JSON.parse(await readFile(join(state, 'plans.json'), 'utf8')) as { plans: Array<{ left?: Array<Array<{ server: string }>> }> };
    assert.equal(kept.plans[0]?.left?.[0]?.map((r) => r.server), ['a'], 'the server left is in plans.json');
    first.kill('SIGKILL');
    await first.exited();

    const again = spawnHost(['--config', config, '--state', state, '--yes']);
    const d = conversation(again);
    await d.expect(/An earlier run left the plan "a trip to Lisbon" unfinished/);
    await d.expect(/↻ step 1 \(Trip to Lisbon\) follows #2 on b/, undefined, 30_000);
    await d.expect(/══ Plan: "a trip to Lisbon" \(rules\): 1 of 1 steps? done/, 'quit', 60_000);
    // Before: "(travel_agent on b)".
    await d.expect(/1\. Trip to Lisbon \(travel_agent on b, after a failed\)/);
    assert.is(await again.exited(), 0);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

route.run();
