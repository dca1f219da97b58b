// Interrupt the host mid-call and start it again: it offers to resume, replays what was
// missed exactly once, and the call completes. Ctrl+C is SIGINT on pipes. These are plain
// calls (`--tasks off`): their stream is resumed; a task is followed again instead
// (host-tasks-*.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { all, conversation, killAll, spawnHost, startServer, tempDir, type Server, answerModel, travelSteps } from './host-harness.ts';

let server: Server;
let dir: { path: string; remove(): Promise<void> };

const resume = suite('host: interrupt, come back, see the rest once');

resume.before(async () => {
  dir = await tempDir('mcpwire-host-resume-');
  server = await startServer({ state: `${dir.path}/server`, stepMs: 150 });
});
resume.after(async () => {
  await killAll();
  await dir.remove();
});

const steps = travelSteps;

resume('SIGINT at 50%, detach, quit; the next start resumes and prints each remaining step once', async () => {
  const state = `${dir.path}/host-a`;
  const first = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c1 = conversation(first);
  await c1.expect(/Type "help"/, 'travel_agent destination=Tokyo travellers=2');
  await c1.expect(/\(5\/10\)/);
  first.kill('SIGINT');
  await c1.expect(/Ctrl\+C: #1 travel_agent: \[d\]etach \(goes on, resumable\), \[c\]ancel/, 'd');
  await c1.expect(/#1 travel_agent detached; it goes on on the server/, 'quit');
  await c1.expect(/Goodbye\. 1 call goes on on the server; start the host again to resume it\./);
  assert.is(await first.exited(), 0);

  const second = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c2 = conversation(second);
  await c2.expect(/Rejoined the session an earlier run left/);
  await c2.expect(/An earlier run left 1 call in flight:\n {2}#1 travel_agent \{"destination":"Tokyo","travellers":2\}/);
  await c2.expect(/Resume and show what you missed\? \[Y\/n\]:/, 'y');
  await c2.expect(/↻ #1 travel_agent \{"destination":"Tokyo","travellers":2\} resumed/);
  await c2.expect(/Answer\?/, 'a');
  await c2.expect(/Book this trip \(yes\/no\)/, 'y');
  await c2.expect(/Fare class/, '');
  await c2.expect(/Notes/, '');
  await c2.expect(/Send\?/, 'y');
  // travel_agent asks the host's model to summarise the trip before booking
  await answerModel(c2, '');
  await c2.expect(/✓ #1 travel_agent finished/, 'quit');
  await c2.expect(/Goodbye!/);
  assert.is(await second.exited(), 0);

  const before = steps(first.out());
  const after = steps(second.out());
  assert.ok(before.includes(5), `the first run saw step 5: ${before}`);
  assert.equal([...before, ...after], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].slice(0, before.length + after.length), `steps in order: ${before} | ${after}`);
  assert.is(before.length + after.length, 10, `every step exactly once: ${before} | ${after}`);
  assert.is(all(second.out(), /Booked: London → Tokyo/).length, 1);
});

resume('a second Ctrl+C detaches; end of input leaves the call running; approve the model on resume', async () => {
  const state = `${dir.path}/host-b`;
  const first = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c1 = conversation(first);
  await c1.expect(/Type "help"/, 'research_agent urban heat');
  await c1.expect(/\(2\/9\)/);
  first.kill('SIGINT');
  await c1.expect(/\[d\]etach/);
  first.kill('SIGINT');
  await c1.expect(/#1 research_agent detached/);
  first.end();
  await c1.expect(/Goodbye\. 1 call goes on/);
  assert.is(await first.exited(), 0);

  const second = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c2 = conversation(second);
  await c2.expect(/Resume and show what you missed\?/, '');
  await answerModel(c2, 'y', 20_000);
  await c2.expect(/✓ #1 research_agent finished/);
  await c2.expect(/Sources:/, 'quit');
  assert.is(await second.exited(), 0);
  const seen = [...all(first.out() + second.out(), /research_agent [█░]+ +\d+% \((\d)\/9\)/)].map((l) => /\((\d)\/9\)/.exec(l)![1]);
  assert.equal(seen, ['1', '2', '3', '4', '5', '6', '7', '8', '9'], `each step once, in order: ${seen}`);
});

resume('Ctrl+C then cancel tells the server to stop: the booking is cancelled, nothing resumes', async () => {
  const state = `${dir.path}/host-c`;
  const host = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Rome');
  const uri = (await c.expect(/follow the booking at (agents:\/\/bookings\/\S+)/))[1]!;
  await c.expect(/\(3\/10\)/);
  host.kill('SIGINT');
  await c.expect(/\[c\]ancel/, 'c');
  await c.expect(/⊘ #1 travel_agent cancelled; the server was told to stop/, 'status');
  await c.expect(/#1 travel_agent {2}cancelled/);
  // The server learns of the cancellation on its own time: read until the record says so.
  for (let i = 0; ; i++) {
    host.send(`read ${uri}`);
    const status = (await c.expect(/▣ agents:\/\/bookings\/[^\n]*\n[^\n]*\n[\s\S]*?"status": "(\w+)"/))[1];
    if (status === 'cancelled') break;
    assert.ok(i < 20, `the booking stayed ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  host.send('quit');
  await c.expect(/Goodbye!/);
  assert.is(await host.exited(), 0);
  const again = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c2 = conversation(again);
  await c2.expect(/Type "help"/, 'quit');
  assert.is(await again.exited(), 0);
  assert.not.match(again.out(), /earlier run left/);
});

resume('declining the offer keeps the call on record until clean-tokens forgets it', async () => {
  const state = `${dir.path}/host-d`;
  const first = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c1 = conversation(first);
  await c1.expect(/Type "help"/, 'travel_agent destination=Paris');
  await c1.expect(/\(2\/10\)/);
  first.kill('SIGINT');
  await c1.expect(/\[d\]etach/, 'd');
  await c1.expect(/detached/, 'quit');
  assert.is(await first.exited(), 0);
  const second = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c2 = conversation(second);
  await c2.expect(/Resume and show what you missed\?/, 'n');
  await c2.expect(/They stay on record: type "resume" to pick them up, or "clean-tokens" to forget them\./, 'status');
  await c2.expect(/\(on record\) #1 travel_agent \{"destination":"Paris"\}[^\n]*type resume 1/, 'clean-tokens');
  await c2.expect(/✓ Resumption tokens cleared \(1 call forgotten\)/, 'clean');
  await c2.expect(/No tokens to clear\./, 'quit');
  assert.is(await second.exited(), 0);
  const third = spawnHost(['--tasks', 'off', '--url', server.url, '--state', state]);
  const c3 = conversation(third);
  await c3.expect(/Type "help"/, 'quit');
  assert.is(await third.exited(), 0);
  assert.not.match(third.out(), /earlier run left/);
});

resume.run();
