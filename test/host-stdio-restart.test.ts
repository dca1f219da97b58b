// A stdio server killed under the host: the host notices at once (the server shows down, the
// call it ran fails with a line that says why and that stdio cannot resume it), restarts the
// server after a short backoff, and its tools work again.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnHost, tempDir } from './host-harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: { path: string; remove(): Promise<void> };

const restart = suite('host: a stdio server that dies is noticed and restarted');

restart.before(async () => {
  dir = await tempDir('mcpwire-host-stdio-');
  const config = { mcpServers: { probe: { command: process.execPath, args: ['--conditions=mcpwire-source', '--import', 'tsx', join(root, 'test/stdio-probe-server.ts')], cwd: root } } };
  await writeFile(join(dir.path, 'probe.json'), JSON.stringify(config));
});
restart.after(async () => {
  await killAll();
  await dir.remove();
});

restart('kill -9 of the child mid-call: down, the call fails saying why, restarted, usable again', async () => {
  const host = spawnHost(['--config', join(dir.path, 'probe.json'), '--state', join(dir.path, 'host'), '--verbose']);
  const c = conversation(host);
  const pid = Number((await c.expect(/probe stderr: probe pid (\d+)/, undefined, 20_000))[1]);
  await c.expect(/Type "help"/, 'slow');
  await c.expect(/tick 2/);
  process.kill(pid, 'SIGKILL');
  await c.expect(/⚠ probe is down: server process "[^"]+" was killed by SIGKILL[^;\n]*; restarting it in 0\.5 s \(attempt 1\)/);
  await c.expect(/✗ #1 slow failed: probe exited under it \(server process "[^"]+" was killed by SIGKILL\); a stdio call cannot be resumed: run it again/);
  const again = Number((await c.expect(/probe stderr: probe pid (\d+)/, undefined, 20_000))[1]);
  assert.is.not(again, pid, 'a new process');
  await c.expect(/⚠ probe restarted/, 'servers');
  await c.expect(/probe: ready/, 'show_roots');
  await c.expect(/✓ #2 show_roots finished/, 'status');
  await c.expect(/#1 slow {2}failed/, 'quit');
  assert.is(await host.exited(), 0);
});

restart('--stdio-restarts 0: the server shows down, and is not started again', async () => {
  const host = spawnHost(['--config', join(dir.path, 'probe.json'), '--state', join(dir.path, 'host2'), '--verbose', '--stdio-restarts', '0']);
  const c = conversation(host);
  const pid = Number((await c.expect(/probe stderr: probe pid (\d+)/, undefined, 20_000))[1]);
  await c.expect(/Type "help"/);
  process.kill(pid, 'SIGKILL');
  await c.expect(/⚠ probe is down: server process "[^"]+" was killed by SIGKILL[^;\n]*; not restarted; "list" tries again/, 'servers');
  await c.expect(/probe: down \(server process "[^"]+" was killed by SIGKILL\)/, 'quit');
  assert.is(await host.exited(), 0);
  assert.not.match(host.out(), /probe restarted/);
});

restart.run();
