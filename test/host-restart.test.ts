// The server dies under the host: kill -9 mid-call and a restart on the same state directory
// (the call resumes and completes), a restart without state (one clear line, then a new
// session), and a server that is not there at all (one clear line, never a crash). Plain
// calls (`--tasks off`), whose streams are resumed; tasks: host-tasks-acceptance.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { all, conversation, freePort, killAll, spawnHost, startServer, tempDir, answerModel, bookWithDefaults } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const restart = suite('host: the server restarts or is gone');

restart.before(async () => { dir = await tempDir('mcpwire-host-restart-'); });
restart.after(async () => {
  await killAll();
  await dir.remove();
});

restart('kill -9 the server mid-call, restart it on the same state: the host says so, resumes, and the call completes', async () => {
  const state = `${dir.path}/server-a`;
  let server = await startServer({ state, stepMs: 150 });
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', `${dir.path}/host-a`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Barcelona');
  await c.expect(/\(3\/10\)/);
  await server.kill9();
  await c.expect(/⚠ lost contact with 127\.0\.0\.1:\d+ \(connection refused\); 1 call is kept and resumes when it is back/);
  server = await startServer({ state, stepMs: 150, port: server.port });
  await c.expect(/is reachable again; resuming/);
  await bookWithDefaults(c);
  // travel_agent asks the host's model to summarise the trip before booking
  await answerModel(c, '');
  await c.expect(/✓ #1 travel_agent finished/);
  await c.expect(/Booked: London → Barcelona/, 'quit');
  assert.is(await host.exited(), 0);
  const seen = all(host.out(), /\((\d+)\/10\)/).map((s) => Number(s.slice(1, -4)));
  assert.equal(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], `each step once: ${seen}`);
  await server.stop();
});

restart('kill -9 while the form is open: the restarted server does not ask again, the open form\'s answer books once', async () => {
  const state = `${dir.path}/server-d`;
  let server = await startServer({ state, stepMs: 20 });
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', `${dir.path}/host-d`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Marrakesh');
  await c.expect(/Answer\?/);
  await server.kill9();
  server = await startServer({ state, stepMs: 20, port: server.port });
  // The question stays open: its answer reaches the restarted server, whose re-run of the
  // call takes it (issue #11 defect 2).
  host.send('a');
  await c.expect(/Book this trip \(yes\/no\)/, 'y');
  await c.expect(/Fare class/, '');
  await c.expect(/Notes/, '');
  await c.expect(/Send\?/, '');
  // travel_agent asks the host's model to summarise the trip before booking
  await answerModel(c, '');
  await c.expect(/✓ #1 travel_agent finished/, 'quit');
  assert.is(await host.exited(), 0);
  assert.is(all(host.out(), /Booked: London → Marrakesh/).length, 1);
  assert.is(all(host.out(), /→ accept/).length, 1, 'answered once');
  assert.not.match(host.out(), /asked that again/, 'asked once');
  await server.stop();
});

restart('a server restarted without its state: the lost call is explained in one line, the next call gets a new session', async () => {
  let server = await startServer({ state: `${dir.path}/server-b`, stepMs: 150 });
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', `${dir.path}/host-b`, '--yes']);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'research_agent batteries');
  await c.expect(/\(2\/9\)/);
  await server.kill9();
  server = await startServer({ stepMs: 10, port: server.port });
  await c.expect(/✗ #1 research_agent failed: 127\.0\.0\.1:\d+ no longer knows our session \(it restarted without its state, or the session expired\)/, undefined, 30_000);
  host.send('research_agent batteries depth=quick');
  await c.expect(/⚠ 127\.0\.0\.1:\d+ had forgotten our session \(it expired or restarted without its state\); started a new one/);
  await c.expect(/✓ #2 research_agent finished/, 'quit');
  assert.is(await host.exited(), 0);
  assert.not.match(host.out() + host.err(), /Error:|    at /, 'no stack traces');
  await server.stop();
});

restart('host and server both stopped mid-call; the host comes back first: the call waits on record, then resumes', async () => {
  const state = `${dir.path}/server-e`;
  let server = await startServer({ state, stepMs: 150 });
  const hostState = `${dir.path}/host-e`;
  const first = spawnHost(['--tasks', 'off', '--url', server.url, '--state', hostState]);
  const c1 = conversation(first);
  await c1.expect(/Type "help"/, 'research_agent solar microgrids');
  await c1.expect(/\(2\/\d\)/);
  first.kill('SIGINT');
  await c1.expect(/\[d\]etach/, 'd');
  await c1.expect(/detached/, 'quit');
  assert.is(await first.exited(), 0);
  await server.kill9();
  const second = spawnHost(['--tasks', 'off', '--url', server.url, '--state', hostState, '--yes']);
  const c2 = conversation(second);
  await c2.expect(/✗ cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);
  await c2.expect(/1 call an earlier run left is on record for a server that is not reachable now; type "resume" once it is back\./);
  server = await startServer({ state, stepMs: 20, port: server.port });
  second.send('resume');
  await c2.expect(/↻ #1 research_agent \{"topic":"solar microgrids"\} resumed/);
  await c2.expect(/✓ #1 research_agent finished/, 'quit', 30_000);
  assert.is(await second.exited(), 0);
  await server.stop();
});

restart('nothing listening: one clear line per attempt, no crash; it connects once the server is up', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const host = spawnHost(['--tasks', 'off', '--url', url, '--state', `${dir.path}/host-c`]);
  const c = conversation(host);
  await c.expect(/✗ cannot reach 127\.0\.0\.1:\d+ \(connection refused\); is it running\?/);
  await c.expect(/Type "help"/, 'travel_agent destination=Oslo');
  await c.expect(/✗ Unknown command: "travel_agent destination=Oslo"\.[^\n]*is not connected, so its tools are unknown; "list" tries again/);
  const server = await startServer({ state: `${dir.path}/server-c`, port, stepMs: 10 });
  host.send('list');
  await c.expect(/travel_agent +Travel agent/, 'quit');
  assert.is(await host.exited(), 0);
  // Once at start: the tool list under it does not repeat it, and nothing retries in a loop.
  assert.is(all(host.out(), /cannot reach/).length, 1, 'said once at start, not again by the tool list below it');
  await server.stop();
});

restart.run();
