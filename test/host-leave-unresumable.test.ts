// Leaving the host (quit, end of input) while a call runs that could not be resumed later
// (the server gave no point to resume its stream from: the official SDK without an event
// store, or a call whose reply has not begun): it was "detached" and so lost without a word,
// "Goodbye!" saying nothing was kept, while it went on unseen on the server. Now it is
// cancelled, the server is told, and the host says so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killAll, spawnHost, tempDir, track, type Proc } from './host-harness.ts';

const sdkServer = fileURLToPath(new URL('./sdk-http-server.mjs', import.meta.url));
let dir: { path: string; remove(): Promise<void> };
let server: Proc;
let url: string;

const leave = suite('host: leaving with a call that cannot be resumed');
leave.before(async () => {
  dir = await tempDir('mcpwire-host-leave-');
  server = track(spawn(process.execPath, [sdkServer], { stdio: ['ignore', 'pipe', 'pipe'] }));
  url = (await server.waitFor(/listening on (\S+)/, { stream: 'stderr' }))[1]!;
});
leave.after(async () => {
  await killAll();
  await dir.remove();
});

leave('end of input: the call is cancelled on the server and the host says why, not "Goodbye!" alone', async () => {
  const host = spawnHost(['--url', url, '--state', `${dir.path}/eof`]);
  await host.waitFor(/Type "help"/);
  const from = server.out().length;
  host.send('wait');
  // The call reached the server (its POST waits for the call's entry to be on disk first).
  await server.waitFor(/started \d+/, { from });
  host.end();
  assert.is(await host.exited(), 0, host.err());
  assert.match(host.out(), /#1 wait cancelled on leaving: it could not be resumed later/);
  await server.waitFor(/cancelled \d+/, { from }); // the SDK's handler saw the cancellation
  assert.match(host.out(), /👋 Goodbye!/);
  // It was ended here: nothing for "resume" to show (the line said "type resume 1 to see how").
  assert.not.match(host.out(), /ended while detached/);
});

leave('quit, detach: the same for a call that cannot be resumed; history says cancelled', async () => {
  const host = spawnHost(['--url', url, '--state', `${dir.path}/quit`]);
  await host.waitFor(/Type "help"/);
  const from = server.out().length;
  host.send('wait');
  await server.waitFor(/started \d+/, { from });
  host.send('quit');
  await host.waitFor(/still running: \[d\]etach/);
  host.send('d');
  assert.is(await host.exited(), 0, host.err());
  assert.match(host.out(), /#1 wait cancelled on leaving/);
  await server.waitFor(/cancelled \d+/, { from });
  const again = spawnHost(['--url', url, '--state', `${dir.path}/quit`]);
  await again.waitFor(/Type "help"/);
  again.send('history');
  await again.waitFor(/#1 wait\S* · cancelled/);
  again.end();
  assert.is(await again.exited(), 0);
});

leave.run();
