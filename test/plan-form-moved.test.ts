// hostwalk20's leftover: a plan step redirected while its dead server's form was on screen
// took the form away without a word (no line said it closed; the next line typed went to the
// command prompt), and the other server's copy then asked the whole form again. The person
// mid-form is told that the form moved with the step and who asks it again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { answerModel, bookWithDefaults, conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const moved = suite('plan: a form on screen when its step is redirected');

moved.before(async () => { dir = await tempDir('mcpwire-plan-form-moved-'); });
moved.after(async () => {
  await killAll();
  await dir.remove();
});

moved('the server dies mid-form: the redirect says the form moved and that agents-b asks it again', async () => {
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 20 });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 20 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { 'agents-a': { url: a.url }, 'agents-b': { url: b.url } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, 'host')]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'plan a trip to Rome');
  await c.expect(/Run it\? \[y\/N\]:/, 'y');
  await c.expect(/\? #1 travel_agent@agents-a asks:/);
  await c.expect(/Answer\?/, 'a');
  // Mid-form: the first field's prompt is open when the server dies; nothing more is typed
  // until the step has moved, so the probe's timing does not matter here.
  await c.expect(/Book this trip \(yes\/no\)/);
  await a.kill9();
  const line = await c.expect(/↪ agents-a stopped answering[^\n]*\n/, undefined, 15_000);
  assert.match(line[0], /redirecting travel_agent to agents-b \(#1 on agents-a ends; it will not be resumed; the form you were answering closes with it, and agents-b asks it again\)\n/);
  // agents-b asks it again, whole: answered there, the step is done.
  await c.expect(/\? #2 travel_agent@agents-b asks:/);
  await bookWithDefaults(c);
  await answerModel(c, '');
  await c.expect(/══ Plan: "a trip to Rome" \(rules\): 1 of 1 step done/, undefined, 20_000);
  host.send('quit');
  assert.is(await host.exited(), 0);
  assert.not.match(host.out(), /Unknown command/);
  await b.stop();
});

moved.run();
