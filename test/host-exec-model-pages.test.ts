// A piped `--exec` script whose call asks the model: the request (22 lines) was paged, so the
// script's "y" meant for the approval was read at "-- lines 1-20 of 22: Enter shows the next
// page --" ("✗ press Enter, or type a or n"), input ended, and the request was declined
// (hostwalk16's walk). A script is shown the whole request, unless it gives --page-lines.
import { writeFile } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, killAll, spawnHost, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const pages = suite('host --exec: a model request in a piped script');

pages.before(async () => {
  dir = await tempDir('mcpwire-exec-pages-');
  await writeFile(`${dir.path}/one.json`, JSON.stringify({ mcpServers: { local: { command: process.execPath, args: [bin, 'serve', '--stdio', '--agents', '--step-ms', '10'] } } }));
});
pages.after(async () => {
  await killAll();
  await dir.remove();
});

pages('the script\'s "y" approves the request, shown whole', async () => {
  const host = spawnHost(['--config', `${dir.path}/one.json`, '--state', `${dir.path}/a`, '--exec', 'research_agent heat pumps']);
  host.send('y');
  host.end();
  assert.is(await host.exited(60_000), 0, host.err());
  const said = `${host.out()}\n${host.err()}`;
  assert.not.match(said, /Enter shows the next page/, said);
  assert.match(said, /Answer it with the local extractive summariser \(offline\)\? \[Y\/n\]: y/, said);
  assert.match(said, /→ answered by mcpwire-local-summariser/, said);
});

pages('with --page-lines given, it is paged as asked', async () => {
  const host = spawnHost(['--config', `${dir.path}/one.json`, '--state', `${dir.path}/b`, '--page-lines', '20', '--exec', 'research_agent heat pumps']);
  host.send('a');
  host.send('y');
  host.end();
  assert.is(await host.exited(60_000), 0, host.err());
  const said = `${host.out()}\n${host.err()}`;
  assert.match(said, /-- lines 1-20 of \d+: Enter shows the next page, \[a\]ll shows the rest, \[n\]o refuses -- a/, said);
  assert.match(said, /→ answered by mcpwire-local-summariser/, said);
});

pages.run();
