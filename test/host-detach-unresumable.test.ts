// Ctrl+C on a call no later run can resume (2026-07-28: no sessions, no event ids) offered
// "[d]etach (goes on, resumable)" and said it "watches it again (also after quit and
// restart)"; quitting then cancelled it ("could not be resumed later"). hostwalk3 found it
// with `npm run host -- --url ... --era modern` at the travel form. Now the questions and the
// detach line say what detaching means for such a call, and the 2025 era's wording stays.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { bin, conversation, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

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

// hostwalk19's leftover: with one call on an HTTP session and one on a stdio server, Ctrl+C
// said "goes on while this host runs" of both, though the HTTP call goes on on the server
// after the host too (the lines after "d" said so per call): the question says it per call.
detach('a resumable call and a stdio one: Ctrl+C says what detaching means for each', async () => {
  await writeFile(`${dir.path}/mixed.json`, JSON.stringify({ mcpServers: {
    remote: { url: server.url },
    local: { command: process.execPath, args: [bin, 'serve', '--stdio', '--agents', '--step-ms', '300'] },
  } }));
  const host = spawnHost(['--tasks', 'off', '--config', `${dir.path}/mixed.json`, '--state', `${dir.path}/mixed`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'research_agent@remote topic=urban');
  await c.expect(/▶ #1 research_agent@remote/, 'research_agent@local topic=heat');
  await c.expect(/▶ #2 research_agent@local/);
  // Both run; the first model request is shown (the second waits behind it).
  await c.expect(/Answer it with [^\n]*\[Y\/n\]:/, undefined, 30_000);
  host.kill('SIGINT');
  const asked = await c.expect(/Ctrl\+C: #1 research_agent@remote, #2 research_agent@local: \[d\]etach \(([^)]*(?:\([^)]*\)[^)]*)*)\), \[c\]ancel/, 'c');
  assert.is(asked[1], '#1 goes on, resumable; #2 goes on while this host runs (its stdio server ends with the host)');
  await c.expect(/⊘ #2 research_agent@local cancelled/, 'quit');
  await c.expect(/Goodbye/);
  assert.is(await host.exited(), 0);
});

detach.run();
