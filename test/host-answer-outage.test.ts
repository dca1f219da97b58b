// An answer typed while the server is down reaches the server once it is back (found walking
// the demo: the form's answer was POSTed into a refused connection and dropped, the host
// moved its stored position past the question, and the restarted server's re-run waited for
// that answer for ever: the call hung at "Waiting for your confirmation"). Plain calls
// (`--tasks off`) on a `serve --http --agents --state` process killed with SIGKILL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { all, answerModel, conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const outage = suite('host: a question answered while its server is down');

outage.before(async () => { dir = await tempDir('mcpwire-host-outage-'); });
outage.after(async () => {
  await killAll();
  await dir.remove();
});

/** Kill the server while its form is open, then answer the whole form while it is down. */
async function answerWhileDown(c: ReturnType<typeof conversation>, server: Awaited<ReturnType<typeof startServer>>, destination: string) {
  await c.expect(/Type "help"/, `travel_agent destination=${destination}`);
  await c.expect(/Answer\?/);
  await server.kill9();
  await c.type('a');
  await c.expect(/Book this trip \(yes\/no\)/, 'yes');
  await c.expect(/Fare class/, '');
  await c.expect(/Notes/, '');
  await c.expect(/Send\?/, '');
  await c.expect(/→ accept/);
}

outage('the host keeps running: the answer is delivered when the server is back, and the call books once', async () => {
  const state = `${dir.path}/server-a`;
  let server = await startServer({ state, stepMs: 20 });
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', `${dir.path}/host-a`]);
  const c = conversation(host);
  await answerWhileDown(c, server, 'Rome');
  server = await startServer({ state, stepMs: 20, port: server.port });
  await answerModel(c, '', 30_000);
  await c.expect(/✓ #1 travel_agent finished/, 'quit', 30_000);
  assert.is(await host.exited(), 0);
  assert.is(all(host.out(), /Booked: London → Rome/).length, 1);
  assert.is(all(host.out(), /Book this trip \(yes\/no\)/).length, 1, 'the form was filled in once');
  await server.stop();
});

outage('the host quits before the server is back: the next run sends the answer on record, and the call books once', async () => {
  const state = `${dir.path}/server-b`;
  let server = await startServer({ state, stepMs: 20 });
  const hostState = `${dir.path}/host-b`;
  const first = spawnHost(['--tasks', 'off', '--url', server.url, '--state', hostState]);
  const c1 = conversation(first);
  await answerWhileDown(c1, server, 'Reykjavik');
  await c1.type('quit');
  await c1.expect(/\[d\]etach/, 'd');
  assert.is(await first.exited(), 0);
  server = await startServer({ state, stepMs: 20, port: server.port });
  const second = spawnHost(['--tasks', 'off', '--url', server.url, '--state', hostState]);
  const c2 = conversation(second);
  await c2.expect(/Resume and show what you missed\?/, 'y');
  await c2.expect(/sent your earlier answer \(accept\)/, undefined, 30_000);
  await answerModel(c2, '', 30_000);
  await c2.expect(/✓ #1 travel_agent finished/, 'quit', 30_000);
  assert.is(await second.exited(), 0);
  assert.is(all(second.out(), /Booked: London → Reykjavik/).length, 1);
  assert.not.match(second.out(), /Book this trip \(yes\/no\)/, 'not asked again');
});

outage.run();
