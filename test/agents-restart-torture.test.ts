// Issue #11 acceptance: the agents server restarted 5 times during one travel booking, with
// SIGINT, SIGTERM and SIGKILL mixed, at every kind of moment (between steps, while the form is
// open, while the model request waits for approval, after the booking). The booking happens
// exactly once and the person is asked each question once. This depends on the server keeping
// sessions and recorded answers across any number of restarts (issue #11 defects 1 and 2).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { all, conversation, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const torture = suite('agents: five restarts during one booking');

torture.before(async () => { dir = await tempDir('mcpwire-torture-'); });
torture.after(async () => {
  await killAll();
  await dir.remove();
});

torture('SIGINT, SIGTERM, SIGKILL (form open), SIGTERM (model request open), SIGKILL (after booking): one booking, each question once', async () => {
  const state = join(dir.path, 'server');
  let server: Server = await startServer({ state, stepMs: 250 });
  const port = server.port;
  const restarts: string[] = [];
  async function restart(signal: NodeJS.Signals): Promise<void> {
    server.proc.kill(signal);
    await server.proc.exited(20_000);
    server = await startServer({ state, stepMs: 250, port });
    restarts.push(signal);
  }
  // A plain call (--tasks off): this is the stream resumption of issue #11. As a task, the
  // steps a re-run reports before the host's session is back are not kept (README, tasks).
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', join(dir.path, 'host')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Lisbon travellers=2');
  await c.expect(/\(2\/10\)/);
  await restart('SIGINT');
  await c.expect(/\(4\/10\)/, undefined, 30_000);
  await restart('SIGTERM');
  await c.expect(/Answer\? \[a\]ccept/, undefined, 30_000);
  await restart('SIGKILL');
  // The form that was open is answered: once.
  host.send('a');
  await c.expect(/Book this trip \(yes\/no\)/, 'yes', 30_000);
  await c.expect(/Fare class/, 'premium');
  await c.expect(/Notes/, 'torture test');
  await c.expect(/Send\?/, '');
  await c.expect(/Answer it with the local extractive summariser \(offline\)\? \[Y\/n\]:/, undefined, 30_000);
  await restart('SIGTERM');
  host.send('y');
  // Asked again after the restart (issue #11 defect 2)? Answer, so the count below says so.
  const next = await c.expect(/\(9\/10\)|Answer it with the local extractive summariser \(offline\)\? \[Y\/n\]:/, undefined, 30_000);
  if (!next[0].startsWith('(')) {
    host.send('y');
    await c.expect(/\(9\/10\)/, undefined, 30_000);
  }
  await restart('SIGKILL');
  await c.expect(/✓ #1 travel_agent finished/, undefined, 30_000);
  await c.expect(/Booked: London → Lisbon/, 'quit');
  assert.is(await host.exited(), 0);
  await server.stop();

  assert.equal(restarts, ['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGTERM', 'SIGKILL']);
  const out = host.out();
  assert.is(all(out, /Answer\? \[a\]ccept/).length, 1, 'the form was shown once');
  assert.is(all(out, /asks the model:/).length, 1, 'the model request was shown once');
  assert.is(all(out, /Booked: London → Lisbon/).length, 1, 'one booking reported');
  const files = (await readdir(join(state, 'agents', 'bookings'))).filter((f) => f.endsWith('.json'));
  const records = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(state, 'agents', 'bookings', f), 'utf8'))));
  assert.is(records.length, 1, 'one booking record');
  assert.is(records[0].status, 'booked');
  assert.is(records[0].choice.fareClass, 'premium');
  assert.is(records[0].choice.notes, 'torture test');
  assert.is(records[0].history.filter((h: { status: string }) => h.status === 'booked').length, 1);
});

torture.run();
