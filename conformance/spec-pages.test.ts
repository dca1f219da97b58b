// The spec's pages per revision, the citation of a topic at a revision, and the tracer citing
// the revision a conversation speaks (a 2025-06-18 session is not told 2025-11-25 pages; a
// 2026-07-28 one is not told pages that revision no longer has).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { citeTopic, SPEC_PAGES, SPEC_REVISIONS, specPageExists, type SpecTopic } from './spec-pages.ts';
import { TraceCorrelator } from './trace/correlate.ts';
import type { TraceRecord } from './trace/record.ts';

const test = suite('spec pages and citations');

const TOPICS: SpecTopic[] = ['messages', 'lifecycle', 'versioning', 'discover', 'ping', 'transports', 'stdio-end', 'progress', 'cancellation', 'tasks', 'mrtr', 'subscriptions', 'tools', 'resources', 'prompts', 'completion', 'logging', 'pagination', 'elicitation', 'sampling', 'roots'];

test('every topic, at every revision and on both transports, cites a page that exists', () => {
  for (const revision of SPEC_REVISIONS) {
    for (const transport of ['http', 'stdio'] as const) {
      for (const topic of TOPICS) {
        const cited = citeTopic(topic, revision, transport);
        if (cited === '2026-07-28 tasks extension (SEP-2663)') continue;
        const [at, page] = cited.split(' ');
        assert.ok(specPageExists(at!, page!), `${topic} at ${revision} over ${transport}: ${cited}`);
      }
    }
  }
});

test('a topic is cited at the revision spoken when that revision has its page', () => {
  assert.is(citeTopic('progress', '2026-07-28'), '2026-07-28 basic/patterns/progress');
  assert.is(citeTopic('progress', '2025-06-18'), '2025-06-18 basic/utilities/progress');
  assert.is(citeTopic('subscriptions', '2026-07-28'), '2026-07-28 basic/patterns/subscriptions');
  assert.is(citeTopic('transports', '2026-07-28', 'stdio'), '2026-07-28 basic/transports/stdio');
  assert.is(citeTopic('transports', '2026-07-28', 'http'), '2026-07-28 basic/transports/streamable-http');
  assert.is(citeTopic('transports', '2025-03-26', 'stdio'), '2025-03-26 basic/transports');
  assert.is(citeTopic('discover', '2026-07-28'), '2026-07-28 server/discover');
  assert.is(citeTopic('tools', '2024-11-05'), '2024-11-05 server/tools');
});

test('else the nearest revision that has it, newer first; an unknown version reads as 2025-11-25', () => {
  assert.is(citeTopic('tasks', '2025-06-18'), '2025-11-25 basic/utilities/tasks');
  assert.is(citeTopic('tasks', '2026-07-28'), '2026-07-28 tasks extension (SEP-2663)');
  assert.is(citeTopic('elicitation', '2025-03-26'), '2025-06-18 client/elicitation');
  assert.is(citeTopic('ping', '2026-07-28'), '2025-11-25 basic/utilities/ping', 'removed in 2026-07-28: the last revision that had it');
  assert.is(citeTopic('mrtr', '2025-11-25'), '2026-07-28 basic/patterns/mrtr');
  assert.is(citeTopic('tools', undefined), '2025-11-25 server/tools');
  assert.is(citeTopic('tools', '2099-01-01'), '2025-11-25 server/tools');
  assert.is(citeTopic('tools', '__proto__'), '2025-11-25 server/tools');
});

test('2026-07-28 has none of the pages it moved', () => {
  for (const gone of ['basic/lifecycle', 'basic/utilities/progress', 'basic/utilities/cancellation', 'basic/utilities/ping', 'basic/utilities/tasks']) {
    assert.not.ok(SPEC_PAGES['2026-07-28']!.has(gone), gone);
  }
});

test('the tracer cites the pages of the version a 2025-06-18 session negotiated', () => {
  const records: TraceRecord[] = [];
  const c = new TraceCorrelator((r) => records.push(r), { validate: false });
  const ctx = { transport: 'stdio' as const };
  c.observe({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }, 'client-to-server', ctx);
  c.observe({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } } }, 'server-to-client', ctx);
  c.observe({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'x', arguments: {}, _meta: { progressToken: 't' } } }, 'client-to-server', ctx);
  c.observe({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 1 } }, 'server-to-client', ctx);
  c.observe({ jsonrpc: '2.0', id: 9, method: 'elicitation/create', params: { message: 'm', requestedSchema: { type: 'object', properties: {} } } }, 'server-to-client', ctx);
  c.observeStdio('client-to-server', 'the client closed the server\'s stdin');
  assert.equal(records.map((r) => r.spec), [
    '2025-06-18 basic/lifecycle', '2025-06-18 basic/lifecycle', '2025-06-18 server/tools',
    '2025-06-18 basic/utilities/progress', '2025-06-18 client/elicitation', '2025-06-18 basic/lifecycle',
  ]);
});

test.run();
