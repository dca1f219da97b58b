// 2026-07-28 (`--era modern`): the form and model request of a plan step come as input rounds
// of its call (2026-07-28 basic/patterns/mrtr). hostwalk6 (session 23) found them handed to
// the host with no related request id, so the host could not tell whose question it was, nor
// keep the answer with its call for a redirected step to reuse. The lead fixed the id; this
// pins what the host does with it: two calls on one server are each named, and an answer
// given on a server that then dies travels with the step to the next one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const modern = suite('host --era modern: input rounds belong to their call');

modern.before(async () => { dir = await tempDir('mcpwire-host-plan-modern-redirect-'); });
modern.after(async () => {
  await killAll();
  await dir.remove();
});

modern('two research steps on one server: each model request names its call', async () => {
  const a = await startServer({ state: join(dir.path, 'one'), stepMs: 100 });
  try {
    const host = spawnHost(['--url', a.url, '--state', join(dir.path, 'h1'), '--era', 'modern', '--yes',
      '--exec', 'plan research urban trees and research heat pumps']);
    assert.is(await host.exited(), 0);
    const out = host.err(); // --exec: the answer on stdout, the rest of the run on stderr
    assert.match(out, /🧠 #1 research_agent asks the model/);
    assert.match(out, /🧠 #2 research_agent asks the model/);
    assert.not.match(out, /🧠 127\.0\.0\.1:\d+ asks the model/);
  } finally {
    await a.stop();
  }
});

modern('a killed -9 past the form: the step moves to b with the answer given on a', async () => {
  const a = await startServer({ state: join(dir.path, 'a'), stepMs: 400 });
  const b = await startServer({ state: join(dir.path, 'b'), stepMs: 100 });
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { a: { url: a.url }, b: { url: b.url } } }));
  try {
    const host = spawnHost(['--config', config, '--state', join(dir.path, 'h2'), '--era', 'modern', '--yes']);
    const c = conversation(host);
    await c.expect(/Type "help"/, 'plan a trip to Lisbon');
    await c.expect(/\? #1 travel_agent@a asks:/, undefined, 30_000);
    await c.expect(/#1 travel_agent@a [█░]+ +\d+% \(7\/10\)/, undefined, 30_000);
    await a.kill9();
    await c.expect(/↪ a stopped answering [^\n]*; redirecting travel_agent to b with your answers/, undefined, 30_000);
    await c.expect(/\? #2 travel_agent@b asks:\n {2}↺ the same question this plan step asked before it was redirected; sent your earlier answer \(accept\)/, undefined, 30_000);
    await c.expect(/══ Plan: "a trip to Lisbon" \(rules\): 1 of 1 steps? done/, 'quit', 30_000);
    assert.is(await host.exited(), 0);
    assert.is(host.out().match(/Booked: reference/g)?.length, 1, 'booked once, on b');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

modern.run();
