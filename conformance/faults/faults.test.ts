// Proof that `mcpwire check` finds defects: each deliberately broken server is reported with
// exactly its seeded rule (no other MUST or SHOULD failure), and the unbroken one with none.
// The protocol faults are in faults-protocol.test.ts, the 2026-07-28 ones in faults-modern.test.ts
// (split for the runner's bound per file).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FAULTS } from './servers.ts';
import { checkHttpFault } from './http-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';

const faults = suite('check finds each seeded fault');

faults('the unbroken server fails no MUST or SHOULD rule; its listen, asking a resource, heard the trigger\'s change to it; its answers got 202', async () => {
  const { failed, listenPasses, taskListenPasses, acceptedPasses, zeroIdPasses, cancelPasses, removedPasses, taskSchemaPasses, outsidePasses, passIds, findings } = await checkHttpFault(undefined);
  assert.equal(failed, []);
  // Session 31: consult offered tools in sampling to the driven client (sampling.tools declared), and none to a client without.
  const samplingTools = findings.filter((f) => f.id === 'capability.sampling-tools').map((f) => `${f.outcome} ${f.era}: ${f.detail}`).sort();
  assert.equal(samplingTools, [
    'pass legacy: consult sent no sampling/createMessage offering tools to a client that declared sampling without sampling.tools',
    'pass modern: consult asked no sampling/createMessage offering tools of a client whose _meta clientCapabilities declared sampling without sampling.tools',
  ]);
  // Session 31 (checkwalk16): the model asked for open_note once per era, and consult answered with a tool_result message.
  const toolResults = findings.filter((f) => f.id === 'sampling.tool-results').map((f) => `${f.outcome} ${f.era}: ${f.detail}`).sort();
  assert.equal(toolResults, ['legacy', 'modern'].map((era) => `pass ${era}: the model's tool_use mcpwire-check-tool-use-1 was answered by a user message of tool results only, with its toolUseId`));
  // Session 28: the driven 2026-07-28 session (which opens no listen) got no change notification either.
  assert.ok(outsidePasses.some((d) => /^the driven session \(no listen opened\): none of the server's \d+ message\(s\) was a list change, resource update or task push$/.test(d)), outsidePasses.join('\n'));
  // Session 27: no message of its 2026-07-28 session was a JSON-RPC request of its own.
  assert.ok(passIds.includes('modern.server-request'), 'the modern session was read for server requests, and had none');
  // Session 27: no reply to a modern request other than a listen carried a list change, resource update or task push.
  assert.ok(passIds.includes('modern.notification-outside-listen'), 'the replies outside listens were read, and carried no change notification');
  // Session 27: a listen naming the polled task carried its status pushes, each a TaskStatusNotification.
  assert.equal(taskSchemaPasses, ['every CancelTaskResult, CreateTaskResult, GetTaskResult, TaskStatusNotificationParams, UpdateTaskResult matched the ext-tasks schema']);
  // Session 26: its task answers (the CreateTaskResult, each tasks/get, the tasks/cancel) matched the ext-tasks schema.
  assert.ok(passIds.includes('tasks.schema'), 'the task answers were held to the ext-tasks schema, and passed');
  // Session 26: every file of its skill and of the skill nested in it read back with the digest and size skills/list gives.
  assert.ok(passIds.includes('skills.digest'), 'the skill files were read and matched their digests and sizes');
  // Session 26: a 2026-07-28 request without _meta clientCapabilities was refused with 400 and -32602.
  assert.ok(passIds.includes('modern.meta-required'), 'the missing clientCapabilities was refused');
  // Session 26: a listen naming no task, open while the check polled a task to its end, carried no notifications/tasks.
  assert.ok(taskListenPasses.length === 1 && /^a listen asking \{"toolsListChanged":true\} \(no taskIds\), open while task \S+ was polled to its end, carried no notifications\/tasks$/.test(taskListenPasses[0]!), taskListenPasses.join('\n'));
  // Session 25: the task methods the tasks extension removed are unknown in a 2026-07-28 request.
  assert.ok(passIds.includes('skills.unknown-uri'), 'the skills probe ran on the skill the clean server serves, and passed');
  for (const method of ['tasks/result', 'tasks/list']) assert.ok(removedPasses.includes(`${method} (tasks extension declared): 404 with -32601`), removedPasses.join('\n'));
  // Session 23: the id-0 probe ran, and passed, in both eras.
  assert.equal([...zeroIdPasses].sort(), ['legacy: a request with the id 0 was answered with the id 0', 'modern: server/discover with the id 0 was answered with the id 0']);
  // Session 24: a call cancelled while running got no response, with the check's own id and with the id 0 (a session of its own).
  assert.ok(cancelPasses.some((d) => /^legacy: tools\/call of settle, cancelled while running, got no response/.test(d)), cancelPasses.join('\n'));
  assert.ok(cancelPasses.some((d) => /^legacy: tools\/call of settle with the id 0, cancelled while running, got no response/.test(d)), cancelPasses.join('\n'));
  // Session 22: the notification and the POSTed answer to ask_name's elicitation each got 202.
  assert.equal(acceptedPasses, ['notifications/initialized got 202', 'the answer to elicitation/create (asked by ask_name) got 202']);
  assert.equal(listenPasses.length, 1);
  assert.match(listenPasses[0]!, /"resourceSubscriptions":\["fault:\/\/notes\/readme"\]/);
  assert.match(listenPasses[0]!, /the trigger tool touch was called \(answered\); 1 notification\(s\) came/);
});

/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(FAULTS, checkHttpFault);
for (const fault of FAULTS) {
  faults(`${fault.name} (${fault.defect}) is found as ${fault.expect}, and nothing else`, async () => {
    const { failed, unexplained } = await checked(fault);
    assert.ok(failed.length > 0, 'found something');
    assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], [fault.expect], failed.join('\n'));
    // Session 30: each failure shows what was sent and what came back.
    assert.equal(unexplained, [], 'failures without an exchange');
  });
}

faults.run();
