// The method -> definition maps derived from each schema are complete, and agree with the
// method tables written by hand in shared/notes/spec-notes.md section 1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getMethodMap, methodOf, unionMembers, DIRECTIONS, opposite } from './method-map.ts';
import { hasDefinition, SCHEMA_VERSIONS } from './schema.ts';

const Complete = suite('every union member maps, in every version and direction');

for (const version of SCHEMA_VERSIONS) {
  Complete(`${version}: requests and notifications`, () => {
    const map = getMethodMap(version);
    assert.equal(map.unmapped, [], 'no member lacks a definition or a method const');
    for (const direction of DIRECTIONS) {
      const names = map.unions[direction];
      const requestMembers = unionMembers(version, names.requests);
      assert.is(map.requests[direction].size, requestMembers.length, `${names.requests}: one entry per member`);
      for (const member of requestMembers) {
        const method = methodOf(version, member);
        assert.type(method, 'string', `${member} has a method const`);
        assert.is(map.requests[direction].get(method ?? '')?.definition, member, `${method} -> ${member}`);
      }
      const notificationMembers = unionMembers(version, names.notifications);
      assert.ok(notificationMembers.length > 0, `${names.notifications} has members`);
      assert.is(map.notifications[direction].size, notificationMembers.length, `${names.notifications}: one entry per member`);
      for (const member of notificationMembers) {
        const method = methodOf(version, member);
        assert.is(map.notifications[direction].get(method ?? '')?.definition, member, `${method} -> ${member}`);
      }
    }
  });

  Complete(`${version}: every request has an existing result definition from the responder's union`, () => {
    const map = getMethodMap(version);
    for (const direction of DIRECTIONS) {
      const responderUnion = unionMembers(version, map.unions[opposite(direction)].results);
      for (const entry of map.requests[direction].values()) {
        assert.ok(hasDefinition(version, entry.result), `${entry.method} -> ${entry.result} exists`);
        if (entry.result !== 'EmptyResult') {
          assert.ok(responderUnion.includes(entry.result), `${entry.result} is in ${map.unions[opposite(direction)].results}`);
        }
      }
    }
  });
}

Complete.run();

const Tables = suite('derived maps match the hand-written method tables');

const sorted = (it: Iterable<string>): string[] => [...it].sort();

Tables('2025-11-25 (spec-notes 1b)', () => {
  const map = getMethodMap('2025-11-25');
  assert.equal(sorted(map.requests['client-to-server'].keys()), sorted([
    'initialize', 'ping', 'resources/list', 'resources/templates/list', 'resources/read', 'resources/subscribe',
    'resources/unsubscribe', 'prompts/list', 'prompts/get', 'tools/list', 'tools/call', 'logging/setLevel',
    'completion/complete', 'tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list',
  ]));
  assert.equal(sorted(map.requests['server-to-client'].keys()), sorted([
    'ping', 'sampling/createMessage', 'roots/list', 'elicitation/create', 'tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list',
  ]));
  assert.equal(sorted(map.notifications['client-to-server'].keys()), sorted([
    'notifications/initialized', 'notifications/cancelled', 'notifications/progress', 'notifications/roots/list_changed',
    'notifications/tasks/status',
  ]));
  assert.equal(sorted(map.notifications['server-to-client'].keys()), sorted([
    'notifications/cancelled', 'notifications/progress', 'notifications/message', 'notifications/resources/list_changed',
    'notifications/resources/updated', 'notifications/prompts/list_changed', 'notifications/tools/list_changed',
    'notifications/tasks/status', 'notifications/elicitation/complete',
  ]));
});

Tables('2026-07-28 (spec-notes 1a): no server-to-client requests, one client notification', () => {
  const map = getMethodMap('2026-07-28');
  assert.equal(sorted(map.requests['client-to-server'].keys()), sorted([
    'server/discover', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list',
    'resources/templates/list', 'resources/read', 'subscriptions/listen', 'completion/complete',
  ]));
  assert.is(map.requests['server-to-client'].size, 0);
  assert.equal(sorted(map.notifications['client-to-server'].keys()), ['notifications/cancelled']);
  assert.is(map.notifications['client-to-server'].get('notifications/cancelled')?.definition, 'CancelledNotification');
  assert.is(map.notifications['server-to-client'].size, 8);
});

Tables('older versions: what each one lacks', () => {
  const has = (v: Parameters<typeof getMethodMap>[0], method: string): boolean =>
    getMethodMap(v).requests['server-to-client'].has(method);
  assert.ok(has('2025-06-18', 'elicitation/create'));
  assert.not.ok(has('2025-03-26', 'elicitation/create'));
  assert.not.ok(has('2024-11-05', 'elicitation/create'));
  assert.not.ok(getMethodMap('2025-06-18').requests['client-to-server'].has('tasks/get'));
  assert.not.ok(getMethodMap('2025-06-18').notifications['server-to-client'].has('notifications/elicitation/complete'));
  assert.ok(getMethodMap('2025-03-26').envelope.batch, '2025-03-26 has batches');
  for (const v of ['2024-11-05', '2025-06-18', '2025-11-25', '2026-07-28'] as const) {
    assert.is(getMethodMap(v).envelope.batch, undefined, `${v} has no batches`);
  }
});

Tables('result definitions and their alternatives', () => {
  const c2s = (v: Parameters<typeof getMethodMap>[0], m: string) => getMethodMap(v).requests['client-to-server'].get(m);
  const s2c = (v: Parameters<typeof getMethodMap>[0], m: string) => getMethodMap(v).requests['server-to-client'].get(m);
  for (const v of ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const) {
    assert.is(c2s(v, 'initialize')?.result, 'InitializeResult');
    assert.is(c2s(v, 'tools/call')?.result, 'CallToolResult');
    assert.is(c2s(v, 'tools/list')?.result, 'ListToolsResult');
    assert.is(c2s(v, 'ping')?.result, 'EmptyResult');
    assert.is(s2c(v, 'ping')?.result, 'EmptyResult');
    assert.is(c2s(v, 'resources/subscribe')?.result, 'EmptyResult');
    assert.is(getMethodMap(v).envelope.error, v === '2025-11-25' ? 'JSONRPCErrorResponse' : 'JSONRPCError');
  }
  assert.is(c2s('2025-11-25', 'tools/call')?.taskResult, 'CreateTaskResult');
  assert.is(s2c('2025-11-25', 'sampling/createMessage')?.taskResult, 'CreateTaskResult');
  assert.is(s2c('2025-11-25', 'elicitation/create')?.taskResult, 'CreateTaskResult', 'found through the anyOf of params');
  assert.is(c2s('2025-11-25', 'tools/list')?.taskResult, undefined);
  assert.is(c2s('2025-06-18', 'tools/call')?.taskResult, undefined);
  assert.is(s2c('2025-06-18', 'elicitation/create')?.result, 'ElicitResult');
  for (const m of ['tools/call', 'prompts/get', 'resources/read']) {
    assert.is(c2s('2026-07-28', m)?.inputRequiredResult, 'InputRequiredResult', m);
  }
  assert.is(c2s('2026-07-28', 'tools/list')?.inputRequiredResult, undefined);
  assert.is(c2s('2026-07-28', 'server/discover')?.result, 'DiscoverResult');
  assert.ok(getMethodMap('2026-07-28').resultTypeRequired);
  assert.not.ok(getMethodMap('2025-11-25').resultTypeRequired);
});

Tables('draft matches 2026-07-28 at this snapshot', () => {
  for (const direction of DIRECTIONS) {
    assert.equal(
      sorted(getMethodMap('draft').requests[direction].keys()),
      sorted(getMethodMap('2026-07-28').requests[direction].keys()),
    );
  }
});

Tables.run();
