// Template matching (uri-template.ts), completion/complete (completion-handler.ts) and
// prompts/get (prompt-get.ts) load with import() on their first request (issue #20 item 3).
// test/run.js runs each file in a process of its own: the requests below are the first, sent
// together, so several wait for the same loads; each gets the answer it always got.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/server.ts';
import { connectClient } from './memory-client.ts';

const first = suite('resources, completions and prompts: loaded on the first request');

first('first requests sent together are each answered as before', async () => {
  const server = createServer({ name: 't', version: '1' });
  server.resourceTemplate({ uriTemplate: 'mem://city/{name}{?lang}', name: 'city', complete: { name: (v) => ['Paris', 'Porto', 'Oslo'].filter((c) => c.startsWith(v)) } },
    (_uri, vars) => `city ${String(vars.name)} in ${String(vars.lang ?? 'en')}`);
  server.prompt({ name: 'greet', arguments: [{ name: 'who', required: true }], complete: { who: () => ['Ada', 'Alan'] } }, ({ who }) => `Hello ${who}`);
  const c = await connectClient(server);
  const peer = c.client.peer;
  const [read, other, subscribed, unknown, cities, people, prompt, missing] = await Promise.all([
    peer.request('resources/read', { uri: 'mem://city/Paris?lang=fr' }),
    peer.request('resources/read', { uri: 'mem://city/Oslo' }),
    peer.request('resources/subscribe', { uri: 'mem://city/Porto' }),
    peer.request('resources/subscribe', { uri: 'mem://town/x' }).catch((e: { code: number }) => e),
    peer.request('completion/complete', { ref: { type: 'ref/resource', uri: 'mem://city/{name}{?lang}' }, argument: { name: 'name', value: 'P' } }),
    peer.request('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: '' } }),
    peer.request('prompts/get', { name: 'greet', arguments: { who: 'Ada' } }),
    peer.request('prompts/get', { name: 'greet', arguments: {} }).catch((e: { code: number; message: string }) => e),
  ]);
  assert.equal(read, { contents: [{ uri: 'mem://city/Paris?lang=fr', text: 'city Paris in fr' }] });
  assert.equal(other, { contents: [{ uri: 'mem://city/Oslo', text: 'city Oslo in en' }] });
  assert.equal(subscribed, {});
  assert.is((unknown as { code: number }).code, -32002);
  assert.equal(cities, { completion: { values: ['Paris', 'Porto'], total: 2, hasMore: false } });
  assert.equal(people, { completion: { values: ['Ada', 'Alan'], total: 2, hasMore: false } });
  assert.equal(prompt, { messages: [{ role: 'user', content: { type: 'text', text: 'Hello Ada' } }] });
  assert.is((missing as { code: number }).code, -32602);
  assert.match((missing as { message: string }).message, 'missing required argument who');
  assert.is(await server.resourceUpdated('mem://city/Porto'), 1, 'the subscription made during the load holds');
  await c.close();
});

first.run();
