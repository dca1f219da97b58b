// stdio servers whose 2026-07-28 task pushes (notifications/tasks on a listen) break a rule: sent
// to a listen that did not name the task, or short of the task fields: each found with exactly its rule.
import * as assert from 'uvu/assert';
import { stdioFaultSuite } from '../../test/support/stdio-fault-suite.ts';
import { STDIO_TASK_PUSH_MODES } from './stdio-server.ts';

stdioFaultSuite('check finds each seeded stdio task push fault', STDIO_TASK_PUSH_MODES, (mode, details) => {
  if (mode === 'task-push-partial') assert.match(details, /^tasks\.schema: the params of a notifications\/tasks push \(status "working"\) on the listen naming task \S+ does not match ext-tasks TaskStatusNotificationParams: \(top\) must have required property 'createdAt'/);
  else assert.match(details, /^modern\.listen-filter: a listen asking \{"toolsListChanged":true\} \(no taskIds\), open while task \S+ was polled, carried \d+ notifications\/tasks/);
});
