// The host's sign-in listener on 127.0.0.1 and the page it shows the browser: a stray request
// to the callback (another state) is refused and the sign-in goes on; an error answer from the
// authorization server is shown, unless its iss is another server's (RFC 9207).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHostSignIn } from '../host/sign-in.ts';
import { browse, fixture, listWith, signInUrl, type SignInFixture } from './support/host-sign-in-kit.ts';

const signIn = suite('host sign-in: the callback page');

signIn('a request to the callback that is not this sign-in\'s redirect (wrong state) is refused 400 and the sign-in goes on', async () => {
  const f = await fixture();
  try {
    const pages: Array<{ status: number; text: string }> = [];
    const s = await createHostSignIn('demo', {
      stateDir: f.dir, timeoutMs: 20_000,
      say: (t) => {
        const at = signInUrl(t);
        if (!at) return;
        void (async () => {
          // A stale tab, or a page that found the port: another state, no code of ours.
          const stray = await fetch(`${at.redirectUri}?code=forged&state=not-${at.state}`);
          pages.push({ status: stray.status, text: await stray.text() });
          await browse(t);
        })().catch(() => {}); // before the fix the stray request ended the sign-in, so this browse had no listener
      },
    });
    await listWith(s.auth, f.resource);
    s.close();
    assert.is(pages[0]?.status, 400);
    assert.match(pages[0]!.text, /not the answer to the sign-in in progress/);
    assert.is(f.as.events.filter((e) => e.kind === 'token').length, 1, 'the forged code never reached the token endpoint');
  } finally {
    await f.done();
  }
});

/** A sign-in whose browser comes back with an error answer carrying `iss`: the failure, and the page shown. */
async function refusedWith(f: SignInFixture, description: string, iss: string): Promise<{ error: unknown; text: string }> {
  let page: Promise<string> = Promise.resolve('');
  const s = await createHostSignIn('demo', {
    stateDir: f.dir, timeoutMs: 20_000,
    say: (t) => {
      const at = signInUrl(t);
      if (!at) return;
      const back = new URL(at.redirectUri);
      back.search = new URLSearchParams({ error: 'access_denied', error_description: description, state: at.state, iss }).toString();
      page = fetch(back).then((r) => r.text());
    },
  });
  const error = await listWith(s.auth, f.resource).then(() => undefined, (e: unknown) => e);
  s.close();
  return { error, text: await page };
}

signIn('the user refuses at the authorization server: the browser page says so, the error names access_denied', async () => {
  const f = await fixture();
  try {
    const { error, text } = await refusedWith(f, 'the user said no', f.as.issuer);
    assert.match(String((error as Error)?.cause ?? error), /access_denied: the user said no/);
    assert.match(text, /the sign-in was refused \(access_denied: the user said no\)/);
    assert.not.match(text, /signed in\./);
  } finally {
    await f.done();
  }
});

signIn('an error answer whose iss is another server\'s: neither the page nor the error shows its words (RFC 9207 §2.4)', async () => {
  // 2026-07-28 basic/authorization: on an iss mismatch the client MUST NOT act on or display
  // error or error_description. Before: the page said "the sign-in was refused (access_denied: …)".
  const f = await fixture();
  try {
    const { error, text } = await refusedWith(f, 'call 555-0100 to unlock', 'https://evil.example');
    assert.ok(error, 'the sign-in failed');
    assert.not.match(String((error as Error)?.cause ?? error), /555-0100/);
    assert.match(text, /does not come from the authorization server of the sign-in/);
    assert.not.match(text, /555-0100|access_denied/);
  } finally {
    await f.done();
  }
});

signIn.run();
