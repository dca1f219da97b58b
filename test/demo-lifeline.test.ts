// `npm start` (mcpwire demo) killed with kill -9 takes its server down with it (the server
// watches a pipe from the demo), and one state directory runs one demo at a time: a second is
// refused while the first runs, and a killed demo's lock is taken over.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnCli, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const lifeline = suite('demo: the server ends with the demo; one demo per state');

lifeline.before(async () => { dir = await tempDir('mcpwire-demo-lifeline-'); });
lifeline.after(async () => {
  await killAll();
  await dir.remove();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const demo = (state: string) => spawnCli(['demo', '--state', state, '--step-ms', '10', '--no-color']);

lifeline('kill -9 of the demo stops its server; a second demo meanwhile is refused; the next one starts', async () => {
  const state = join(dir.path, 'state');
  const first = demo(state);
  const c1 = conversation(first);
  const serverPid = Number((await c1.expect(/Agents server: http:\/\/127\.0\.0\.1:\d+\/mcp \(pid (\d+);/, undefined, 30_000))[1]);
  await c1.expect(/Type "help"/);
  assert.ok(alive(serverPid));

  const second = demo(state);
  assert.is(await second.exited(30_000), 2);
  assert.match(second.err(), new RegExp(`another demo \\(pid ${first.child.pid}\\) is running on the state in .*demo-server`));
  assert.ok(alive(serverPid), 'the refused demo left the running server alone');

  first.kill('SIGKILL');
  await first.exited();
  for (let i = 0; alive(serverPid); i++) {
    assert.ok(i < 200, `the server (pid ${serverPid}) outlived its demo`);
    await new Promise((r) => setTimeout(r, 50));
  }

  const third = demo(state);
  const c3 = conversation(third);
  await c3.expect(/Agents server: /, undefined, 30_000);
  await c3.expect(/Type "help"/, 'quit');
  assert.is(await third.exited(30_000), 0);
});

lifeline.run();
