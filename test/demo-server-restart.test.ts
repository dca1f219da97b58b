// `npm start` (mcpwire demo): its server killed with kill -9 mid-call is started again on the
// same port and state, and the call resumes and completes (found walking the demo: nothing
// restarted it, and the host said "calls are kept and resume when it is back" for ever).
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { all, answerModel, conversation, killAll, spawnCli, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const restart = suite('demo: a server that dies is started again');

restart.before(async () => { dir = await tempDir('mcpwire-demo-restart-'); });
restart.after(async () => {
  await killAll();
  await dir.remove();
});

restart('kill -9 of the server mid-call: the demo says so, starts it again on the same port, and the call completes once', async () => {
  const demo = spawnCli(['demo', '--state', join(dir.path, 'state'), '--step-ms', '150', '--no-color']);
  const c = conversation(demo);
  const started = await c.expect(/Agents server: (http:\/\/127\.0\.0\.1:\d+\/mcp) \(pid (\d+);/, undefined, 30_000);
  const [url, pid] = [started[1]!, Number(started[2])];
  await c.expect(/Type "help"/, 'research_agent urban heat');
  await c.expect(/\(2\/9\)/);
  process.kill(pid, 'SIGKILL');
  // The restart is told before the host finds the server reachable again (it once came after, under load).
  await c.expect(/the agents server stopped \(killed by SIGKILL\); starting it again on the same port\n/, undefined, 30_000);
  const again = await demo.waitFor(/the agents server runs again \(pid (\d+)\); the call in flight resumes\n/, { timeoutMs: 30_000 });
  await c.expect(/is reachable again; resuming/, undefined, 30_000);
  assert.is.not(Number(again[1]), pid);
  // The demo's own line first, then the host's (hostwalk12: "reachable again" came before "runs again").
  const out = demo.out();
  assert.ok(out.indexOf('the agents server runs again') < out.indexOf('is reachable again'), out.slice(out.indexOf('stopped (killed')));
  await answerModel(c, '', 30_000);
  await c.expect(/✓ #1 research_agent finished/, 'quit', 30_000);
  assert.is(await demo.exited(30_000), 0);
  assert.ok(demo.out().includes(url));
  const steps = all(demo.out(), /\((\d)\/9\)/);
  assert.equal(steps, [...new Set(steps)], `each step once: ${steps}`);
});

// hostwalk20's walk: "runs again (pid N); calls in flight resume" was said with no call running.
restart('kill -9 with no call running: the restart line promises no resume', async () => {
  const demo = spawnCli(['demo', '--state', join(dir.path, 'idle'), '--step-ms', '150', '--no-color']);
  const c = conversation(demo);
  const started = await c.expect(/Agents server: http:\/\/127\.0\.0\.1:\d+\/mcp \(pid (\d+);/, undefined, 30_000);
  await c.expect(/Type "help"/);
  process.kill(Number(started[1]), 'SIGKILL');
  await demo.waitFor(/the agents server runs again \(pid \d+\)\n/, { timeoutMs: 30_000 });
  demo.send('quit');
  assert.is(await demo.exited(30_000), 0);
  assert.not.match(demo.out(), /in flight resume/, demo.out());
});

restart.run();
