// `mcpwire host --exec`: progress on stderr, the result on stdout, an exit code a script can use.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let server: Server;
let dir: { path: string; remove(): Promise<void> };

const exec = suite('host --exec: one command for scripts');

exec.before(async () => {
  dir = await tempDir('mcpwire-host-exec-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 10 });
});
exec.after(async () => {
  await killAll();
  await dir.remove();
});

const run = async (args: string[]) => {
  const p = spawnHost(['--url', server.url, '--state', `${dir.path}/host`, ...args]);
  p.end();
  const code = await p.exited(30_000);
  return { code, out: p.out(), err: p.err() };
};

exec('a booking with --yes: progress and the accepted form on stderr, the result on stdout, exit 0', async () => {
  const r = await run(['--exec', 'travel_agent destination=Tokyo travellers=2', '--yes']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^Booked: London → Tokyo/);
  assert.match(r.out, /↗ agents:\/\/bookings\//);
  assert.not.match(r.out, /\(\d+\/10\)/, 'no progress on stdout');
  assert.match(r.err, /travel_agent [█░]+ +50% \(5\/10\)/);
  assert.match(r.err, /\(--yes\) accepted with \{"confirm":true,"fareClass":"economy"\}/);
});

exec('--json: one JSON document with the result', async () => {
  const r = await run(['--exec', 'research_agent topic="heat pumps" depth=quick', '--yes', '--json']);
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.is(doc.ok, true);
  assert.is(doc.tool, 'research_agent');
  assert.equal(doc.arguments, { topic: 'heat pumps', depth: 'quick' });
  assert.is(doc.result.structuredContent.status, 'complete');
  assert.is(doc.result.structuredContent.summaryMethod, 'sampling');
});

exec('without --yes and with no one to ask, the form is cancelled and nothing is booked', async () => {
  const r = await run(['--exec', 'travel_agent destination=Rome', '--json']);
  const doc = JSON.parse(r.out);
  assert.match(JSON.stringify(doc.result.content), /cancel/i);
  assert.not.match(JSON.stringify(doc.result.content), /Booked:/);
});

exec('mistakes exit 2 with a message; an unreachable server exits 3; list prints the tools', async () => {
  const bad = await run(['--exec', 'travel_agent city=Rome']);
  assert.is(bad.code, 2);
  assert.match(bad.err, /mcpwire host: this tool has no argument "city"/);
  const missing = await run(['--exec', 'travel_agent travellers=2']);
  assert.is(missing.code, 2);
  assert.match(missing.err, /travel_agent needs destination \(e\.g\. destination=\.\.\.\)/);
  const unknown = await run(['--exec', 'teleport x', '--json']);
  assert.is(unknown.code, 2);
  assert.is(JSON.parse(unknown.out).ok, false);
  const port = await freePort();
  const down = spawnHost(['--url', `http://127.0.0.1:${port}/mcp`, '--state', `${dir.path}/host`, '--exec', 'travel_agent destination=Rome']);
  down.end();
  assert.is(await down.exited(), 3);
  assert.match(down.err(), /mcpwire host: cannot reach 127\.0\.0\.1:\d+ \(connection refused\); is it running\?/);
  const list = await run(['--exec', 'list']);
  assert.is(list.code, 0);
  assert.match(list.out, /^travel_agent\t127\.0\.0\.1:\d+\tTravel agent$/m);
});

exec('usage errors of the command line itself exit 2', async () => {
  const p = spawnHost(['--exec', 'list']);
  assert.is(await p.exited(), 2);
  assert.match(p.err(), /name a server: --url URL or --config FILE/);
  const q = spawnHost(['--url', server.url, '--json']);
  assert.is(await q.exited(), 2);
  assert.match(q.err(), /--json goes with --exec/);
});

exec.run();
