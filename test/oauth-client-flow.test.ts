// The OAuth client end to end against a real (test-only) authorization server on loopback
// and a protected MCP resource: discovery, registration, PKCE, the authorization code
// redirect, RFC 8707 resource, tokens kept per issuer in a private file store and reused
// across runs, refresh of an expired token, step-up with the union of scopes and its limit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, createFileAuthStore, createMemoryAuthStore, type AuthStore, type StoredTokens } from 'mcpwire/client';
import { followRedirect, type OAuthAs } from './support/oauth-as.ts';
import { ORIGIN, REDIRECT, setup, type Setup } from './support/oauth-flow-setup.ts';

const flow = suite('authorization code flow');

flow('a 401 leads to discovery, registration, PKCE and a token for the exact resource; the call then succeeds', async () => {
  const s = await setup({ scopesSupported: ['mcp'] }, { scopesSupported: ['mcp'] });
  try {
    const { tools, close } = await s.connect();
    assert.ok(tools.length > 0);
    await close();
    const register = s.as.events.find((e) => e.kind === 'register');
    assert.is(register?.params.application_type, '"native"');
    const authorize = s.as.events.find((e) => e.kind === 'authorize')!.params;
    assert.is(authorize.resource, `${ORIGIN}/mcp`);
    assert.is(authorize.code_challenge_method, 'S256');
    assert.is(authorize.scope, 'mcp');
    const token = s.as.events.find((e) => e.kind === 'token')!.params;
    assert.is(token.resource, `${ORIGIN}/mcp`);
    assert.ok(s.log.some((l) => l.startsWith('ok tools/list alice')), s.log.join('\n'));
    assert.is(s.authorizations, 1);
  } finally {
    await s.as.close();
  }
});

flow('offline_access is asked for only when the authorization server lists it, and never with offlineAccess: false', async () => {
  // 2026-07-28 basic/authorization: offline_access is optional; request it only if the AS lists it.
  for (const [listed, extra, want] of [
    [['mcp', 'offline_access'], {}, 'mcp offline_access'],
    [['mcp', 'offline_access'], { offlineAccess: false }, 'mcp'],
  ] as const) {
    const s = await setup({ scopesSupported: [...listed] }, { scopesSupported: ['mcp'] });
    try {
      const { close } = await s.connect(extra);
      await close();
      assert.is(s.as.events.find((e) => e.kind === 'authorize')!.params.scope, want, JSON.stringify(extra));
    } finally {
      await s.as.close();
    }
  }
});

flow('a wrong iss in the redirect is refused before any token request', async () => {
  const s = await setup({ iss: 'wrong' });
  try {
    const error = await s.connect().then(() => undefined, (e: unknown) => e);
    assert.ok(String(error).includes('iss'), String(error));
    assert.is(s.as.events.filter((e) => e.kind === 'token').length, 0);
  } finally {
    await s.as.close();
  }
});

flow('an authorization server without S256 PKCE is refused before the user is asked', async () => {
  const s = await setup({ pkce: false });
  try {
    const error = await s.connect().then(() => undefined, (e: unknown) => e);
    assert.ok(String(error).includes('PKCE'), String(error));
    assert.is(s.authorizations, 0);
  } finally {
    await s.as.close();
  }
});

flow('where the server supports client ID metadata documents, the document URL is the client id (no registration)', async () => {
  const doc = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: docUrl, redirect_uris: [REDIRECT], client_name: 't' }));
  });
  await new Promise<void>((resolve) => doc.listen(0, '127.0.0.1', resolve));
  const docUrl = `http://127.0.0.1:${(doc.address() as AddressInfo).port}/client.json`;
  const s = await setup({ cimd: true });
  try {
    await (await s.connect({ clientMetadataUrl: docUrl })).close();
    assert.is(s.as.events.filter((e) => e.kind === 'register').length, 0);
    assert.equal(s.as.events.filter((e) => e.kind === 'cimd').map((e) => e.params.client_id), [docUrl]);
    assert.is(s.as.events.find((e) => e.kind === 'authorize')!.params.client_id, docUrl);
  } finally {
    await s.as.close();
    await new Promise((resolve) => doc.close(resolve));
  }
});

flow('a server that refuses the token its authorization server just issued (another audience): one sign-in, then MCP_ERR_AUTH_REFUSED, not three', async () => {
  const s = await setup({}, { audience: 'https://elsewhere.example/mcp' });
  try {
    const error = await s.connect().then(() => undefined, (e: unknown) => e);
    const cause = (error as Error).cause;
    // Before: the user was sent to sign in three times (a refresh between each), then got the
    // transport's "POST failed with HTTP 401 Unauthorized".
    assert.instance(cause, AuthError, String(error));
    assert.is((cause as AuthError).code, 'MCP_ERR_AUTH_REFUSED');
    assert.match((cause as AuthError).message, /refused the token http:\/\/127\.0\.0\.1:\d+ had just issued for it \(invalid_token\); signing in again would not help/);
    assert.is(s.authorizations, 1);
    assert.is(s.as.events.filter((e) => e.kind === 'token').length, 1, 'no refresh either');
  } finally {
    await s.as.close();
  }
});

flow.run();

const stepUp = suite('step-up on 403 insufficient_scope');

stepUp('tools/call needing another scope re-authorizes with the union, once', async () => {
  // The 403 names only the missing scope; without the union the next list would need 'read' again.
  const s = await setup({}, { scopesFor: (m) => (m === 'tools/call' ? ['write'] : ['read']) });
  try {
    const { client, close } = await s.connect();
    const result = await client.callTool('test_simple_text', {});
    await client.listTools();
    await close();
    assert.not.ok(result.isError);
    const scopes = s.as.events.filter((e) => e.kind === 'authorize').map((e) => e.params.scope);
    assert.equal(scopes, ['read', 'read write']);
    assert.ok(s.log.includes('ok tools/call alice'), s.log.join('\n'));
  } finally {
    await s.as.close();
  }
});

stepUp('a later run steps up with the union of the kept token\'s scopes and the challenge\'s, not the challenge\'s alone', async () => {
  const store = createMemoryAuthStore();
  const s = await setup({}, { scopesFor: (m) => (m === 'tools/call' ? ['write'] : ['read']) }, store);
  try {
    await (await s.connect()).close(); // run 1: signs in with 'read'
    const { client, close } = await s.connect(); // run 2: a new client, the kept token
    await client.callTool('test_simple_text', {});
    await client.listTools();
    await close();
    const scopes = s.as.events.filter((e) => e.kind === 'authorize').map((e) => e.params.scope);
    // Before: ['read', 'write', 'read write']: the step-up lost 'read' (2026-07-28
    // basic/authorization, Step-Up Authorization Flow: the union with what was asked before),
    // and the next list sent the user to sign in once more.
    assert.equal(scopes, ['read', 'read write']);
  } finally {
    await s.as.close();
  }
});

stepUp('an authorization server that grants less than the step-up asked: MCP_ERR_AUTH_STEP_UP at once, naming what is missing, not two more sign-ins', async () => {
  const s = await setup({ withheldScopes: ['write'] }, { scopesFor: (m) => (m === 'tools/call' ? ['write'] : ['read']) });
  try {
    const { client, close } = await s.connect();
    const error = await client.callTool('test_simple_text', {}).then(() => undefined, (e: Error) => e);
    await close();
    const cause = error?.cause as AuthError | undefined;
    // Before: three step-up sign-ins, each granted 'read' alone, then "gave up after 3 authorizations".
    assert.is(cause?.code, 'MCP_ERR_AUTH_STEP_UP', String(error));
    assert.match(cause!.message, /granted "read" where .* needs "read write" \(write not granted\)/);
    assert.is(s.authorizations, 2);
  } finally {
    await s.as.close();
  }
});

stepUp('while the user is at the browser for a step-up, requests the token in use covers go on (a list)', async () => {
  const s = await setup({}, { scopesFor: (m) => (m === 'tools/call' ? ['write'] : ['read']) });
  try {
    let atBrowser: () => void = () => {};
    const stepUpStarted = new Promise<void>((resolve) => { atBrowser = resolve; });
    let back: () => void = () => {};
    const userBack = new Promise<void>((resolve) => { back = resolve; });
    let n = 0;
    const { client, close } = await s.connect({
      authorize: async (request) => {
        if (++n === 2) {
          atBrowser();
          await userBack;
        }
        return followRedirect(request);
      },
    });
    const call = client.callTool('test_simple_text', {});
    await stepUpStarted;
    let timer: NodeJS.Timeout | undefined;
    const listed = await Promise.race([
      client.listTools().then(() => 'listed'),
      new Promise<string>((resolve) => { timer = setTimeout(resolve, 5_000, 'still waiting on the step-up'); }),
    ]);
    clearTimeout(timer);
    back();
    const result = await call;
    await close();
    // Before: every request waited for the step-up sign-in (up to its time limit).
    assert.is(listed, 'listed');
    assert.not.ok(result.isError);
  } finally {
    await s.as.close();
  }
});

stepUp('a resource that always wants more scope gets at most 3 authorizations, then MCP_ERR_AUTH_STEP_UP', async () => {
  let n = 0;
  // Each check asks for a scope never asked before, so no token is ever enough (the count is
  // of authorizations in a row: a success in between would start it again).
  const s = await setup({}, { scopesFor: () => [`s${n++}`] });
  try {
    const error = await s.connect().then(() => undefined, (e: unknown) => e);
    // The transport reports the failed POST; the authorization error is its cause.
    const cause = (error as Error).cause;
    assert.instance(cause, AuthError);
    assert.is((cause as AuthError).code, 'MCP_ERR_AUTH_STEP_UP');
    assert.is(s.authorizations, 3);
  } finally {
    await s.as.close();
  }
});

stepUp.run();

const store = suite('tokens kept per issuer across runs');

store('a second run reuses the stored token (no new authorization); the file is private (0600)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const s = await setup({}, {}, createFileAuthStore({ dir: join(dir, 'auth') }));
  try {
    await (await s.connect()).close();
    await (await s.connect()).close();
    assert.is(s.authorizations, 1);
    const files = readdirSync(join(dir, 'auth'));
    assert.is(files.length, 1);
    assert.is(statSync(join(dir, 'auth', files[0]!)).mode & 0o777, 0o600);
    assert.is(statSync(join(dir, 'auth')).mode & 0o777, 0o700);
  } finally {
    await s.as.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A store with one sign-in in it whose tokens have aged: past `expires_at`, changed by `change`. */
interface Aged { s: Setup; fileStore: AuthStore; clientId: string | undefined; done(): Promise<void> }

async function signedInThenAged(change: (tokens: StoredTokens) => void = () => {}): Promise<Aged> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const fileStore = createFileAuthStore({ dir });
  const s = await setup({}, {}, fileStore);
  await (await s.connect()).close();
  const [record] = await fileStore.list();
  for (const tokens of Object.values(record!.tokens)) {
    tokens.expires_at = Math.floor(Date.now() / 1000) - 10;
    change(tokens);
  }
  await fileStore.write(record!);
  return {
    s, fileStore, clientId: record!.client?.client_id,
    async done() {
      await s.as.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

store('an expired stored token is refreshed before use, without asking the user', async () => {
  const { s, done } = await signedInThenAged();
  try {
    await (await s.connect()).close();
    assert.is(s.authorizations, 1);
    assert.is(s.as.events.filter((e) => e.kind === 'token' && e.params.grant_type === 'refresh_token').length, 1);
  } finally {
    await done();
  }
});

store('a registration the authorization server dropped (invalid_client at the refresh) is forgotten: the user signs in under a new one', async () => {
  const { s, fileStore, clientId, done } = await signedInThenAged((tokens) => {
    tokens.access_token = 'expired'; // the resource refuses it too
  });
  try {
    s.as.dropRegistrations(); // the server expired it, or lost its database
    const errors: string[] = [];
    // Before: the stale client id went to /authorize, which refuses it without a redirect.
    await (await s.connect({ onError: (e) => errors.push(e.message) })).close();
    assert.is(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, 'invalid_client');
    assert.is(s.as.events.filter((e) => e.kind === 'register').length, 2);
    const [after] = await fileStore.list();
    assert.is.not(after!.client!.client_id, clientId);
    assert.is(s.authorizations, 2);
  } finally {
    await done();
  }
});

store('a refresh the server refuses is reported through onError, then the user is asked again', async () => {
  const { s, done } = await signedInThenAged((tokens) => {
    tokens.refresh_token = 'revoked';
    tokens.access_token = 'expired'; // the resource refuses it too
  });
  try {
    const errors: string[] = [];
    await (await s.connect({ onError: (e) => errors.push(e.message) })).close();
    assert.is(errors.length, 1);
    assert.match(errors[0]!, 'invalid_grant');
    assert.is(s.authorizations, 2);
  } finally {
    await done();
  }
});

store('when the resource moves to another authorization server, the client registers there again', async () => {
  // 2026-07-28 basic/authorization/client-registration (SEP-2352): a registration belongs to the issuer that made it.
  const shared = createMemoryAuthStore();
  const first = await setup({}, {}, shared);
  const second = await setup({}, {}, shared);
  try {
    await (await first.connect()).close();
    await (await second.connect()).close();
    const idAt = (as: OAuthAs) => as.events.find((e) => e.kind === 'authorize')?.params.client_id;
    assert.is(second.as.events.filter((e) => e.kind === 'register').length, 1, 'registered at the new server');
    assert.ok(idAt(second.as), 'authorized at the new server');
    assert.is.not(idAt(second.as), idAt(first.as));
    const holders = (await shared.list()).filter((r) => Object.keys(r.tokens).length > 0).map((r) => r.issuer);
    assert.equal(holders, [second.as.issuer], 'the old server\'s tokens for the resource are dropped');
    await (await second.connect()).close();
    assert.is(second.authorizations, 1, 'a later run starts from the new server\'s token');
  } finally {
    await first.as.close();
    await second.as.close();
  }
});

store.run();
