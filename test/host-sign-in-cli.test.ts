// `mcpwire host --url` (the built CLI) signing in to a protected server. On a terminal (a
// util-linux `script` pseudo-terminal) the authorization URL is opened in the browser, as the
// README says ("it prints the authorization URL (and opens it when it can)"): the "browser" is
// an `xdg-open` put first on PATH that follows the URL to the host's loopback listener (Linux
// only). A user slower than the handshake's time limit (--connect-timeout-ms) still signs in:
// only --sign-in-timeout-ms bounds the wait on the browser.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMcpHttpHandler, createJwtVerifier, createProtectedResource, createServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen, type ExchangeServable } from 'mcpwire/transport';
import { registerFixtures } from '../conformance/fixtures/index.ts';
import { bin, hasScript, killAll, spawnHost, tempDir, track } from './host-harness.ts';
import { startOAuthAs, type OAuthAs } from './support/oauth-as.ts';

/** The fake browser is an `xdg-open`, the opener on Linux. */
const canRun = process.platform === 'linux' && hasScript;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A browser for the test: load the URL, follow its redirect (to the host's callback). */
const BROWSER = `fetch(process.argv[1], { redirect: 'manual' }).then((r) => fetch(r.headers.get('location'))).then((r) => r.text())`;

/** A protected mcpwire server (the fixtures) on loopback, its resource being its URL, and the test AS. */
async function protectedServer(): Promise<{ as: OAuthAs; url: string; close(): Promise<void> }> {
  const as = await startOAuthAs();
  const ref: ExchangeServable = { exchange: () => Promise.reject(new Error('not ready')) };
  const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${listening.port}/mcp`;
  const server = createServer({ name: 'protected', version: '1' });
  registerFixtures(server);
  const handler = createMcpHttpHandler(server, {
    allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port), keepAliveMs: 0,
    protectedResource: createProtectedResource({ resource: url, authorizationServers: [as.issuer], verifier: createJwtVerifier({ issuer: as.issuer, audience: url }) }),
  });
  ref.exchange = handler.exchange;
  return {
    as, url,
    async close() {
      await handler.close();
      await listening.close();
      await as.close();
    },
  };
}

const tty = suite('host sign-in, the built CLI');
tty.after(() => killAll());

tty('the authorization URL is opened in the browser, which comes back and signs the user in', async () => {
  if (!canRun) return console.log('  (skipped: needs Linux and util-linux script)');
  const dir = await tempDir('mcpwire-signin-tty-');
  const { as, url, close } = await protectedServer();
  try {
    const opener = join(dir.path, 'xdg-open');
    await writeFile(opener, `#!/bin/sh\nexec ${quote(process.execPath)} -e ${quote(BROWSER)} "$1"\n`);
    await chmod(opener, 0o755);
    const command = [process.execPath, bin, 'host', '--url', url, '--state', join(dir.path, 'state'), '--sign-in-timeout-ms', '10000'].map(quote).join(' ');
    const host = track(spawn('script', ['-qfc', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PATH: `${dir.path}:${process.env.PATH}`, TERM: 'xterm', NO_COLOR: '1' },
    }));
    // Before the fix nothing opened the URL: "no sign-in within 10 s".
    const seen = await host.waitFor(/signed in at \S+ as alice|no sign-in within/, { timeoutMs: 40_000 });
    assert.match(seen[0], /signed in at/);
    assert.is(as.events.filter((e) => e.kind === 'authorize').length, 1);
    host.child.stdin!.write('quit\r');
    await host.exited();
  } finally {
    await close();
    await dir.remove();
  }
});

tty('a user slower than --connect-timeout-ms: the handshake waits for the sign-in, then goes on', async () => {
  const dir = await tempDir('mcpwire-signin-slow-');
  const { as, url, close } = await protectedServer();
  try {
    const host = spawnHost(['--url', url, '--state', join(dir.path, 'state'), '--exec', 'list', '--connect-timeout-ms', '1000', '--sign-in-timeout-ms', '30000']);
    const line = await host.waitFor(/open (http\S+)/, { stream: 'stderr', timeoutMs: 40_000 });
    // The user takes 2.5 s at the browser, past the 1 s the handshake may take.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // Before the fix the host had left by then, and its listener with it: the fetch fails.
    const browsed = await (async () => {
      const first = await fetch(line[1]!, { redirect: 'manual' });
      await first.body?.cancel();
      await (await fetch(first.headers.get('location')!)).text();
    })().then(() => 'came back', (e: Error) => e.message);
    const code = await host.exited(40_000);
    // Before the fix: exit 3, "did not answer in time (initialize timed out after 1000 ms)".
    assert.is(code, 0, host.err());
    assert.is(browsed, 'came back');
    assert.match(host.out(), /^test_simple_text\t/m, host.out());
    assert.is(as.events.filter((e) => e.kind === 'authorize').length, 1, 'one sign-in');
  } finally {
    await close();
    await dir.remove();
  }
});

tty('Ctrl+C while --exec waits on the browser: the host leaves at once (130), its loopback listener closed', async () => {
  const dir = await tempDir('mcpwire-signin-int-');
  const { url, close } = await protectedServer();
  try {
    const host = spawnHost(['--url', url, '--state', join(dir.path, 'state'), '--exec', 'list', '--sign-in-timeout-ms', '60000']);
    const line = await host.waitFor(/open (http\S+)/, { stream: 'stderr', timeoutMs: 40_000 });
    host.kill('SIGINT');
    // Before: nothing but --sign-in-timeout-ms (60 s here) ended the wait.
    const code = await host.exited(15_000);
    assert.is(code, 130, host.err());
    assert.match(host.err(), /mcpwire host: interrupted while reaching the servers; nothing was called/);
    const redirectUri = new URL(line[1]!).searchParams.get('redirect_uri')!;
    const probe = await fetch(redirectUri).then((r) => `answered ${r.status}`, (e: Error) => (e.cause as NodeJS.ErrnoException | undefined)?.code);
    assert.is(probe, 'ECONNREFUSED');
  } finally {
    await close();
    await dir.remove();
  }
});

tty.run();
