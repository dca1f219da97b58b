// Leaving mid-plan with a step's call on a stdio server (hostwalk18, session 35): the server is
// the host's child and ends with it, and the host said so of the call, then "The plan ... is
// kept: its calls in flight go on" of the same call. The plan's line now says it ends with
// the server, and what the next start does with such a step.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { bin, conversation, killAll, spawnHost, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const leave = suite('host: leaving a plan whose step runs on a stdio server');
leave.before(async () => { dir = await tempDir('mcpwire-host-plan-leave-stdio-'); });
leave.after(async () => {
  await killAll();
  await dir.remove();
});

leave('quit mid-step: the plan line says the call ends with its stdio server, not that it goes on', async () => {
  await writeFile(`${dir.path}/servers.json`, JSON.stringify({ mcpServers: { local: { command: process.execPath, args: [bin, 'serve', '--stdio', '--agents', '--step-ms', '400'] } } }));
  const host = spawnHost(['--config', `${dir.path}/servers.json`, '--state', `${dir.path}/host`, '--yes']);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan research heat pumps');
  await c.expect(/research_agent [█░]+ +\d+% \(1\//, 'quit', 30_000);
  await c.expect(/still running: \[d\]etach \([^\n]*\) or \[c\]ancel\?/, 'd');
  await c.expect(/👋 Goodbye/);
  assert.is(await host.exited(), 0);
  const out = host.out();
  assert.match(out, /#1 research_agent runs on a stdio server, which ends with the host; it cannot be resumed/, out);
  assert.not.match(out, /its calls in flight go on/, out);
  assert.match(out, /⊘ The plan "research heat pumps" stops with this run and is kept: #1 could not be resumed \(#1 ends with the stdio server\); the next start offers to finish it: #1's step is not run again \(research_agent may change something and the step has no idempotency key\), then the steps not yet started/, out);
});

// hostwalk19's walk, the start after such a quit: the offer said the failed step would "run
// again where that is safe" and the plan then refused it (research_agent may change something);
// the plan's answer said "local exited under it" of the server the host itself stopped on quit.
leave('the next start: the offer says the step is not run again, and the answer says the host stopped the server', async () => {
  const host = spawnHost(['--config', `${dir.path}/servers.json`, '--state', `${dir.path}/host`, '--yes']);
  const c = conversation(host);
  await c.expect(/An earlier run left the plan "research heat pumps" unfinished/);
  await c.expect(/══ Plan: "research heat pumps"[^\n]*/, 'quit', 60_000);
  await c.expect(/👋 Goodbye/);
  assert.is(await host.exited(), 0);
  const out = host.out();
  assert.match(out, /  1\. [^\n]*: research_agent · #1 failed on local: not run again \(research_agent may change something and the step has no idempotency key\)\n/, out);
  assert.not.match(out, /run again where that is safe/, out);
  assert.match(out, /#1 failed \(ended with the host, which stops its stdio server local when it leaves; a stdio call cannot be resumed/, out);
  assert.not.match(out, /exited under it/, out);
});

leave.run();
