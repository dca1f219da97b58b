// Leaving mid-plan in 2026-07-28 (hostwalk8, session 25): a call there has no stream to resume,
// so leaving cancels it. The host then said "The plan ... is kept: its calls in flight go on"
// just after saying each was cancelled, and told the person to "run it again next time" of a
// step the next start would not run again (its tool may change something and it has no
// idempotency key). The lines now say what was cancelled and what the next start will do.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const leave = suite('host: leaving a plan in 2026-07-28 says what becomes of its steps');
leave.before(async () => { dir = await tempDir('mcpwire-host-plan-leave-modern-'); });
leave.after(async () => {
  await killAll();
  await dir.remove();
});

const GOAL = 'a trip to Lisbon and research urban trees';

leave('quit mid-plan: the calls cancelled are named, and the next start runs again only the safe step', async () => {
  const server = await startServer({ state: join(dir.path, 'server'), stepMs: 400 });
  const args = ['--url', server.url, '--name', 'a', '--state', join(dir.path, 'host'), '--yes', '--era', 'modern'];
  try {
    const first = spawnHost(args);
    const c = conversation(first);
    await c.expect(/Type "help"/, `plan ${GOAL}`);
    await c.expect(/#2 research_agent [█░]+ +\d+% \(1\/\d+\)/, 'quit', 30_000);
    await c.expect(/still running: \[d\]etach \(not resumable next time[^\n]*\) or \[c\]ancel\?/, 'd');
    await c.expect(/👋 Goodbye/);
    assert.is(await first.exited(), 0);
    const out = first.out();
    // Before: "its calls in flight go on", and "run it again next time" for each call.
    assert.not.match(out, /its calls in flight go on/);
    assert.not.match(out, /run it again next time/);
    assert.match(out, /⊘ #1 travel_agent cancelled on leaving: it could not be resumed later \([^\n]*\); the plan's next start runs its step again where that is safe/);
    // Session 26: the reason is the era's, as the detach line and the quit question give it;
    // it said "the server gave no point to resume its stream from" of a 2026-07-28 call.
    assert.match(out, /⊘ #1 travel_agent cancelled on leaving: it could not be resumed later \(2026-07-28 calls have no stream to resume\)/);
    // hostwalk20's leftover: it said "a cancelled step runs again only where that is safe" of
    // both; it names each step's outcome, as the next start's offer does.
    assert.match(out, new RegExp(`⊘ The plan "${GOAL}" stops with this run and is kept: #1, #2 could not be resumed and were cancelled; the next start offers to finish it: #1's step runs again \\(the step has an idempotency key\\), #2's step is not run again \\(research_agent may change something and the step has no idempotency key\\), then the steps not yet started and the combined answer`));

    // What the next start does matches what was said: step 1 (its key) runs again, step 2 does not.
    const again = spawnHost(args);
    const d = conversation(again);
    await d.expect(/══ Plan: [^\n]* 1 of 2 steps done/, 'quit', 60_000);
    assert.is(await again.exited(), 0);
    assert.match(again.out(), /▶ #3 travel_agent \{"destination":"Lisbon"/);
    // Since session 26 the call's record keeps why it was cancelled, and the step says it.
    assert.match(again.out(), /not done: #2 cancelled on leaving: it could not be resumed later; not run again: research_agent may change something/);
    // The step run again names the call the first run cancelled (session 26).
    assert.match(again.out(), /1\. Trip to Lisbon \(travel_agent on a; #1 on a was cancelled on leaving\)/);
  } finally {
    await server.stop();
  }
});

leave.run();
