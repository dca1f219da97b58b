// Several agents at once from an mcpServers config: `plan` splits a goal into calls, runs
// them in parallel, redirects around a server that is down, and combines the results.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { bin, conversation, freePort, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const plan = suite('host: plan across several servers');

plan.before(async () => { dir = await tempDir('mcpwire-host-plan-'); });
plan.after(async () => {
  await killAll();
  await dir.remove();
});

async function config(name: string, servers: Record<string, unknown>): Promise<string> {
  const path = `${dir.path}/${name}.json`;
  await writeFile(path, JSON.stringify({ mcpServers: servers }));
  return path;
}

plan('with one of two research servers down, the plan still completes on the other', async () => {
  const up = await startServer({ state: `${dir.path}/up`, stepMs: 10 });
  const file = await config('one-down', { 'research-a': { url: `http://127.0.0.1:${await freePort()}/mcp` }, 'research-b': { url: up.url } });
  const host = spawnHost(['--config', file, '--state', `${dir.path}/host-a`, '--yes']);
  const c = conversation(host);
  await c.expect(/✗ cannot reach research-a \(connection refused\); is it running\?/);
  // Each server's line names it (two of one implementation read alike).
  await c.expect(/✓ research-b: connected to mcpwire-agents \S+ at http:\/\/127\.0\.0\.1:\d+\/mcp/);
  await c.expect(/Type "help"/, 'plan a trip to Lisbon and research urban heat');
  await c.expect(/Plan for "a trip to Lisbon and research urban heat" \(rules\): 2 calls in parallel/);
  await c.expect(/1\. Trip to Lisbon: travel_agent \{"destination":"Lisbon"\} on research-b/);
  await c.expect(/2\. Research: urban heat: research_agent \{"topic":"urban heat"\} on research-b/);
  const done = await c.expect(/══ Plan: "a trip to Lisbon and research urban heat" \(rules\): 2 of 2 steps done[\s\S]*?\nSources:\n((?: {2}\[\d+(?:\.\d+)?\] .*\n)+)/, undefined, 30_000);
  assert.match(done[0], /1\. Trip to Lisbon \(travel_agent on research-b\)\n {2}Booked: London → Lisbon/);
  assert.match(done[0], /2\. Research: urban heat \(research_agent on research-b\)\n {2}Research on "urban heat"/);
  assert.match(done[1]!, /\[1\] agents:\/\/bookings\//);
  assert.match(done[1]!, /\[2\] agents:\/\/reports\//);
  assert.match(done[1]!, /\[2\.1\] agents:\/\/corpus\//);
  host.send('quit');
  assert.is(await host.exited(), 0);
});

plan('a server that dies after listing: its call is redirected to the other server offering the tool', async () => {
  const a = await startServer({ state: `${dir.path}/a`, stepMs: 10 });
  const b = await startServer({ state: `${dir.path}/b`, stepMs: 10 });
  const file = await config('redirect', { 'agents-a': { url: a.url }, 'agents-b': { url: b.url } });
  const host = spawnHost(['--config', file, '--state', `${dir.path}/host-b`, '--yes']);
  const c = conversation(host);
  await c.expect(/Tools on agents-b:/);
  await c.expect(/Type "help"/);
  await b.kill9();
  host.send('plan a research trip to Tokyo for 2 people');
  await c.expect(/2\. Research: Tokyo: research_agent \{"topic":"Tokyo"\} on agents-b \(then agents-a\)/);
  await c.expect(/↪ cannot reach agents-b \(connection refused\); is it running\? Redirecting research_agent to agents-a/);
  const done = await c.expect(/══ Plan: [^\n]*2 of 2 steps done[\s\S]*?2\. Research: Tokyo \(research_agent on agents-a, after agents-b failed\)/, undefined, 30_000);
  assert.match(done[0], /1\. Trip to Tokyo \(travel_agent on agents-a\)/);
  host.send('quit');
  assert.is(await host.exited(), 0);
});

plan('--exec plan --json over a stdio server and an HTTP one', async () => {
  const http = await startServer({ state: `${dir.path}/http`, stepMs: 10 });
  const file = await config('mixed', {
    local: { command: process.execPath, args: [bin, 'serve', '--stdio', '--agents', '--step-ms', '10'] },
    remote: { url: http.url },
  });
  const p = spawnHost(['--config', file, '--state', `${dir.path}/host-c`, '--yes', '--json', '--exec', 'plan a trip to Rome for 3 people and research solar microgrids']);
  p.end();
  assert.is(await p.exited(30_000), 0, p.err());
  const doc = JSON.parse(p.out());
  assert.is(doc.ok, true);
  assert.equal(doc.plan.steps.map((s: { tool: string; route: Array<{ server: string }> }) => [s.tool, s.route.at(-1)!.server]), [['travel_agent', 'local'], ['research_agent', 'remote']]);
  const { idempotencyKey, ...args } = doc.plan.steps[0].arguments;
  assert.equal(args, { destination: 'Rome', travellers: 3 });
  assert.match(idempotencyKey, /^plan-[0-9a-f-]{36}-1$/, 'the booking step carries its idempotency key');
  assert.is(doc.plan.steps[1].arguments.idempotencyKey, undefined, 'research takes no key');
  assert.match(doc.text, /Booked: London → Rome/);
});

plan.run();
