// The host's output closed under it: the reader of its pipe went away (`npm start | tee log`
// and a Ctrl+C, which ends tee too; `mcpwire host ... | head`). The next write failed with
// EPIPE, emitted as an 'error' no one heard, and the host died with a stack trace, leaving
// its call to whatever the server did next.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnCli, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const test = suite('host: its output closed by the reader');
test.before(async () => {
  dir = await tempDir('mcpwire-host-epipe-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 150 });
});
test.after(async () => {
  await killAll();
  await server.stop();
  await dir.remove();
});

test('the host says so on stderr and leaves, detaching its call; the next run resumes it', async () => {
  const state = `${dir.path}/host`;
  const host = spawnCli(['host', '--url', server.url, '--state', state, '--input', 'live']);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Paris');
  await c.expect(/\(2\/10\)/);
  host.child.stdout!.destroy(); // the reader goes away: the next progress line meets EPIPE
  const code = await host.exited(30_000);
  assert.is(code, 0, host.err());
  assert.match(host.err(), /the output closed \(EPIPE\); leaving, calls in flight detached/);
  assert.not.match(host.err(), /Unhandled|\n\s+at /, 'no stack trace');

  const again = spawnCli(['host', '--url', server.url, '--state', state, '--input', 'live']);
  const d = conversation(again);
  await d.expect(/An earlier run left 1 call in flight:\n\s+#1 travel_agent/);
  await d.expect(/Resume and show what you missed\?/, 'y');
  await d.expect(/Answer\?/, 'c');
  await d.expect(/#1 travel_agent/, 'quit');
  assert.is(await again.exited(), 0);
});

test.run();
