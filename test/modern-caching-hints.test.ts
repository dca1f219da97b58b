// 2026-07-28 server/utilities/caching, each rule a test that fails when it is broken: an
// interim InputRequiredResult carries no caching hints; the complete result of a multi
// round-trip retry of resources/read carries them (servers MUST on every complete result of
// the cacheable methods); every page of a list has the same cacheScope (MUST).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/server.ts';
import { Exchange, request } from './modern-kit.ts';

const hints = suite('2026-07-28 server: caching hints');

hints('input_required has none; the retry\'s complete read has both; list pages share one cacheScope', async () => {
  const server = createServer({ name: 's', version: '1' }, { pageSize: 1 });
  server.resource({ uri: 'test://ask', name: 'ask' }, async (_uri, ctx) => {
    const answer = await ctx.elicit({ message: 'n?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } });
    return `got ${String(answer.content?.n)}`;
  });
  for (const name of ['a', 'b', 'c']) server.tool({ name }, () => name);
  const x = new Exchange(server);
  const first = await x.result(request('resources/read', { uri: 'test://ask' }, { elicitation: {} }));
  assert.is(first.resultType, 'input_required');
  assert.not.ok('ttlMs' in first || 'cacheScope' in first, JSON.stringify(first));
  const [key] = Object.keys(first.inputRequests);
  const done = await x.result(request('resources/read', {
    uri: 'test://ask', requestState: first.requestState, inputResponses: { [key!]: { action: 'accept', content: { n: 'x' } } },
  }, { elicitation: {} }));
  assert.is(done.contents[0].text, 'got x');
  assert.is(typeof done.ttlMs, 'number');
  assert.ok(done.ttlMs >= 0);
  assert.ok(done.cacheScope === 'private' || done.cacheScope === 'public', JSON.stringify(done));
  const scopes: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await x.result(request('tools/list', cursor === undefined ? {} : { cursor }));
    assert.ok(page.ttlMs >= 0);
    scopes.push(page.cacheScope);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  assert.is(scopes.length, 3);
  assert.is(new Set(scopes).size, 1, scopes.join(', '));
});

hints.run();
