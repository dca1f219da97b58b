// stdio servers whose 2026-07-28 task pushes (notifications/tasks on a listen) break a rule: sent
// to a listen that did not name the task, or short of the task fields: each found with exactly its rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from './stdio-fault-check.ts';
import { STDIO_FAULTS, STDIO_TASK_PUSH_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio task push fault');

for (const mode of STDIO_TASK_PUSH_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { failedRules, details } = await checkStdioFault(mode);
    assert.equal(failedRules, [rule], details);
  });
}

stdio.run();
