// Two `mcpwire host` processes on one state directory (two terminals, the default state):
// the second took the first one's session and live call for what "an earlier run left",
// rejoined and resumed it (with --yes) while the first still ran it, and each host's
// whole-file writes of history.json dropped the other's calls. Now the first host holds
// `<state>/host.lock`; a second one says so and keeps its state in memory, leaving the
// first one's session, calls and records alone. A lock whose host was killed is taken over.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;
const shared = suite('host: two hosts on one state directory');
shared.before(async () => {
  dir = await tempDir('mcpwire-host-shared-state-');
  server = await startServer({ agents: false });
});
shared.after(async () => {
  await killAll();
  await server.stop();
  await dir.remove();
});

shared('the second host neither resumes the first one\'s live call nor drops its records', async () => {
  const state = join(dir.path, 'state');
  const first = spawnHost(['--url', server.url, '--state', state]);
  const a = conversation(first);
  await a.expect(/Type "help"/);
  first.send('count steps=400 delayMs=25');
  await first.waitFor(/#1 count .*\(2\/400\)/); // the call's first events are seen: its token is on disk

  const second = spawnHost(['--url', server.url, '--state', state, '--yes']);
  const b = conversation(second);
  await b.expect(/Type "help"/);
  const start = second.out();
  assert.not.match(start, /Rejoined the session an earlier run left|An earlier run left|↻ #1 count/, 'the second host took the first one\'s call for a call left by an earlier run');
  assert.match(start, /⚠ another host \(pid \d+\) is using the state in .*: this run keeps its tokens, call history and plans in memory only/);
  second.send('echo text=from-the-second');
  await b.expect(/✓ #1 echo finished/, 'quit');
  await b.expect(/Goodbye/);
  assert.is(await second.exited(), 0);

  await first.waitFor(/✓ #1 count finished/, { timeoutMs: 30_000 });
  first.send('echo text=from-the-first');
  await first.waitFor(/✓ #2 echo finished/);
  first.send('quit');
  assert.is(await first.exited(), 0);

  const history = JSON.parse(await readFile(join(state, 'history.json'), 'utf8')) as { calls: Array<{ n: number; tool: string; status: string }> };
  assert.equal(history.calls.map((c) => [c.n, c.tool, c.status]), [[1, 'count', 'done'], [2, 'echo', 'done']], 'the first host\'s records, whole and numbered in order');

  // The first host gave the lock up: a third one uses the state, with no warning.
  const third = spawnHost(['--url', server.url, '--state', state, '--exec', 'history']);
  assert.is(await third.exited(), 0);
  assert.not.match(third.err(), /another host/);
  assert.match(third.out(), /#2 echo/);
});

shared('a lock left by a killed host is taken over', async () => {
  const state = join(dir.path, 'stale');
  const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a pid that has exited
  await mkdir(state, { recursive: true, mode: 0o700 });
  await writeFile(join(state, 'host.lock'), JSON.stringify({ pid: gone }), { mode: 0o600 });
  const host = spawnHost(['--url', server.url, '--state', state, '--exec', 'echo text=hi']);
  assert.is(await host.exited(), 0);
  assert.not.match(host.err(), /another host/, host.err());
  assert.match(host.out(), /hi/);
  assert.equal(JSON.parse(await readFile(join(state, 'history.json'), 'utf8')).calls.length, 1, 'the state was used');
});

// `mcpwire host --clean-tokens` did not look at the lock: run beside a live host it deleted
// the tokens of the calls that host was running, so a kill of that host lost them.
shared('--clean-tokens beside a live host is refused, naming it, and the host\'s tokens stay', async () => {
  const state = join(dir.path, 'clean');
  const first = spawnHost(['--url', server.url, '--state', state]);
  const a = conversation(first);
  await a.expect(/Type "help"/);
  first.send('count steps=400 delayMs=25');
  await first.waitFor(/#1 count .*\(2\/400\)/); // its token is on disk
  // The records only: the live host writes its token again at each event, through a temp file.
  const records = async () => (await readdir(join(state, 'tokens'))).filter((name) => name.endsWith('.json'));
  const before = await records();
  assert.ok(before.length > 0, 'the running call has a token');

  const clean = spawnHost(['--url', server.url, '--state', state, '--clean-tokens']);
  assert.is(await clean.exited(), 1, clean.out());
  assert.match(clean.err(), new RegExp(`another host \\(pid ${first.child.pid}\\) is using the state in .*; its tokens are left alone while it runs .*delete .*host\\.lock`));
  assert.equal(await records(), before, 'the live host\'s tokens were deleted');
  first.kill('SIGKILL');
  assert.is(await first.exited(), 128);

  // Once the host is gone, its lock is stale: the tokens are cleared.
  const again = spawnHost(['--url', server.url, '--state', state, '--clean-tokens']);
  assert.is(await again.exited(), 0, again.err());
  assert.match(again.out(), /Resumption tokens cleared \(1 server\)/);
});

shared.run();
