// Ctrl+C at "Finish it?" (the offer of a plan an earlier run left) withdrew the question as
// "no", and "no" there drops the plan for good: its steps not yet started and its combined
// answer were lost by a key meant to mean "not now" (hostwalk8, session 25). A question left
// unanswered (Ctrl+C, or the input ending) now keeps the plan for the next start.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const offer = suite('host: Ctrl+C at a left plan\'s offer keeps the plan');
offer.before(async () => { dir = await tempDir('mcpwire-host-plan-offer-interrupt-'); });
offer.after(async () => {
  await killAll();
  await dir.remove();
});

const GOAL = 'research urban heat then research heat pumps';

offer('Ctrl+C at "Finish it?": the plan stays on record, and the next start offers it again', async () => {
  const server = await startServer({ state: join(dir.path, 'server'), stepMs: 400 });
  const args = ['--url', server.url, '--state', join(dir.path, 'host')];
  try {
    const first = spawnHost([...args, '--yes']);
    const c = conversation(first);
    await c.expect(/Type "help"/, `plan ${GOAL}`);
    await c.expect(/#1 research_agent [█░]+ +\d+% \(1\/\d+\)/, undefined, 30_000);
    first.kill('SIGKILL');
    await first.exited();

    const second = spawnHost(args);
    const d = conversation(second);
    await d.expect(new RegExp(`An earlier run left the plan "${GOAL}" unfinished`));
    // hostwalk9 (session 26): a typo there ("ys") was read as "no" and dropped the plan for
    // good; as at "Run it?", it is now asked again.
    await d.expect(/Finish it [^\n]*\[Y\/n\]:/, 'ys');
    await d.expect(/✗ type y or n\n[^\n]*Finish it [^\n]*\[Y\/n\]:/);
    second.kill('SIGINT');
    // Before: "The plan is dropped; its calls stay in "history"."
    await d.expect(/The plan stays on record: the next start offers it again/);
    // Its call in flight is the plan's: listed under the plan and answered by "Finish it?", not
    // asked about again under "Resume and show what you missed?" (hostwalk10's leftover).
    await d.expect(/Type "help"/, 'quit');
    assert.is(await second.exited(), 0);
    assert.not.match(second.out(), /The plan is dropped/);
    assert.not.match(second.out(), /Resume and show what you missed|An earlier run left 1 call in flight/, second.out());

    const third = spawnHost([...args, '--yes']);
    const e = conversation(third);
    await e.expect(new RegExp(`An earlier run left the plan "${GOAL}" unfinished`));
    await e.expect(new RegExp(`══ Plan: "${GOAL}" \\(rules\\): 2 of 2 steps done`), 'quit', 60_000);
    assert.is(await third.exited(), 0);
  } finally {
    await server.stop();
  }
});

offer.run();
