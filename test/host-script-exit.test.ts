// A script piped into `mcpwire host` (or `npm start`) exited 0 whatever became of its lines:
// `printf 'travel_agent destination=Atlantis\n' | npm start` printed "✗ #1 travel_agent
// reported an error" and exited 0, as did an unknown command (hostwalk4, session 22). A script
// that ran to its end now exits 1 when a line of it failed, as `--exec` does for its one
// command; 0 when all went well.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnCli, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;
let runs = 0;

const exit = suite('host: a piped script exits 1 when a line of it failed');
exit.before(async () => {
  dir = await tempDir('mcpwire-host-script-exit-');
  server = await startServer({ stepMs: 20 });
});
exit.after(async () => {
  await killAll();
  await dir.remove();
});

/** `mcpwire host` with `lines` written at once, then the end of input: its exit code and output. */
async function runScript(lines: string[]) {
  const host = spawnCli(['host', '--url', server.url, '--state', `${dir.path}/s${runs++}`, '--yes']);
  host.child.stdin!.end(`${lines.join('\n')}\n`);
  const code = await host.exited(90_000);
  return { code, out: host.out() };
}

exit('a tool that reports an error: exit 1', async () => {
  const run = await runScript(['travel_agent destination=Atlantis', 'history']);
  assert.match(run.out, /✗ #1 travel_agent reported an error/);
  assert.is(run.code, 1, run.out);
});

exit('an unknown command, a bad argument, a failed read: exit 1 each', async () => {
  for (const line of ['bogus', 'travel_agent destination=Oslo travellers=two', 'read agents://nothing']) {
    const run = await runScript([line, 'list']);
    assert.match(run.out, /✗ /, run.out);
    assert.is(run.code, 1, `${line}: ${run.out}`);
  }
});

exit('a tool whose arguments the script did not give: "not started", exit 1', async () => {
  const run = await runScript(['travel_agent']);
  assert.match(run.out, /travel_agent not started/);
  assert.is(run.code, 1, run.out);
});

exit('a line that is not UTF-8 (a Latin-1 script): not run, exit 1 (it was dropped and the exit code did not count it)', async () => {
  const host = spawnCli(['host', '--url', server.url, '--state', `${dir.path}/s${runs++}`, '--yes']);
  host.child.stdin!.end(Buffer.from('research_agent caf\xe9\nhistory\n', 'latin1'));
  const code = await host.exited(90_000);
  assert.match(host.out(), /✗ line 1 has bytes that are not UTF-8/);
  assert.not.match(host.out(), /research_agent finished/);
  assert.is(code, 1, host.out());
});

exit('every line done: exit 0, also with a quit at the end', async () => {
  const run = await runScript(['research_agent urban heat', 'history', 'quit']);
  assert.match(run.out, /✓ #1 research_agent finished/);
  assert.is(run.code, 0, run.out);
});

exit.run();
