// A plan step resumed by the next run, on the only server offering its tool, whose call then
// ended cut off (the transport gave up reconnecting): the step ran again, but the cut-off call
// stayed in the tokens file, so the start after offered to resume it as a call of its own
// (hostwalk6's leftover, session 23). The step now leaves it behind for good. The reconnect
// budget that made this minutes away is `--reconnect-attempts` (default 60); 1 here. The call
// left behind also kept "kept" in the history (hostwalk7's leftover, session 24): it is ended
// there too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const cutoff = suite('host: a resumed plan step whose call ends cut off is not offered again');

cutoff.before(async () => { dir = await tempDir('mcpwire-host-plan-resume-cutoff-'); });
cutoff.after(async () => {
  await killAll();
  await dir.remove();
});

cutoff('host killed mid-step; the next run resumes it; the server killed -9: the start after offers nothing', async () => {
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 400 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { a: { url: a.url } } }));
  const state = join(dir.path, 'host');
  let b: Awaited<ReturnType<typeof startServer>> | undefined;
  const args = ['--config', config, '--state', state, '--yes', '--reconnect-attempts', '1'];
  try {
    const first = spawnHost(args);
    const c = conversation(first);
    await c.expect(/Type "help"/, 'plan a trip to Lisbon');
    await c.expect(/#1 travel_agent(?:@a)? [█░]+ +\d+% \(3\/10\)/, undefined, 30_000);
    first.kill('SIGKILL');
    await first.exited();

    const again = spawnHost(args);
    const d = conversation(again);
    await d.expect(/↻ step 1 \(Trip to Lisbon\) follows #1 on a/, undefined, 30_000);
    await d.expect(/#1 travel_agent(?:@a)? [█░]+ +\d+% \([4-9]\/10\)/, undefined, 30_000);
    await a.kill9();
    // The step is repeatable (its idempotency key), so it runs again: on a, which is gone.
    await d.expect(/↪ #1 was cut off [^\n]*; it is left behind and the step runs again/, undefined, 30_000);
    await d.expect(/══ Plan: "a trip to Lisbon" \(rules\): 0 of 1 steps? done/, 'quit', 60_000);
    assert.is(await again.exited(), 0);

    // a back on its port and state: a call still on record would be resumed now.
    b = await startServer({ state: join(dir.path, 'a'), stepMs: 400, port: a.port });
    const third = spawnHost(args);
    const e = conversation(third);
    await e.expect(/Type "help"/, 'history');
    // Before (hostwalk7's leftover): "#1 travel_agent@a · kept", as if "resume 1" could follow it.
    const line = await e.expect(/#1 travel_agent@a · (\w+)[^\n]*/);
    assert.is(line[1], 'cancelled', line[0]);
    assert.match(line[0], /left behind: the step ran again/);
    e.type('quit');
    assert.is(await third.exited(), 0);
    // Before: "An earlier run left 1 call in flight:" naming #1, and "↻ #1 travel_agent ... resumed".
    assert.not.match(third.out(), /left 1 call in flight/);
    assert.not.match(third.out(), /↻ #1 travel_agent/);
  } finally {
    await Promise.all([a.stop(), b?.stop()]);
  }
});

cutoff.run();
