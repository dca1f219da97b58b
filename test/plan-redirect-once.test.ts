// Issue #11 defect 3: a plan step redirected to another server must not run twice. The
// original call is cancelled and forgotten (a later "resume" finds nothing), and the booking
// carries the step's idempotency key, so the original server re-running its interrupted call
// after a restart returns the booking the other server made instead of booking again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { all, conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const once = suite('plan: a redirected step runs once');

once.before(async () => { dir = await tempDir('mcpwire-plan-once-'); });
once.after(async () => {
  await killAll();
  await dir.remove();
});

/** The booking records (and claims) in a records folder. */
async function bookings(records: string): Promise<{ booked: Array<Record<string, any>>; claims: number }> {
  const names = await readdir(join(records, 'bookings'));
  const recs = await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await readFile(join(records, 'bookings', n), 'utf8'))));
  return { booked: recs.filter((r) => r.status === 'booked'), claims: names.filter((n) => n.endsWith('.claim')).length };
}

once('kill -9 mid-booking, redirect, restart the first server, resume: one booking, nothing resumed', async () => {
  const records = join(dir.path, 'records');
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 400, args: ['--records', records] });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 20, args: ['--records', records] });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { 'agents-a': { url: a.url }, 'agents-b': { url: b.url } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, 'host'), '--yes']);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan a trip to Lisbon for 2 people');
  await c.expect(/1\. Trip to Lisbon: travel_agent \{"destination":"Lisbon","travellers":2\} on agents-a \(then agents-b\)/);
  // Past the confirmation (answered by --yes): the first server has the answer, not yet the booking.
  await c.expect(/travel_agent@agents-a [█░]+ +\d+% \(7\/10\)/, undefined, 20_000);
  await a.kill9();
  await c.expect(/↪ agents-a stopped answering[^\n]*; redirecting travel_agent to agents-b/, undefined, 15_000);
  const done = await c.expect(/══ Plan: "a trip to Lisbon for 2 people" \(rules\): 1 of 1 step done[\s\S]*?Sources:/, undefined, 20_000);
  assert.match(done[0], /1\. Trip to Lisbon \(travel_agent on agents-b, after agents-a failed\)\n {2}Booked: London → Lisbon/);

  // The first server comes back with its state and re-runs the call it had in flight.
  const again = await startServer({ state: join(dir.path, 'a'), stepMs: 20, port: a.port, args: ['--records', records] });
  await again.proc.waitFor(/restored 1 sessions/, { stream: 'stderr' }).catch(() => undefined);
  host.send('resume');
  await c.expect(/Nothing to resume: no detached calls and none on record\./);
  host.send('quit');
  assert.is(await host.exited(), 0);
  assert.is(all(host.out(), /Booked: London → Lisbon/).length, 1, 'the host saw one booking');

  // Let the restarted server finish its re-run, then count: one booking, one claim.
  const deadline = Date.now() + 10_000;
  let seen = await bookings(records);
  while (seen.booked.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await bookings(records);
  }
  assert.is(seen.booked.length, 1, 'one booking record');
  assert.is(seen.claims, 1, 'one claim');
  assert.match(seen.booked[0]!.idempotencyKey, /^plan-/);
  await again.stop();
  await b.stop();
});

once('separate records: the first server, back from kill -9, is told again to stop its re-run; it books nothing', async () => {
  const a = await startServer({ state: join(dir.path, 'a2'), stepMs: 400 });
  const b = await startServer({ state: join(dir.path, 'b2'), stepMs: 20 });
  const config = join(dir.path, 'servers-2.json');
  await writeFile(config, JSON.stringify({ mcpServers: { 'agents-a': { url: a.url }, 'agents-b': { url: b.url } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, 'host-2')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan a trip to Rome');
  await c.expect(/Run it\? \[y\/N\]:/, 'y');
  await c.expect(/Answer\?/, 'a');
  await c.expect(/Book this trip \(yes\/no\)/, 'yes');
  await c.expect(/Fare class/, '');
  await c.expect(/Notes/, '');
  await c.expect(/Send\?/, '');
  // Confirmed on agents-a, which now waits for the model request: kill it there.
  await c.expect(/travel_agent@agents-a asks the model:[\s\S]*?Answer it with[^\n]*\[Y\/n\]:/, undefined, 20_000);
  await a.kill9();
  host.send('y');
  await c.expect(/redirecting travel_agent to agents-b with your answers/, undefined, 15_000);
  await c.expect(/asked the model the same as before its plan step was redirected; sent the earlier answer/, undefined, 20_000);
  await c.expect(/══ Plan: "a trip to Rome" \(rules\): 1 of 1 step done/, undefined, 20_000);
  // agents-a comes back and re-runs the call it had; the host says "stop" again, and it does.
  const again = await startServer({ state: join(dir.path, 'a2'), stepMs: 20, port: a.port });
  const deadline = Date.now() + 15_000;
  let status: string | undefined;
  while (Date.now() < deadline) {
    const names = (await readdir(join(dir.path, 'a2', 'agents', 'bookings'))).filter((n) => n.endsWith('.json'));
    status = names.length === 1 ? JSON.parse(await readFile(join(dir.path, 'a2', 'agents', 'bookings', names[0]!), 'utf8')).status : undefined;
    if (status === 'cancelled' || status === 'booked') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(status, 'cancelled', 'the re-run on agents-a was stopped before booking');
  assert.is((await bookings(join(dir.path, 'b2', 'agents'))).booked.length, 1, 'agents-b booked it');
  host.send('quit');
  assert.is(await host.exited(), 0);
  await again.stop();
  await b.stop();
});

once.run();
