// kill -9 of the host as soon as it shows anything of a call's stream (hostwalk, session 17:
// within ms of a call's start the kill left nothing to resume, as the entry and its first
// event id reached disk a few ms later). The host now shows nothing of a call before both are
// on disk (host-write-ahead.test.ts checks the order against a slow disk); here the whole
// path: the next run resumes the call and gets its result once, and the server made one report.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
const early = suite('host: kill -9 right after a call started');
early.before(async () => { dir = await tempDir('mcpwire-host-kill-early-'); });
early.after(async () => {
  await killAll();
  await dir.remove();
});

early('the first line of the call\'s stream is shown, the host is killed: the next run resumes it and gets the result once', async () => {
  const records = join(dir.path, 'records');
  const server = await startServer({ state: join(dir.path, 'server'), stepMs: 300, args: ['--records', records] });
  const state = join(dir.path, 'host');
  try {
    const host = spawnHost(['--url', server.url, '--state', state]);
    const c = conversation(host);
    await c.expect(/Type "help"/, 'research_agent urban heat');
    // The first thing the server sent for the call (a log line or progress), not a file on disk.
    await c.expect(/#1 research_agent(?: ·| [█░])/);
    host.kill('SIGKILL');
    await host.exited();

    const again = spawnHost(['--url', server.url, '--state', state, '--yes']);
    const d = conversation(again);
    await d.expect(/An earlier run left 1 call in flight:\n {2}#1 research_agent \{"topic":"urban heat"\}/);
    await d.expect(/✓ #1 research_agent finished/, 'quit', 30_000);
    assert.is(await again.exited(), 0);
    assert.not.match(again.out(), /nothing to resume from/);
    assert.is(again.out().match(/✓ #1 research_agent finished/g)?.length, 1, again.out());
    const reports = (await readdir(join(records, 'reports'))).filter((f) => f.endsWith('.json'));
    assert.is(reports.length, 1, `one report: ${reports.join(', ')}`);
  } finally {
    await server.stop();
  }
});

early.run();
