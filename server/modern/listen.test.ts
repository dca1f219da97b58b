// subscriptions/listen in the dispatcher (2026-07-28 basic/patterns/subscriptions): the
// acknowledgement first with what was agreed, notifications tagged with the subscription id,
// only the types asked for, a final SubscriptionsListenResult when the server ends the stream,
// nothing once the client went; every message checked against the 2026-07-28 schema.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServerEvent } from '../event-bus.ts';
import { Exchange, request, testServer } from '../../test/modern-kit.ts';
import type { ListenTopic } from './listen.ts';

const SUB = 'io.modelcontextprotocol/subscriptionId';
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wait (bounded) until `ex` has `n` notifications. */
async function notified(ex: Exchange, n: number): Promise<void> {
  for (let i = 0; i < 100 && ex.notifications.length < n; i++) await tick();
  assert.ok(ex.notifications.length >= n, `${n} notifications, got ${JSON.stringify(ex.notifications)}`);
}

const Listen = suite('subscriptions/listen');

Listen('acknowledges first, then forwards only the asked-for types, tagged; the server closing ends it with a result', async () => {
  const server = testServer();
  await tick(); // the registrations' own list_changed burst goes out before we listen
  const ex = new Exchange(server);
  const listen = request('subscriptions/listen', { notifications: { toolsListChanged: true, resourceSubscriptions: ['test://doc'] } });
  const answer = ex.send(listen);
  await notified(ex, 1);
  assert.equal(ex.notifications[0], {
    jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged',
    params: { notifications: { toolsListChanged: true, resourceSubscriptions: ['test://doc'] }, _meta: { [SUB]: listen.id } },
  });
  server.prompt({ name: 'new_prompt' }, () => 'x'); // not asked for
  server.tool({ name: 'new_tool' }, () => 'x');
  await server.resourceUpdated('test://other'); // not subscribed
  await server.resourceUpdated('test://doc');
  await notified(ex, 3);
  await tick();
  assert.equal(ex.notifications.slice(1).map((n) => [n.method, n.params]), [
    ['notifications/tools/list_changed', { _meta: { [SUB]: listen.id } }],
    ['notifications/resources/updated', { uri: 'test://doc', _meta: { [SUB]: listen.id } }],
  ]);
  ex.dispatcher.close();
  const done = await answer;
  assert.is(done.status, 200);
  const result = (done.message as { result: Record<string, any> }).result;
  assert.is(result.resultType, 'complete');
  assert.is(result._meta[SUB], listen.id);
});

Listen('the acknowledgement grants only what the server declares; unknown filter keys are left out', async () => {
  const server = testServer();
  await tick(); // the registrations' own list_changed burst goes out before we listen
  const ex = new Exchange(server);
  const cancel = new AbortController();
  const answer = ex.send(request('subscriptions/listen', { notifications: { promptsListChanged: true, resourcesListChanged: true, taskIds: ['t1'] } }), cancel.signal);
  await notified(ex, 1);
  assert.equal(ex.notifications[0]!.params!.notifications, { promptsListChanged: true, resourcesListChanged: true });
  cancel.abort();
  await answer;
});

Listen('after the client cancels, nothing more is sent and the bus listener is gone', async () => {
  const server = testServer();
  await tick(); // the registrations' own list_changed burst goes out before we listen
  const ex = new Exchange(server);
  const cancel = new AbortController();
  const answer = ex.send(request('subscriptions/listen', { notifications: { toolsListChanged: true } }), cancel.signal);
  await notified(ex, 1);
  cancel.abort();
  await answer;
  assert.is(await server.events.publish({ type: 'list_changed', list: 'tools' }), 0, 'no listener delivered it');
  assert.is(ex.notifications.length, 1);
});

Listen('a missing filter is -32602; too many resource URIs is -32602; too many streams is refused', async () => {
  const ex = new Exchange(testServer(), { listen: { maxResourceSubscriptions: 2, maxStreams: 1 } });
  assert.is((await ex.error(request('subscriptions/listen', {}), 200, true)).code, -32602);
  const many = await ex.error(request('subscriptions/listen', { notifications: { resourceSubscriptions: ['a:1', 'a:2', 'a:3'] } }), 200);
  assert.match(many.message, /at most 2 resourceSubscriptions per stream \(listen\.maxResourceSubscriptions; got 3\)/);
  const cancel = new AbortController();
  const first = ex.send(request('subscriptions/listen', { notifications: { toolsListChanged: true } }), cancel.signal);
  await notified(ex, 1);
  const refused = await ex.error(request('subscriptions/listen', { notifications: { toolsListChanged: true } }), 200);
  assert.is(refused.code, -32603);
  // The refusal names the option an operator raises (as maxStreamsPerPrincipal's does).
  assert.match(refused.message, /1 listen streams are open already \(listen\.maxStreams\)/);
  cancel.abort();
  await first;
});

Listen('too many task ids is -32602 naming listen.maxTaskIds (an option, default 1000)', async () => {
  const ex = new Exchange(testServer(), { listen: { maxTaskIds: 2 } });
  const many = await ex.error(request('subscriptions/listen', { notifications: { taskIds: ['t1', 't2', 't3'] } }), 200);
  assert.is(many.code, -32602);
  assert.match(many.message, /at most 2 taskIds per stream \(listen\.maxTaskIds; got 3\)/);
  const byDefault = new Exchange(testServer());
  const ids = Array.from({ length: 1001 }, (_, i) => `t${i}`);
  assert.match((await byDefault.error(request('subscriptions/listen', { notifications: { taskIds: ids } }), 200)).message, /at most 1000 taskIds/);
});

Listen('one principal cannot take every stream: maxStreamsPerPrincipal refuses its next one, others still listen', async () => {
  const ex = new Exchange(testServer(), { listen: { maxStreams: 10, maxStreamsPerPrincipal: 2 } });
  const open = (subject: string, signal: AbortSignal) => {
    let settled = false;
    const answer = ex.dispatcher.handle(request('subscriptions/listen', { notifications: { toolsListChanged: true } }), {
      signal, notify: () => undefined, auth: { issuer: 'https://as.example', subject },
    }).finally(() => { settled = true; });
    return { answer, settled: () => settled };
  };
  const first = new AbortController();
  const held = [open('ann', first.signal), open('ann', first.signal)];
  await tick();
  const thirdCancel = new AbortController();
  const third = open('ann', thirdCancel.signal);
  await tick();
  if (!third.settled()) thirdCancel.abort(); // not refused: end it, so the assertions below say so
  const refused = JSON.stringify(await third.answer);
  assert.match(refused, /-32603/);
  assert.match(refused, /holds 2 listen streams already \(maxStreamsPerPrincipal\)/);
  const later = new AbortController();
  const bob = open('bob', later.signal);
  await tick();
  assert.not.ok(bob.settled(), 'another principal still listens');
  first.abort();
  await Promise.all(held.map((h) => h.answer));
  const again = open('ann', later.signal);
  await tick();
  assert.not.ok(again.settled(), 'streams closed are given back');
  later.abort();
  assert.not.match(JSON.stringify(await again.answer), /-32603/);
  await bob.answer;
});

Listen('an extension adds a topic: its filter key is agreed and its bus events reach the stream (the tasks seam)', async () => {
  const taskTopic: ListenTopic = {
    keys: ['taskIds'],
    agree: (filter) => (Array.isArray(filter.taskIds) ? { taskIds: filter.taskIds } : undefined),
    deliver: (event: ServerEvent, granted, listener) => (event.type === 'task_status' && event.owner === (listener.auth.subject ?? '')
      && (granted.taskIds as string[]).includes(event.task.taskId) ? { jsonrpc: '2.0', method: 'notifications/tasks' as never, params: { taskId: event.task.taskId } as never } : undefined),
  };
  const server = testServer();
  const seen: unknown[] = [];
  const ex = new Exchange(server, { listen: { topics: [taskTopic] } });
  const cancel = new AbortController();
  const listen = request('subscriptions/listen', { notifications: { taskIds: ['t1'] } });
  const answer = ex.dispatcher.handle(listen, { signal: cancel.signal, notify: (n) => { seen.push(n); } });
  for (let i = 0; i < 50 && seen.length < 1; i++) await tick();
  const task = { taskId: 't1', status: 'working', createdAt: '', lastUpdatedAt: '', ttl: null } as never;
  await server.events.publish({ type: 'task_status', owner: 'someone-else', task });
  await server.events.publish({ type: 'task_status', owner: '', task });
  assert.equal(seen.map((n: any) => [n.method, n.params.taskId, n.params._meta[SUB]]), [
    ['notifications/subscriptions/acknowledged', undefined, listen.id], ['notifications/tasks', 't1', listen.id],
  ]);
  cancel.abort();
  await answer;
});

Listen('server/discover now declares listChanged and resources.subscribe', async () => {
  const ex = new Exchange();
  const caps = (await ex.result(request('server/discover'))).capabilities;
  assert.is(caps.tools.listChanged, true);
  assert.is(caps.prompts.listChanged, true);
  assert.is(caps.resources.subscribe, true);
});

Listen.run();
