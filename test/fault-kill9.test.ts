// kill -9 at random points during calls with progress, in SSE and JSON reply modes, with
// `--state`: mcpwire's own client resumes and nothing is lost or duplicated (issue #10
// acceptance; the full 20-kill run is `npm run fault:kill9`). Real processes on 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describe, describeModern, freePort, random, runKill9 } from './fault-kill9.ts';
import { runModernKill9 } from './fault-kill9-modern.ts';

const test = suite('kill -9 at random points: the client resumes every call, nothing lost or duplicated');

for (const mode of ['sse', 'json'] as const) {
  test(`${mode} mode: 3 kills, 0 lost, 0 duplicated, 3/3 results`, async () => {
    const report = await runKill9({ mode, kills: 3, steps: 30, delayMs: 5, callTimeoutMs: 15_000 });
    const summary = `${describe(report)}${report.failures.map((f) => `\n  ${f}`).join('')}`;
    assert.is(report.results, 3, summary);
    assert.is(report.lost, 0, summary);
    assert.is(report.duplicated, 0, summary);
  });
}

// 2026-07-28: before, the client's task wait failed at the first tasks/get that met the
// restart (ECONNREFUSED, then 503 "starting"): 0 results although the server resumed the task.
test('2026-07-28 mode: 2 kills during a task with a listen on it, 2/2 results, none started twice, both listens back', async () => {
  const report = await runModernKill9({ kills: 2, port: await freePort(), next: random(2719), callTimeoutMs: 20_000 });
  const summary = `${describeModern(report)}${report.failures.map((f) => `\n  ${f}`).join('')}`;
  assert.is(report.results, 2, summary);
  assert.is(report.startedTwice, 0, summary);
  assert.is(report.relistened, 2, summary);
  assert.equal(report.failures, [], summary);
});

test.run();
