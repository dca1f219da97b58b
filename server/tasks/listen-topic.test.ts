// The tasks listen topic delivers a task's changes only to its owner. The owner was compared
// by subject alone: with two trusted issuers, `alice` of the second heard the tasks of
// `alice` of the first (test/auth-principal-issuers.test.ts has the same rule for tasks/*
// and requestState). The owner is now issuer and subject, as the task runtime names it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServerEvent } from '../event-bus.ts';
import type { ServerRequest } from '../request.ts';
import { taskListenTopic } from './listen-topic.ts';
import { taskPrincipal } from './principal.ts';

const test = suite('tasks listen topic: the owner is issuer and subject');

test('a task of alice at one issuer reaches her listener, not alice at another', () => {
  const topic = taskListenTopic();
  const mine = { issuer: 'https://one.example', subject: 'alice' };
  const theirs = { issuer: 'https://two.example', subject: 'alice' };
  const owner = taskPrincipal({ auth: mine, protocolVersion: '2026-07-28' } as unknown as ServerRequest)!;
  const event = { type: 'task_changed', owner, task: { taskId: 't1', status: 'working' } } as unknown as ServerEvent;
  const granted = { taskIds: ['t1'] };
  const listener = (auth: typeof mine) => ({ auth, clientCapabilities: {} });
  assert.ok(topic.deliver(event, granted, listener(mine)), 'the owner hears it');
  assert.is(topic.deliver(event, granted, listener(theirs)), undefined, 'alice of the other issuer heard it');
});

test.run();
