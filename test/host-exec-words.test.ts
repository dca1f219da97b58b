// `--exec` with the words the interactive host understands (hostwalk9, session 26):
// `research_agent ?` took "?" as the topic ("topic: at least 2 characters, please", exit 2)
// instead of listing the arguments as the prompt does; `travel_agent@nosuch` said "no server
// offers a tool "travel_agent@nosuch"" where the prompt says no server has that name.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let server: Server;
let dir: { path: string; remove(): Promise<void> };

const words = suite('host --exec: "<tool> ?" and "<tool>@<server>" as at the prompt');

words.before(async () => {
  dir = await tempDir('mcpwire-host-exec-words-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 10 });
});
words.after(async () => {
  await killAll();
  await dir.remove();
});

const run = async (args: string[]) => {
  const p = spawnHost(['--url', server.url, '--name', 'agents', '--state', `${dir.path}/host`, ...args]);
  p.end();
  const code = await p.exited(30_000);
  return { code, out: p.out(), err: p.err() };
};

words('"<tool> ?" prints the arguments on stdout and calls nothing (--json: the schema)', async () => {
  const r = await run(['--exec', 'research_agent ?']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^research_agent: Researches a topic/);
  assert.match(r.out, /\n {2}topic \(text, max 200 chars\) \[required\]/);
  assert.match(r.out, /\n {2}depth \(1-3 or a name\) \[default: standard\]/);
  assert.not.match(r.err, /▶ #/, 'nothing was called');
  const j = await run(['--exec', 'research_agent@agents ?', '--json']);
  assert.is(j.code, 0, j.err);
  const doc = JSON.parse(j.out);
  assert.is(doc.ok, true);
  assert.is(doc.server, 'agents');
  assert.is(doc.tool, 'research_agent');
  assert.equal(doc.inputSchema.required, ['topic']);
});

words('"<tool>@<server>" naming no server says so, with the servers, exit 2', async () => {
  const r = await run(['--exec', 'travel_agent@nosuch destination=Lisbon', '--json']);
  assert.is(r.code, 2, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.error, { code: 'server_not_found', message: 'no server is named "nosuch"; the servers are agents' });
});

words.run();
