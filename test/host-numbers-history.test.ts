// Call numbers and the record of calls across restarts: `resume 2` after a restart finds #2,
// the next call gets the next number, a tool error is counted as failed, and `history` lists
// every run's calls and shows one with its result. The demo's quit message tells the truth:
// its server stops, and the call resumes on the next start. The first test's calls are
// plain (`--tasks off`): the detached one is resumed from its stream.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnCli, spawnHost, startServer, tempDir, type Server, answerModel } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const numbers = suite('host: stable call numbers, failed counts, history');

numbers.before(async () => {
  dir = await tempDir('mcpwire-host-numbers-');
  server = await startServer({ state: join(dir.path, 'server'), stepMs: 150 });
});
numbers.after(async () => {
  await killAll();
  await dir.remove();
});

numbers('a detached call keeps its number after a restart; resume N finds it; history spans both runs', async () => {
  const state = join(dir.path, 'host-a');
  const first = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state, '--yes']);
  const c1 = conversation(first);
  await c1.expect(/Type "help"/, 'travel_agent destination=Rome');
  await c1.expect(/✓ #1 travel_agent finished/, 'travel_agent destination=Oslo');
  await c1.expect(/✗ #2 travel_agent reported an error/, 'status');
  await c1.expect(/#2 travel_agent {2}failed \(the tool reported an error\)/, 'travel_agent destination=Tokyo');
  await c1.expect(/#3 travel_agent [█░]+ +20% \(2\/10\)/, 'detach 3');
  await c1.expect(/#3 travel_agent detached; "resume 3" watches it again\./, 'quit');
  assert.is(await first.exited(), 0);

  const second = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state, '--page-lines', '500']);
  const c2 = conversation(second);
  await c2.expect(/An earlier run left 1 call in flight:\n {2}#3 travel_agent \{"destination":"Tokyo"\}/);
  await c2.expect(/Resume and show what you missed\?/, 'n');
  await c2.expect(/They stay on record/, 'resume 3');
  await c2.expect(/↻ #3 travel_agent \{"destination":"Tokyo"\} resumed/);
  await c2.expect(/Answer\?/, 'a');
  await c2.expect(/Book this trip \(yes\/no\)/, 'y');
  await c2.expect(/Fare class/, '');
  await c2.expect(/Notes/, '');
  await c2.expect(/Send\?/, '');
  await answerModel(c2, 'y'); // the travel agent asks the model to summarise the trip
  await c2.expect(/✓ #3 travel_agent finished/, 'research_agent heat pumps depth=quick');
  await c2.expect(/▶ #4 research_agent/);
  await c2.expect(/\[Y\/n\]/, 'y');
  await c2.expect(/✓ #4 research_agent finished/, 'history');
  const list = (await c2.expect(/Calls on record[^\n]*\n((?: {2}#\d[^\n]*\n){4})/))[1]!;
  assert.match(list, /#1 travel_agent@[^ ]+ · done/);
  assert.match(list, /#2 travel_agent@[^ ]+ · failed/);
  assert.match(list, /#3 travel_agent@[^ ]+ · done/);
  assert.match(list, /#4 research_agent@[^ ]+ · done/);
  second.send('results 1');
  await c2.expect(/#1 travel_agent \{"destination":"Rome"\} on [^\n]*\n {2}done · started[^\n]*\n[\s\S]*Booked: London → Rome/, 'quit');
  assert.is(await second.exited(), 0);
  // --exec reads the record without a server
  const ex = spawnHost(['--url', 'http://127.0.0.1:9/mcp', '--state', state, '--exec', 'history 2', '--json']);
  ex.end();
  assert.is(await ex.exited(), 0, ex.err());
  const doc = JSON.parse(ex.out()) as { calls: Array<{ n: number; status: string; tool: string }> };
  assert.equal(doc.calls.map((c) => [c.n, c.tool, c.status]), [[2, 'travel_agent', 'failed']]);
});

numbers('a model request is shown in full, a page at a time, before it can be approved; n at a page refuses', async () => {
  const host = spawnHost(['--url', server.url, '--state', join(dir.path, 'host-p'), '--page-lines', '3']);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'research_agent heat pumps depth=quick');
  await c.expect(/🧠 #1 research_agent asks the model:\n(?:[^\n]*\n){3}/);
  const first = await c.expect(/-- lines 1-3 of (\d+): Enter shows the next page, \[a\]ll shows the rest, \[n\]o refuses --/, '');
  const total = Number(first[1]);
  assert.ok(total > 6, `a long request: ${total} lines`);
  await c.expect(/-- lines 1-6 of \d+/, 'a');
  await c.expect(/Summarise the findings in at most \d+ sentences, citing sources as \[n\]\.\n {2}Answer it with [^\n]*\[Y\/n\]:/, 'y');
  await c.expect(/✓ #1 research_agent finished/, 'research_agent heat pumps depth=quick');
  await c.expect(/-- lines 1-3 of \d+/, 'n');
  await c.expect(/→ declined/, 'quit');
  await c.expect(/\[d\]etach|Goodbye/);
  host.send('c');
  await host.exited();
  assert.not.match(host.out(), /more characters\)/, 'nothing cut');
});

numbers('quitting the demo with a call running says the server stops and the call resumes on the next start', async () => {
  const demo = spawnCli(['demo', '--state', join(dir.path, 'demo'), '--step-ms', '200', '--no-color', '--input', 'live']);
  const c = conversation(demo);
  await c.expect(/Type "help"/, 'travel_agent destination=Paris');
  await c.expect(/\(2\/10\)/, 'quit');
  await c.expect(/still running: \[d\]etach \(the server stops with the demo; it resumes when you start again\) or \[c\]ancel\?/, 'd');
  await c.expect(/👋 Goodbye\. 1 call is kept: the server stops now, and it resumes when you start again\./);
  assert.is(await demo.exited(30_000), 0);
  assert.not.match(demo.out(), /goes on on the server;/);
});

numbers.run();
