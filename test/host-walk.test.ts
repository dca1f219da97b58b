// What a first-time user of `npm start` ran into (session 16's walk), each a case that failed
// before its fix: `<tool>@<server>` as help offers it, a plan step that fails at once, and a
// value that breaks a pattern.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir } from 'node:fs/promises';
import { conversation, killAll, spawnCli, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const walk = suite('host: the demo as a first-time user walks it');
walk.before(async () => {
  dir = await tempDir('mcpwire-host-walk-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 150 });
});
walk.after(async () => {
  await killAll();
  await server.stop();
  await dir.remove();
});

walk('<tool>@<server> works with one server too; an unknown server is named as such; a detach with nothing to detach and a bare call say so', async () => {
  const host = spawnHost(['--url', server.url, '--name', 'agents', '--state', `${dir.path}/host-at`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'detach');
  // With no call watched, detach said nothing at all.
  await c.expect(/No call is being watched; "status" lists the calls\./, 'travel_agent@agents ?');
  await c.expect(/travel_agent: Plans and books a trip/, 'travel_agent@nowhere destination=Rome');
  await c.expect(/✗ No server is named "nowhere"; the servers are agents \(type "servers"\)\./, 'call');
  await c.expect(/✗ call needs a tool name, e\.g\. call travel_agent destination=Tokyo; "list" shows the tools/, 'quit');
  assert.is(await host.exited(), 0);
  assert.not.match(host.out(), /Unknown command/);
});

walk('a plan step whose tool reports an error says so at once, not only in the summary at the end', async () => {
  const host = spawnHost(['--url', server.url, '--name', 'agents', '--state', `${dir.path}/host-plan`, '--yes']);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan a trip to Oslo and research heat pumps');
  // Oslo is not in the offline timetable: travel_agent answers isError at once, while the
  // research step (150 ms a step) runs on.
  await c.expect(/══ Plan: "a trip to Oslo and research heat pumps" \(rules\): 1 of 2 steps done/, 'quit', 60_000);
  assert.is(await host.exited(), 0);
  const said = /✗ #\d+ travel_agent on agents reported an error: Unknown destination "Oslo"/.exec(host.out());
  assert.ok(said, host.out());
  assert.ok(said.index < host.out().indexOf('Research: heat pumps (research_agent'), 'said before the research step ended');
});

walk('a server killed under a call shows as lost contact in status and servers, not as ready', async () => {
  const state = `${dir.path}/server-killed`;
  const own = await startServer({ state, stepMs: 200 });
  const host = spawnHost(['--url', own.url, '--name', 'agents', '--state', `${dir.path}/host-lost`]);
  const c = conversation(host);
  try {
    await c.expect(/Type "help"/, 'travel_agent destination=Paris');
    await c.expect(/\(2\/10\)/);
    await own.kill9();
    await c.expect(/⚠ lost contact with agents \(connection refused\)/, 'status');
    // Per call, as the lost-contact line: the booking had its first events, so it is kept.
    await c.expect(/ {2}server agents: lost contact \(connection refused\); 1 call is kept and resumes when it is back/, 'servers');
    await c.expect(/ {2}agents: lost contact \(connection refused\); 1 call is kept and resumes when it is back/);
    const back = await startServer({ state, port: own.port, stepMs: 200 });
    try {
      // Good news, not a warning: ✓, not ⚠.
      await c.expect(/✓ agents is reachable again; resuming/);
      // Typed once the call's form has been answered: typed earlier, it may meet the form.
      await c.expect(/Answer\?/, 'c');
      await c.expect(/✓ #1 travel_agent finished/, 'servers');
      await c.expect(/ {2}agents: ready/, 'quit');
      assert.is(await host.exited(), 0);
    } finally {
      await back.stop();
    }
  } finally {
    await own.stop();
  }
});

walk('npm start -- --corpus DIR with no readable file: the banner says so (it was only in the server log)', async () => {
  const corpus = `${dir.path}/pdfs-only`;
  await mkdir(corpus);
  const demo = spawnCli(['demo', '--state', `${dir.path}/demo-corpus`, '--corpus', corpus, '--step-ms', '10', '--no-color', '--input', 'live']);
  const c = conversation(demo);
  await c.expect(/Research corpus: .*pdfs-only\n⚠ the corpus pdfs-only has no \.md, \.markdown or \.txt files; research will find nothing\n/, undefined, 30_000);
  await c.expect(/Try: travel_agent destination=Lisbon travellers=2 · research_agent <a topic of your files>/);
  await c.expect(/Type "help"/, 'quit');
  assert.is(await demo.exited(), 0);
});

walk('a plan in a piped script runs to its end before the next line (the end of input cancelled every step)', async () => {
  const host = spawnCli(['host', '--url', server.url, '--name', 'agents', '--state', `${dir.path}/host-script-plan`, '--yes']);
  host.child.stdin!.end('plan a trip to Rome and research heat pumps\nhistory\n');
  assert.is(await host.exited(60_000), 0, host.err());
  const out = host.out();
  assert.match(out, /══ Plan: "a trip to Rome and research heat pumps" \(rules\): 2 of 2 steps done/, out);
  assert.ok(out.indexOf('Calls on record') > out.indexOf('══ Plan:'), 'history ran after the plan');
  assert.not.match(out, /cancelled/);
});

walk('"resume 1" in a piped script holds the lines after it: they answer the call\'s questions (they ran as commands)', async () => {
  const state = `${dir.path}/host-script-resume`;
  const first = spawnHost(['--url', server.url, '--name', 'agents', '--state', state]);
  const c = conversation(first);
  await c.expect(/Type "help"/, 'travel_agent destination=Rome');
  await c.expect(/\(2\/10\)/, 'detach');
  await c.expect(/detached/, 'quit');
  await c.expect(/Goodbye\. 1 call goes on on the server/);
  assert.is(await first.exited(), 0);

  const again = spawnCli(['host', '--url', server.url, '--name', 'agents', '--state', state]);
  again.child.stdin!.end(['n', 'resume 1', 'a', 'yes', '', '', 'y', 'y', 'history'].join('\n') + '\n');
  assert.is(await again.exited(60_000), 0, again.err());
  const out = again.out();
  assert.match(out, /✓ #1 travel_agent finished/, out);
  assert.not.match(out, /Unknown command/, out);
  assert.ok(out.indexOf('Calls on record') > out.indexOf('✓ #1 travel_agent finished'), 'history ran after the call');
});

walk.run();
