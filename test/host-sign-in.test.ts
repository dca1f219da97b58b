// The host's sign-in to a protected server: the authorization URL is printed, the browser
// comes back to a loopback listener on 127.0.0.1, who is signed in is shown, tokens are kept
// per issuer under the state directory and reused by the next run; no browser: a clean
// time-out; --token: the bearer is sent as is.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { AuthError } from 'mcpwire/client';
import { explain } from '../host/explain.ts';
import { createHostSignIn } from '../host/sign-in.ts';
import { browse, editTokens, fixture, listWith, ORIGIN, ORIGIN2, signInOnce, signInUrl } from './support/host-sign-in-kit.ts';

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

signIn('a damaged token file, then a state directory that cannot be written: each said as what it is, and the user signs in', async () => {
  const f = await fixture();
  try {
    await signInOnce(f);
    const [name] = readdirSync(join(f.dir, 'auth'));
    writeFileSync(join(f.dir, 'auth', name!), '{"issuer": "http://127.0.0.1:1", "tok'); // cut short
    const said: string[] = [];
    const second = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => { said.push(t); void browse(t); } });
    await listWith(second.auth, f.resource);
    second.close();
    // Before: "POST failed: cannot parse …", the same on every run until the file was deleted.
    assert.ok(said.some((l) => /^demo: the sign-in kept in .* is damaged .*moved aside to .*; signing in again$/.test(l)), said.join('\n'));
    assert.is(f.as.events.filter((e) => e.kind === 'authorize').length, 2);

    rmSync(join(f.dir, 'auth'), { recursive: true });
    writeFileSync(join(f.dir, 'auth'), ''); // a file where the directory goes: nothing can be kept
    const third: string[] = [];
    const signIn3 = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => { third.push(t); void browse(t); } });
    await listWith(signIn3.auth, f.resource);
    signIn3.close();
    // Before: the store's error failed the request after the user signed in.
    assert.ok(third.some((l) => /^demo: cannot .*: the sign-in is kept for this run only/.test(l)), third.join('\n'));
    assert.not.ok(third.some((l) => l.includes('could not refresh')), third.join('\n'));
  } finally {
    await f.done();
  }
});

signIn('a refresh ahead of expiry that fails: the run goes on with the current token, and the host says so (not "signing in again")', async () => {
  const f = await fixture();
  try {
    await signInOnce(f);
    // The local clock holds the token expired (it runs ahead, the machine slept); its refresh
    // token was revoked; the resource still takes the token.
    editTokens(f.dir, { expires_at: Math.floor(Date.now() / 1000) - 10, refresh_token: 'revoked' });
    const said: string[] = [];
    const second = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => { said.push(t); void browse(t); } });
    await listWith(second.auth, f.resource);
    second.close();
    assert.is(f.as.events.filter((e) => e.kind === 'authorize').length, 1, 'nobody was asked to sign in again');
    // Before: "demo: could not refresh the sign-in (invalid_grant); signing in again", and no sign-in followed.
    const line = said.find((l) => l.includes('could not refresh'));
    assert.match(line ?? said.join('\n'), /^demo: could not refresh the sign-in before it expires \(.*\); going on with it until demo refuses it, then signing in again$/);
  } finally {
    await f.done();
  }
});

signIn('a refresh of the sign-in is not said as "signed in" again (it would interrupt the run every token lifetime)', async () => {
  const f = await fixture();
  try {
    await signInOnce(f);
    editTokens(f.dir, { expires_at: Math.floor(Date.now() / 1000) - 10 }); // due: refreshed ahead of the next request
    const said: string[] = [];
    const second = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => said.push(t) });
    await listWith(second.auth, f.resource);
    second.close();
    assert.is(f.as.events.filter((e) => e.kind === 'token' && e.params.grant_type === 'refresh_token').length, 1);
    // Before: "demo: signed in at … as alice" twice: for the kept tokens, then for their refresh.
    assert.is(said.filter((l) => l.includes('signed in at')).length, 1, said.join('\n'));
  } finally {
    await f.done();
  }
});

signIn('the host leaves (Ctrl+C) during a sign-in: the request fails at once as cancelled, the loopback listener is closed', async () => {
  const f = await fixture();
  try {
    let redirectUri = '';
    let s: Awaited<ReturnType<typeof createHostSignIn>> | undefined;
    s = await createHostSignIn('demo', {
      stateDir: f.dir, timeoutMs: 60_000,
      say: (t) => {
        const at = signInUrl(t);
        if (!at) return;
        redirectUri = at.redirectUri;
        s!.close(); // the user pressed Ctrl+C instead of going to the browser
      },
    });
    const started = Date.now();
    const error = await listWith(s.auth, f.resource).then(() => undefined, (e: unknown) => e);
    // Before: nothing ended the wait but --sign-in-timeout-ms (here 60 s), the listener open meanwhile.
    assert.ok(Date.now() - started < 10_000, `ended after ${Date.now() - started} ms`);
    const cause = (error as Error).cause;
    assert.instance(cause, AuthError);
    assert.is((cause as AuthError).code, 'MCP_ERR_AUTH_INTERACTION');
    assert.match((cause as AuthError).message, /the sign-in was cancelled/);
    const probe = await fetch(redirectUri).then((r) => `answered ${r.status}`, (e: Error) => (e.cause as NodeJS.ErrnoException | undefined)?.code);
    assert.is(probe, 'ECONNREFUSED');
  } finally {
    await f.done();
  }
});

/** Make the kept access tokens unusable, so the next run signs in again (not a refresh). */
function spoilTokens(dir: string, also: Record<string, unknown> = {}): void {
  editTokens(dir, { access_token: 'spoiled', refresh_token: 'spoiled', ...also });
}

signIn('a later run listens on the port of the kept registration (a server that pins it needs no new one); a taken port is said, and registered anew', async () => {
  const f = await fixture({ pinRedirects: true });
  const { as, resource } = f;
  const redirects = () => as.events.filter((e) => e.kind === 'authorize').map((e) => e.params.redirect_uri);
  try {
    const run = async (said: string[] = []) => {
      const s = await createHostSignIn('demo', { stateDir: f.dir, timeoutMs: 20_000, say: (t) => { said.push(t); void browse(t); } });
      try {
        await listWith(s.auth, resource);
      } finally {
        s.close();
      }
      return said;
    };
    await run();
    spoilTokens(f.dir);
    await run();
    // Before: a new port each run, so the pinning server needed a second registration.
    assert.is(redirects()[1], redirects()[0]);
    assert.is(as.events.filter((e) => e.kind === 'register').length, 1);

    spoilTokens(f.dir);
    const port = Number(new URL(redirects()[0]!).port);
    const squatter = createHttpServer((_req, res) => res.end());
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const said = await run();
      assert.ok(said.some((l) => l.startsWith(`demo: port ${port}, where the kept registration expects the browser back, is taken: signing in through port `)), said.join('\n'));
      assert.is.not(redirects()[2], redirects()[0]);
      assert.is(as.events.filter((e) => e.kind === 'register').length, 2, 'registered for the new port');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  } finally {
    await f.done();
  }
});

signIn('two servers of one run at one authorization server share one listener and one registration, run after run', async () => {
  const f = await fixture({ pinRedirects: true });
  const { as } = f;
  const registrations = () => as.events.filter((e) => e.kind === 'register').length;
  try {
    const run = async () => {
      const said: string[] = [];
      const say = (t: string) => { said.push(t); void browse(t); };
      const a = await createHostSignIn('a', { stateDir: f.dir, timeoutMs: 20_000, say });
      const b = await createHostSignIn('b', { stateDir: f.dir, timeoutMs: 20_000, say });
      try {
        // The host reaches its servers at once: both wait on the browser together.
        await Promise.all([listWith(a.auth, f.resource), listWith(b.auth, f.second, ORIGIN2)]);
      } finally {
        a.close();
        b.close();
      }
      return said;
    };
    const first = await run();
    const redirects = new Set(as.events.filter((e) => e.kind === 'authorize').map((e) => e.params.redirect_uri));
    // Before: b found the registered port taken by a's listener, said so and registered again.
    assert.is(redirects.size, 1, [...redirects].join(' '));
    assert.is(registrations(), 1, first.join('\n'));
    spoilTokens(f.dir);
    const second = await run();
    // Before: each run's first sign-in took the port of the other's registration: a new one every run.
    assert.is(registrations(), 1, second.join('\n'));
    assert.not.ok(second.some((l) => l.includes('is taken')), second.join('\n'));
  } finally {
    await f.done();
  }
});

signIn('the authorization server down when the kept token is refused: said as that server being down, not the MCP server', async () => {
  const f = await fixture();
  try {
    await signInOnce(f);
    spoilTokens(f.dir, { expires_at: Math.floor(Date.now() / 1000) - 10 });
    const issuer = f.as.issuer;
    await f.as.close();
    const said: string[] = [];
    const second = await createHostSignIn('demo', { stateDir: f.dir, timeoutMs: 5_000, say: (t) => said.push(t) });
    const error = await listWith(second.auth, f.resource).then(() => undefined, (e: unknown) => e);
    second.close();
    // Before: "could not refresh the sign-in (fetch failed)", then "cannot reach demo
    // (connection refused); is it running?", while demo answered every request.
    assert.ok(said.includes(`demo: could not refresh the sign-in before it expires (cannot reach the authorization server ${issuer} (ECONNREFUSED)); going on with it until demo refuses it, then signing in again`), said.join('\n'));
    assert.is(explain(error, 'demo'), `demo: the sign-in failed: cannot reach the authorization server ${issuer} (ECONNREFUSED); it may be down: try again later, or tell the operator of the server`);
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
