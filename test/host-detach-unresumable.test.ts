// Ctrl+C on a call no later run can resume (2026-07-28: no sessions, no event ids) offered
// "[d]etach (goes on, resumable)" and said it "watches it again (also after quit and
// restart)"; quitting then cancelled it ("could not be resumed later"). hostwalk3 found it
// with `npm run host -- --url ... --era modern` at the travel form. Now the questions and the
// detach line say what detaching means for such a call, and the 2025 era's wording stays.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let server: Server;
let dir: { path: string; remove(): Promise<void> };

const detach = suite('host: detaching a call that cannot be resumed after quit');

detach.before(async () => {
  dir = await tempDir('mcpwire-host-detach-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 300 });
});
detach.after(async () => {
  await killAll();
  await dir.remove();
});

detach('2026-07-28: Ctrl+C and detach say it goes on while the host runs; quit cancels it, as said', async () => {
  const host = spawnHost(['--era', 'modern', '--tasks', 'off', '--url', server.url, '--state', `${dir.path}/modern`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Rome');
  await c.expect(/Answer\? \[a\]ccept/);
  host.kill('SIGINT');
  const asked = await c.expect(/Ctrl\+C: #1 travel_agent: \[d\]etach \(([^)]*)\)/, 'd');
  assert.is(asked[1], 'goes on while this host runs');
  const said = await c.expect(/#1 travel_agent detached; ([^\n]*)/, 'quit');
  assert.is(said[1], 'it goes on while this host runs. "resume 1" watches it again; quitting ends it (2026-07-28 calls have no stream to resume).');
  await c.expect(/#1 travel_agent cancelled on leaving/);
  await c.expect(/Goodbye!/);
  assert.is(await host.exited(), 0);
});

detach('2026-07-28: quit with the call watched says that leaving cancels it', async () => {
  const host = spawnHost(['--era', 'modern', '--tasks', 'off', '--url', server.url, '--state', `${dir.path}/modern-quit`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'research_agent urban heat');
  await c.expect(/research_agent [█░]+ +\d+% \(1\/9\)/, 'help');
  // help said "leave (running calls: detach or cancel them first)"; quit asks instead.
  await c.expect(/quit \| exit \| q +leave; with calls watched, asks whether to detach or cancel them/, 'quit');
  const asked = await c.expect(/#1 research_agent still running: \[d\]etach \(([^)]*)\) or \[c\]ancel\?/, 'd');
  assert.is(asked[1], 'not resumable next time: 2026-07-28 calls have no stream to resume; leaving cancels it');
  await c.expect(/#1 research_agent cancelled on leaving/);
  await c.expect(/Goodbye!/);
  assert.is(await host.exited(), 0);
});

detach('2025-11-25: the wording stays (the call resumes after quit and restart)', async () => {
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', `${dir.path}/legacy`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Rome');
  await c.expect(/Answer\? \[a\]ccept/);
  host.kill('SIGINT');
  await c.expect(/Ctrl\+C: #1 travel_agent: \[d\]etach \(goes on, resumable\)/, 'd');
  await c.expect(/#1 travel_agent detached; it goes on on the server\. "resume 1" watches it again \(also after quit and restart\)\./, 'quit');
  await c.expect(/Goodbye\. 1 call goes on on the server/);
  assert.is(await host.exited(), 0);
});

detach.run();
