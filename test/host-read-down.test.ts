// `read URI` tries every server and says why each could not give it. A server that was not
// connected was named twice ("sdk: cannot reach sdk ...", "other: other stopped ..."), as the
// connection's own explanation names it already (hostwalk7's leftover, session 24).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, killAll, spawnCli, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const read = suite('host: "read" across servers names each server once');
read.before(async () => { dir = await tempDir('mcpwire-host-read-down-'); });
read.after(async () => {
  await killAll();
  await dir.remove();
});

read('an HTTP server down, a stdio server that exits, one that has no such resource', async () => {
  const live = await startServer({ stepMs: 20 });
  try {
    const config = join(dir.path, 'servers.json');
    await writeFile(config, JSON.stringify({ mcpServers: {
      sdk: { url: `http://127.0.0.1:${await freePort()}/mcp` },
      other: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
      live: { url: live.url },
    } }));
    const host = spawnCli(['host', '--config', config, '--state', join(dir.path, 'state')]);
    host.child.stdin!.end('read agents://nothing\n');
    assert.is(await host.exited(60_000), 1);
    const line = /✗ cannot read agents:\/\/nothing \(([^\n]*)\)\n/.exec(host.out())?.[1];
    assert.ok(line, host.out());
    const parts = line!.split(/; (?=sdk|other|live)/);
    assert.match(parts[0]!, /^cannot reach sdk \(/);
    assert.match(parts[1]!, /^other stopped before answering initialize/);
    // An error of the server's own does not name it: the name leads.
    assert.match(parts[2]!, /^live: /);
    // Before: "sdk: cannot reach sdk", "other: other stopped".
    assert.not.match(line!, /sdk: cannot reach sdk|other: other stopped/);
  } finally {
    await live.stop();
  }
});

read.run();
