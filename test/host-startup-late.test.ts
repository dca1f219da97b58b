// A server that takes the connection and never answers held the first screen, and the first
// command, for the connect timeout (15 s) while the others had answered (hostwalk, session
// 17). The first screen now waits `--startup-wait-ms`, goes on with the servers that
// answered, names the late one, and says when it answers or gives up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
const late = suite('host: a server that does not answer at start');
late.before(async () => { dir = await tempDir('mcpwire-host-startup-late-'); });
late.after(async () => {
  await killAll();
  await dir.remove();
});

late('the first screen goes on with the servers that answered, names the silent one, and says when it gives up', async () => {
  const silent: Server = createServer(() => { /* takes the request, never answers */ });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const agents = await startServer({ state: join(dir.path, 'server') });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: {
    agents: { url: agents.url },
    sleepy: { url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp` },
  } }));
  try {
    // The connect timeout is far past the start-up wait: the first screen must not wait for it.
    const host = spawnHost(['--config', config, '--state', join(dir.path, 'host'), '--startup-wait-ms', '2000', '--connect-timeout-ms', '12000']);
    const c = conversation(host);
    await c.expect(/… sleepy has not answered yet, after [\d.]+ s; going on without it: it is brought in when it answers/);
    await c.expect(/Type "help"/);
    assert.not.match(host.out(), /did not answer in time/, 'the first screen came before the connect timeout');
    // On a loaded machine the agents too may come late, with their own line: either way they are in.
    await host.waitFor(/✓ agents: connected to mcpwire-agents/);
    host.send('list');
    // "list" does not wait for sleepy again: the agents' tools come before it gives up.
    await c.expect(/Tools on agents:\n {2}travel_agent/);
    await c.expect(/Tools on sleepy: unavailable \(sleepy has not answered yet, after [\d.]+ s\)/);
    assert.not.match(host.out(), /did not answer in time/, host.out());
    await c.expect(/✗ sleepy did not answer in time \(initialize timed out after 12000 ms\)/, 'quit', 20_000);
    assert.is(await host.exited(), 0);
  } finally {
    silent.closeAllConnections();
    silent.close();
    await agents.stop();
  }
});

late.run();
