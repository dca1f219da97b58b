// The OAuth client from one run to the next, as a user meets it: a loopback redirect whose
// port changed against an authorization server that pins the registered one, and what a
// refresh does when the client's clock and the token's lifetime disagree.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileAuthStore, type AuthStore } from 'mcpwire/client';
import type { OAuthAsOptions } from './support/oauth-as.ts';
import { setup, type Setup } from './support/oauth-flow-setup.ts';

interface Runs { s: Setup; store: AuthStore; done(): Promise<void> }

async function withStore(asOptions: OAuthAsOptions): Promise<Runs> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-auth-'));
  const store = createFileAuthStore({ dir });
  const s = await setup(asOptions, {}, store);
  return {
    s, store,
    async done() {
      await s.as.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Make the stored tokens of every resource unusable (`mutate` them), as time or a revocation would. */
async function age(store: AuthStore, mutate: (tokens: Record<string, unknown>) => void): Promise<void> {
  for (const record of await store.list()) {
    for (const tokens of Object.values(record.tokens)) mutate(tokens as unknown as Record<string, unknown>);
    await store.write(record);
  }
}

const redirect = suite('a registration remembers its redirect URI');

redirect('a new loopback port at a server that pins the registered one: the client registers again instead of being refused', async () => {
  const { s, store, done } = await withStore({ pinRedirects: true, refreshTokens: false });
  try {
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40001/callback' })).close();
    const [record] = await store.list();
    assert.equal(record!.client!.redirect_uris, ['http://127.0.0.1:40001/callback']);
    await age(store, (t) => { t.access_token = 'expired'; });
    // Before: the old client id went to /authorize with the new port: 400, no redirect.
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40002/callback' })).close();
    assert.is(s.as.events.filter((e) => e.kind === 'register').length, 2);
    assert.is(s.authorizations, 2);
  } finally {
    await done();
  }
});

redirect('the same redirect URI reuses the registration; a refresh keeps the old one whatever the port (its refresh token is bound to it)', async () => {
  const { s, store, done } = await withStore({ pinRedirects: true });
  try {
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40001/callback' })).close();
    await age(store, (t) => { t.access_token = 'expired'; });
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40001/callback' })).close();
    await age(store, (t) => { t.access_token = 'expired'; });
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40003/callback' })).close();
    assert.is(s.as.events.filter((e) => e.kind === 'register').length, 1);
    assert.is(s.as.events.filter((e) => e.kind === 'token' && e.params.grant_type === 'refresh_token').length, 2);
    assert.is(s.authorizations, 1);
  } finally {
    await done();
  }
});

redirect('a registration kept without its redirect URIs (an older store) is replaced at the next authorization', async () => {
  const { s, store, done } = await withStore({ pinRedirects: true, refreshTokens: false });
  try {
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40001/callback' })).close();
    const [record] = await store.list();
    delete record!.client!.redirect_uris;
    for (const tokens of Object.values(record!.tokens)) tokens.access_token = 'expired';
    await store.write(record!);
    await (await s.connect({ redirectUri: 'http://127.0.0.1:40002/callback' })).close();
    assert.is(s.as.events.filter((e) => e.kind === 'register').length, 2);
  } finally {
    await done();
  }
});

redirect('a redirectUri function is told the registered redirect URIs, so a listener can take the same port again', async () => {
  const { s, store, done } = await withStore({ pinRedirects: true, refreshTokens: false });
  try {
    const told: Array<readonly string[] | undefined> = [];
    const pick = (registered: readonly string[] | undefined) => {
      told.push(registered);
      return registered?.[0] ?? 'http://127.0.0.1:40001/callback';
    };
    await (await s.connect({ redirectUri: pick })).close();
    await age(store, (t) => { t.access_token = 'expired'; });
    await (await s.connect({ redirectUri: pick })).close();
    assert.equal(told.at(-1), ['http://127.0.0.1:40001/callback']);
    assert.is(s.as.events.filter((e) => e.kind === 'register').length, 1, 'the registration is reused');
    assert.is(s.authorizations, 2);
  } finally {
    await done();
  }
});

redirect('the signal ends a sign-in whose browser never comes back: MCP_ERR_AUTH_INTERACTION at once, the callback told', async () => {
  const { s, done } = await withStore({});
  try {
    const ended = new AbortController();
    let given: AbortSignal | undefined;
    const outcome = s.connect({
      signal: ended.signal,
      // A callback that waits for ever (it ignores the signal it is given).
      authorize: (request) => {
        given = request.signal;
        ended.abort();
        return new Promise<string>(() => {});
      },
    }).then(() => 'connected', (e: Error) => e);
    const error = await outcome;
    // Before: no such option; the sign-in waited as long as its callback did.
    assert.instance(error, Error);
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    assert.is(cause?.code, 'MCP_ERR_AUTH_INTERACTION');
    assert.match(cause!.message!, /the sign-in was cancelled/);
    assert.is(given?.aborted, true);
    // A later request is refused at once too: nobody is left waiting on a browser.
    const again = await s.connect({ signal: ended.signal, authorize: () => new Promise<string>(() => {}) }).then(() => 'connected', (e: Error) => e);
    assert.match(((again as Error).cause as Error).message, /the sign-in was cancelled/);
  } finally {
    await done();
  }
});

redirect.run();

const refresh = suite('refresh ahead of expiry, bounded');

const refreshes = (s: Setup): number => s.as.events.filter((e) => e.kind === 'token' && e.params.grant_type === 'refresh_token').length;

refresh('tokens that live 20 s (under the 30 s margin) are not refreshed before every request', async () => {
  const { s, done } = await withStore({ accessTtlS: 20 });
  try {
    const { client, close } = await s.connect();
    for (let i = 0; i < 5; i++) await client.listTools();
    await close();
    // Before: 9 refreshes, one before every request the client sent (the 5 and its own).
    assert.is(refreshes(s), 0);
  } finally {
    await done();
  }
});

refresh('a refresh that fails while the resource still takes the token is tried once ahead of use, not before every request', async () => {
  // The local clock holds the token expired (it runs ahead, or the machine slept); the
  // token endpoint refuses the refresh; the resource, whose clock is right, takes the token.
  const { s, store, done } = await withStore({});
  try {
    await (await s.connect()).close();
    await age(store, (t) => {
      t.expires_at = Math.floor(Date.now() / 1000) - 10;
      t.refresh_token = 'revoked';
    });
    const errors: string[] = [];
    const { client, close } = await s.connect({ onError: (e) => errors.push(e.message) });
    for (let i = 0; i < 5; i++) await client.listTools();
    await close();
    // Before: 9, one before every request, each reported.
    assert.is(refreshes(s), 1);
    assert.is(errors.length, 1, errors.join('\n'));
    assert.is(s.authorizations, 1);
  } finally {
    await done();
  }
});

refresh.run();
