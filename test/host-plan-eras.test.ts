// `plan` over two servers of different eras (issue #14 item 7): travel_agent on a server that
// speaks 2026-07-28 only (its confirmation form and summary go through multi round-trip
// requests) and research_agent on one that speaks 2025-11-25 only (sessions, server-to-client
// requests). Both steps run, and the plan combines them with their sources.
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer, type McpServer } from 'mcpwire/server';
import { listen, type ExchangeServable, type ListeningServer } from 'mcpwire/transport';
import { createHttpServerHandler } from '../transport/http/server.ts';
import { registerAgents } from '../examples/agents/index.ts';
import { killAll, spawnHost, tempDir } from './host-harness.ts';

/** `server`, as the agents see it, registering only the tool named `keep` (of the two agents). */
function offering(server: McpServer, keep: string): McpServer {
  return new Proxy(server, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'tool') {
        return (definition: { name: string }, handler: unknown) =>
          (definition.name.endsWith('_agent') && definition.name !== keep ? () => {} : (value as (d: unknown, h: unknown) => unknown).call(target, definition, handler));
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function agentsServer(era: 'legacy' | 'modern', keep: string, stateDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer({ name: `agents-${era}`, version: '1' });
  const agents = await registerAgents(offering(server, keep), { stateDir, stepDelayMs: 0 });
  const handler: ExchangeServable & { close(): Promise<void> } = era === 'modern'
    ? createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0 })
    : createHttpServerHandler({ keepAliveMs: 0, connect: async (t) => { await server.connect(t); } });
  const listening: ListeningServer = await listen(handler, { port: 0 });
  return {
    url: `http://127.0.0.1:${listening.port}/mcp`,
    close: async () => { await handler.close(); await listening.close(); await agents.close(); },
  };
}

let dir: { path: string; remove(): Promise<void> };
const plan = suite('host: plan across a 2025-only and a 2026-only server');
plan.before(async () => { dir = await tempDir('mcpwire-host-plan-eras-'); });
plan.after(async () => { await killAll(); await dir.remove(); });

plan('travel_agent on the 2026-07-28 server and research_agent on the 2025-11-25 one: both run and combine', async () => {
  const modern = await agentsServer('modern', 'travel_agent', join(dir.path, 'modern'));
  const legacy = await agentsServer('legacy', 'research_agent', join(dir.path, 'legacy'));
  try {
    const file = join(dir.path, 'eras.json');
    await writeFile(file, JSON.stringify({ mcpServers: { 'agents-2026': { url: modern.url }, 'agents-2025': { url: legacy.url } } }));
    const p = spawnHost(['--config', file, '--state', join(dir.path, 'host'), '--yes', '--json', '--exec', 'plan a trip to Rome for 3 people and research solar microgrids']);
    p.end();
    assert.is(await p.exited(60_000), 0, p.err());
    const doc = JSON.parse(p.out());
    assert.is(doc.ok, true, p.err());
    assert.equal(doc.plan.steps.map((s: { tool: string; route: Array<{ server: string }> }) => [s.tool, s.route.at(-1)!.server]),
      [['travel_agent', 'agents-2026'], ['research_agent', 'agents-2025']]);
    assert.match(doc.text, /Booked: London → Rome/);
    assert.match(doc.text, /Research on "solar microgrids"/);
    assert.match(doc.text, /agents:\/\/bookings\//);
    assert.match(doc.text, /agents:\/\/reports\//);
    // The 2026 server's form and model request came as input rounds, the 2025 server's as requests.
    assert.match(p.err(), /\? #1 travel_agent@agents-2026 asks:[\s\S]*?\(--yes\) accepted/);
    assert.match(p.err(), /#1 travel_agent@agents-2026 asks the model/);
    assert.match(p.err(), /#2 research_agent@agents-2025 asks the model/);
  } finally {
    await modern.close();
    await legacy.close();
  }
});

plan.run();
