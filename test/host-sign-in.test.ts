// The host's sign-in to a protected server: the authorization URL is printed, the browser
// comes back to a loopback listener on 127.0.0.1, who is signed in is shown, tokens are kept
// per issuer under the state directory and reused by the next run; no browser: a clean
// time-out; --token: the bearer is sent as is.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, createClient, createHttpClientTransport, type HttpClientAuth } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { registerFixtures } from '../conformance/fixtures/index.ts';
import { createHostSignIn } from '../host/sign-in.ts';
import { startOAuthAs, type OAuthAs } from './support/oauth-as.ts';
import { protectedResource, type ProtectedResource } from './support/oauth-resource.ts';

const ORIGIN = 'http://127.0.0.1:3000';

/** The "browser": open the printed URL, follow its redirect to the host's listener. */
async function browse(line: string): Promise<void> {
  const url = /open (\S+)/.exec(line)?.[1];
  if (!url) return;
  const first = await fetch(url, { redirect: 'manual' });
  await first.body?.cancel();
  const back = await fetch(first.headers.get('location')!);
  await back.text();
}

async function listWith(auth: HttpClientAuth, resource: ProtectedResource): Promise<void> {
  const transport = createHttpClientTransport({ url: `${ORIGIN}/mcp`, fetch: resource.fetch, auth, openStandaloneStream: false });
  const client = createClient({ name: 't', version: '1' });
  try {
    await client.connect(transport);
    await client.listTools();
  } finally {
    await client.close();
  }
}

async function fixture(): Promise<{ as: OAuthAs; resource: ProtectedResource; dir: string; done(): Promise<void> }> {
  const as = await startOAuthAs();
  const server = createServer({ name: 'protected', version: '1' });
  registerFixtures(server);
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
  // The OAuth client (global fetch) reaches the resource metadata in-process too.
  const resource = protectedResource({ handler, as, origin: ORIGIN });
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-signin-'));
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((url: string | URL | Request, init?: RequestInit) => {
    const href = String(url instanceof Request ? url.url : url);
    return href.startsWith(ORIGIN) ? resource.fetch(href, { method: 'GET', headers: {} }) : realFetch(url, init);
  }) as typeof fetch;
  return {
    as, resource, dir,
    async done() {
      globalThis.fetch = realFetch;
      await as.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const signIn = suite('host sign-in');

signIn('the URL is printed, the loopback listener takes the redirect, the user is shown; the next run reuses the tokens', async () => {
  const f = await fixture();
  try {
    const said: string[] = [];
    const first = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => { said.push(t); void browse(t); } });
    await listWith(first.auth, f.resource);
    first.close();
    assert.ok(said.some((l) => l.startsWith('demo asks you to sign in: open http://127.0.0.1:')), said.join('\n'));
    assert.ok(said.some((l) => l.includes('signed in at') && l.includes('as alice')), said.join('\n'));
    const authorize = f.as.events.find((e) => e.kind === 'authorize')!.params;
    assert.match(authorize.redirect_uri!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const again: string[] = [];
    const second = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => again.push(t) });
    await listWith(second.auth, f.resource);
    second.close();
    assert.not.ok(again.some((l) => l.includes('open http')), again.join('\n'));
    assert.ok(again.some((l) => l.includes('as alice')), again.join('\n'));
    assert.is(f.as.events.filter((e) => e.kind === 'authorize').length, 1);
  } finally {
    await f.done();
  }
});

signIn('no browser: the sign-in times out with MCP_ERR_AUTH_INTERACTION', async () => {
  const f = await fixture();
  try {
    const s = await createHostSignIn('demo', { stateDir: f.dir, timeoutMs: 200, say: () => {} });
    const error = await listWith(s.auth, f.resource).then(() => undefined, (e: unknown) => e);
    s.close();
    const cause = (error as Error).cause;
    assert.instance(cause, AuthError);
    assert.is((cause as AuthError).code, 'MCP_ERR_AUTH_INTERACTION');
  } finally {
    await f.done();
  }
});

signIn('--token: the bearer is sent as is, nothing is discovered', async () => {
  const f = await fixture();
  try {
    const s = await createHostSignIn('demo', { stateDir: f.dir, token: 'static-1', say: () => {} });
    assert.equal(await s.auth.headersFor('POST', `${ORIGIN}/mcp`), { authorization: 'Bearer static-1' });
    const error = await listWith(s.auth, f.resource).then(() => undefined, (e: unknown) => e);
    assert.ok(error, 'the resource refuses a token it cannot verify');
    assert.is(f.as.events.length, 0);
  } finally {
    await f.done();
  }
});

signIn.run();
