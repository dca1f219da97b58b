// `mcpwire host` against the official SDK 1.x over Streamable HTTP (test/sdk-http-server.mjs):
// what a first-time user sees of a server that is not ours.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { conversation, killAll, spawnHost, tempDir, track } from './host-harness.ts';
import { startSdk2Server } from './sdk2-example-server.ts';

const sdkServer = fileURLToPath(new URL('./sdk-http-server.mjs', import.meta.url));
let dir: { path: string; remove(): Promise<void> };
let url: string;

const sdk = suite('host against the official SDK 1.x HTTP server');
sdk.before(async () => {
  dir = await tempDir('mcpwire-host-sdk-');
  const server = track(spawn(process.execPath, [sdkServer], { stdio: ['ignore', 'pipe', 'pipe'] }));
  url = (await server.waitFor(/listening on (\S+)/, { stream: 'stderr' }))[1]!;
});
sdk.after(async () => {
  await killAll();
  await dir.remove();
});

sdk('the tool list shows each tool\'s description when it has no title, and the hint names a tool the server has', async () => {
  const host = spawnHost(['--url', url, '--state', `${dir.path}/list`]);
  const hint = await host.waitFor(/Type "help" for commands.*\n/);
  assert.match(host.out(), /\n {2}count +Counts with progress\. +\(steps\)\n/);
  assert.match(host.out(), /\n {2}ask +Asks your name\.\n/);
  assert.match(hint[0], /\(e\.g\. count\)/, 'not a tool of another server');
  host.end();
  assert.is(await host.exited(), 0);
});

sdk('a call with progress and a form answered, then quit', async () => {
  const host = spawnHost(['--url', url, '--state', `${dir.path}/call`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'count steps=3');
  await c.expect(/#1 count .*100% \(3\/3\) step 3/);
  await c.expect(/✓ #1 count finished .*\n {2}counted to 3/, 'ask');
  await c.expect(/Answer\?/, 'a');
  await c.expect(/name \(text\) \[required\]:/, 'Bob');
  await c.expect(/Send\?/, '');
  await c.expect(/✓ #2 ask finished .*\n {2}hello Bob/, 'quit');
  await c.expect(/👋 Goodbye!/);
  assert.is(await host.exited(), 0);
});

sdk('SDK 2.4\'s stateless handler in the 2025 era: "servers" says there is no session, not "sessions"', async () => {
  const sdk2 = await startSdk2Server();
  try {
    const host = spawnHost(['--url', sdk2.url, '--state', `${dir.path}/sdk2`, '--era', 'legacy']);
    const c = conversation(host);
    await c.expect(/Type "help"/, 'servers');
    await c.expect(/ready \(sdk2-example 1\.0\.0\), 2025-11-25 \(no session: calls cannot be resumed\)/);
    host.end();
    assert.is(await host.exited(), 0);
  } finally {
    await sdk2.close();
  }
});

sdk.run();
