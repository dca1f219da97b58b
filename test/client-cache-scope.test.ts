// The client's list cache and `cacheScope` (2026-07-28 CacheableResult): a list is reused
// within its `ttlMs`; a "private" one only under the credentials it was fetched with ("a
// different access token requires a different cache"), a "public" one under any.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type HttpClientAuth } from 'mcpwire/client';
import { scripted } from './modern-script.ts';

const scope = suite('client: cacheScope');

async function connect(cacheScope: 'private' | 'public') {
  let token = 'token-a';
  const { fetch, seen } = scripted((s) => {
    if (s.body.method === 'tools/list') return { tools: [{ name: `tool-for-${s.headers.authorization}`, inputSchema: { type: 'object' } }], ttlMs: 60_000, cacheScope };
    return undefined;
  });
  const auth: HttpClientAuth = { headersFor: async () => ({ authorization: `Bearer ${token}` }), onChallenge: async () => false };
  const client = createClient({ name: 'scope', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3005/mcp', fetch, auth }));
  return { client, lists: () => seen.filter((s) => s.body.method === 'tools/list').length, renew: (next: string) => { token = next; } };
}

scope('a private list is reused under the same token and fetched again under a new one', async () => {
  const { client, lists, renew } = await connect('private');
  assert.equal((await client.listTools()).map((t) => t.name), ['tool-for-Bearer token-a']);
  await client.listTools();
  assert.is(lists(), 1, 'same token, within ttlMs: reused');
  renew('token-b');
  await client.ping(); // any request: the new token is sent (2026: a server/discover)
  assert.equal((await client.listTools()).map((t) => t.name), ['tool-for-Bearer token-b']);
  assert.is(lists(), 2, 'another token: not served from the old cache');
  await client.close();
});

scope('a public list is reused across tokens', async () => {
  const { client, lists, renew } = await connect('public');
  await client.listTools();
  renew('token-b');
  await client.ping();
  await client.listTools();
  assert.is(lists(), 1);
  await client.close();
});

scope.run();
