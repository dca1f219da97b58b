// The HTTP client transport's `auth` hook: credentials on every request, a 401/403 handed to
// the auth and the request sent again with the new credentials, a bounded number of resends,
// and an abort that settles a request at once even while the auth is still busy.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike, type HttpClientAuth } from 'mcpwire/client';
import { HttpError } from 'mcpwire/protocol';

const URL_BASE = 'http://127.0.0.1:3000/mcp';
const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A server that wants `Bearer good` on everything, and answers initialize and ping. */
function server(seen: string[]): FetchLike {
  return async (_url, init) => {
    const body = init.body ? JSON.parse(init.body) as { id?: number; method?: string; params?: { protocolVersion?: string } } : {};
    seen.push(`${body.method ?? init.method} ${init.headers.authorization ?? '-'}`);
    if (init.headers.authorization !== 'Bearer good') return json({ error: 'invalid_token' }, 401, { 'www-authenticate': 'Bearer scope="x"' });
    if (body.method === 'initialize') return json({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: body.params!.protocolVersion, capabilities: {}, serverInfo: { name: 's', version: '1' } } });
    if (body.id === undefined) return new Response(null, { status: 202 });
    return json({ jsonrpc: '2.0', id: body.id, result: {} });
  };
}

const hook = suite('the auth hook');

hook('a 401 goes to onChallenge; the request is sent again with the new credentials', async () => {
  const seen: string[] = [];
  let token = 'stale';
  const challenges: string[] = [];
  const auth: HttpClientAuth = {
    headersFor: async () => ({ authorization: `Bearer ${token}` }),
    onChallenge: async (reply, _method, _url, sent) => {
      challenges.push(`${reply.status} ${reply.header('www-authenticate')} ${sent.authorization}`);
      token = 'good';
      return true;
    },
  };
  const client = createClient({ name: 't', version: '1' });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch: server(seen), auth, openStandaloneStream: false }));
  await client.ping();
  await client.close();
  assert.equal(challenges, ['401 Bearer scope="x" Bearer stale']);
  assert.equal(seen.slice(0, 2), ['initialize Bearer stale', 'initialize Bearer good']);
  assert.ok(seen.includes('ping Bearer good'));
});

hook('an auth that keeps saying "again" is bounded: the 401 surfaces after a few resends', async () => {
  const seen: string[] = [];
  const auth: HttpClientAuth = { headersFor: async () => ({ authorization: 'Bearer bad' }), onChallenge: async () => true };
  const client = createClient({ name: 't', version: '1' });
  const error = await client.connect(createHttpClientTransport({ url: URL_BASE, fetch: server(seen), auth })).catch((e: unknown) => e);
  await client.close();
  assert.instance(error, HttpError);
  assert.is((error as HttpError).status, 401);
  assert.is(seen.length, 7);
});

hook('a POST whose auth is still busy (a sign-in) settles when the transport closes, not when the auth ends', async () => {
  const seen: string[] = [];
  let release!: () => void;
  const busy = new Promise<boolean>((resolve) => { release = () => resolve(false); });
  const auth: HttpClientAuth = { headersFor: async () => ({}), onChallenge: () => busy };
  const transport = createHttpClientTransport({ url: URL_BASE, fetch: server(seen), auth });
  await transport.start({ onMessage: () => {}, onClose: () => {}, onError: () => {} });
  const sent = transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' }).then(() => 'sent', () => 'settled');
  while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
  await transport.close();
  const outcome = await Promise.race([sent, new Promise((resolve) => { setTimeout(resolve, 3_000, 'still waiting'); })]);
  release();
  assert.is(outcome, 'settled');
});

hook.run();
