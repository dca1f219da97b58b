// completion/complete end to end over the in-memory pair, every message through the schema
// tap: prompt arguments and template variables, context.arguments, the 100-value cap.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type CompletionContext, type McpServer } from 'mcpwire/server';
import type { CompleteParams } from 'mcpwire/protocol';
import { connectClient } from './memory-client.ts';

const CITIES = ['paris', 'park city', 'parma', 'porto', 'prague'];

function makeServer(setup?: (s: McpServer) => void): McpServer {
  const server = createServer({ name: 'completion-test', version: '1.0.0' });
  setup?.(server);
  return server;
}

const complete = suite('completion: prompt arguments and template variables');

complete('ref/prompt completes an argument and hands context.arguments to the completer', async () => {
  const seen: CompletionContext[] = [];
  const server = makeServer((s) => s.prompt({
    name: 'trip', arguments: [{ name: 'from' }, { name: 'to' }],
    complete: {
      to: (value, ctx) => {
        seen.push(ctx);
        return CITIES.filter((c) => c.startsWith(value) && c !== ctx.arguments.from);
      },
    },
  }, () => 'x'));
  const c = await connectClient(server);
  assert.equal(c.client.serverCapabilities?.completions, {});
  const result = await c.client.peer.request('completion/complete', {
    ref: { type: 'ref/prompt', name: 'trip' }, argument: { name: 'to', value: 'par' }, context: { arguments: { from: 'paris' } },
  });
  assert.equal(result, { completion: { values: ['park city', 'parma'], total: 2, hasMore: false } });
  assert.is(seen[0]!.argument, 'to');
  assert.equal(seen[0]!.arguments, { from: 'paris' });
  assert.is(seen[0]!.request.protocolVersion, '2025-11-25');
  const noCompleter = await c.client.peer.request('completion/complete', { ref: { type: 'ref/prompt', name: 'trip' }, argument: { name: 'from', value: 'p' } });
  assert.equal(noCompleter, { completion: { values: [], total: 0, hasMore: false } }, 'a declared argument without a completer has no suggestions');
  await c.close();
});

complete('ref/resource completes a template variable, by the template text', async () => {
  const server = makeServer((s) => {
    s.resource({ uri: 'mem://plain', name: 'plain' }, () => 'p');
    s.resourceTemplate({
      uriTemplate: 'mem://repos/{owner}/{repo}', name: 'repos',
      complete: { repo: async (value, ctx) => [`${ctx.arguments.owner ?? '?'}/${value}-one`, `${ctx.arguments.owner ?? '?'}/${value}-two`] },
    }, () => 'r');
  });
  const c = await connectClient(server);
  const result = await c.client.peer.request('completion/complete', {
    ref: { type: 'ref/resource', uri: 'mem://repos/{owner}/{repo}' }, argument: { name: 'repo', value: 'x' }, context: { arguments: { owner: 'ann' } },
  });
  assert.equal(result.completion.values, ['ann/x-one', 'ann/x-two']);
  const plain = await c.client.peer.request('completion/complete', { ref: { type: 'ref/resource', uri: 'mem://plain' }, argument: { name: 'a', value: '' } }).catch((e) => e);
  assert.is(plain.code, -32602, 'a static resource has no variables to complete');
  await c.close();
});

complete('values are capped at 100 with total and hasMore telling the rest', async () => {
  const many = Array.from({ length: 250 }, (_, i) => `v${i}`);
  const server = makeServer((s) => s.prompt({
    name: 'p', arguments: [{ name: 'all' }, { name: 'known' }, { name: 'exact' }],
    complete: {
      all: () => many,
      known: () => ({ values: many.slice(0, 10), total: 5000 }),
      exact: () => many.slice(0, 100),
    },
  }, () => 'x'));
  const c = await connectClient(server);
  const ask = (name: string) => c.client.peer.request('completion/complete', { ref: { type: 'ref/prompt', name: 'p' }, argument: { name, value: '' } });
  const all = await ask('all');
  assert.is(all.completion.values.length, 100);
  assert.equal(all.completion.values, many.slice(0, 100));
  assert.is(all.completion.total, 250);
  assert.is(all.completion.hasMore, true);
  assert.equal((await ask('known')).completion, { values: many.slice(0, 10), total: 5000, hasMore: true });
  assert.equal((await ask('exact')).completion, { values: many.slice(0, 100), total: 100, hasMore: false });
  await c.close();
});

complete('unknown prompts, templates and arguments are -32602; a failing completer is -32603', async () => {
  const server = makeServer((s) => {
    s.prompt({ name: 'p', arguments: [{ name: 'a' }, { name: 'b' }], complete: { a: () => ['x'], b: () => { throw new Error('no index'); } } }, () => 'x');
    s.resourceTemplate({ uriTemplate: 'mem://{id}', name: 't' }, () => 't');
  });
  const c = await connectClient(server);
  const cases: Array<[CompleteParams, number, RegExp]> = [
    [{ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'a', value: '' } }, -32602, /unknown prompt nope/],
    [{ ref: { type: 'ref/resource', uri: 'mem://other/{id}' }, argument: { name: 'id', value: '' } }, -32602, /unknown resource or resource template/],
    [{ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'zzz', value: '' } }, -32602, /zzz is not an argument of prompt p/],
    [{ ref: { type: 'ref/resource', uri: 'mem://{id}' }, argument: { name: 'nope', value: '' } }, -32602, /not an argument/],
    [{ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'b', value: '' } }, -32603, /no index/],
  ];
  for (const [params, code, message] of cases) {
    const err = await c.client.peer.request('completion/complete', params).catch((e) => e);
    assert.is(err.code, code, JSON.stringify(params));
    assert.match(err.message, message);
  }
  await c.close();
});

complete('completions are declared only when some completer exists', async () => {
  const without = await connectClient(makeServer((s) => {
    s.prompt({ name: 'p', arguments: [{ name: 'a' }] }, () => 'x');
    s.resourceTemplate({ uriTemplate: 'mem://{id}', name: 't' }, () => 't');
  }));
  assert.is(without.client.serverCapabilities?.completions, undefined);
  await without.close();
  const viaTemplate = await connectClient(makeServer((s) => s.resourceTemplate({ uriTemplate: 'mem://{id}', name: 't', complete: { id: () => [] } }, () => 't')));
  assert.equal(viaTemplate.client.serverCapabilities?.completions, {});
  assert.is(viaTemplate.client.serverCapabilities?.prompts, undefined);
  await viaTemplate.close();
});

const malformed = suite('completion: malformed requests');

malformed('a bad ref, argument or context is -32602', async () => {
  const c = await connectClient(makeServer((s) => s.prompt({ name: 'p', arguments: [{ name: 'a' }], complete: { a: () => [] } }, () => 'x')));
  for (const params of [
    { ref: { type: 'ref/other', name: 'p' }, argument: { name: 'a', value: '' } },
    { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a' } },
    { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: '' }, context: { arguments: { b: 1 } } },
  ]) {
    const err = await c.client.peer.request('completion/complete', params as never).catch((e) => e);
    assert.is(err.code, -32602, JSON.stringify(params));
  }
  await c.client.close(); // the tap rightly flags the malformed requests we sent
});

complete.run();
malformed.run();
