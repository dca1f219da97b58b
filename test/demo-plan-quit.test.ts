// `npm start`, a plan running, the host left (quit, or Ctrl+C on a piped script): the demo stops its server with the host, yet the plan's
// line said "its calls in flight go on" (under "Goodbye. ... the server stops now"): they stop
// with the server and resume at the next start, as the goodbye says (hostwalk16's walk).
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnCli, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const quit = suite('demo: leaving while a plan runs');

quit.before(async () => { dir = await tempDir('mcpwire-demo-plan-quit-'); });
quit.after(async () => {
  await killAll();
  await dir.remove();
});

quit('the plan\'s line says its calls stop with the server and resume at the next start', async () => {
  const demo = spawnCli(['demo', '--state', join(dir.path, 'state'), '--step-ms', '300', '--no-color']);
  const c = conversation(demo);
  await c.expect(/Type "help"/, 'plan research heat pumps', 30_000);
  await c.expect(/Run it\? \[y\/N\]:/, 'y');
  // Ctrl+C (SIGINT) on a piped script leaves as quit does, keeping what runs.
  await c.expect(/research_agent [█░]+ +\d+% \(1\/9\)/, undefined, 30_000);
  demo.kill('SIGINT');
  await c.expect(/👋 Goodbye\. 1 call is kept: the server stops now, and it resumes when you start again\./, undefined, 30_000);
  await demo.exited(30_000);
  const out = demo.out();
  assert.match(out, /⊘ The plan "research heat pumps" stops with this run and is kept: its calls in flight stop with the server and resume when you start again, and the next start offers to finish it/, out);
  assert.not.match(out, /go on/, out);
});

quit.run();
