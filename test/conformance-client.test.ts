// `mcpwire conformance-client <url>` as the suite runs it: a real process (run `npm run build`
// first), dispatching on MCP_CONFORMANCE_SCENARIO and MCP_CONFORMANCE_PROTOCOL_VERSION,
// against our own server on 127.0.0.1:0 with the tools the suite's client scenarios call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen, type ListeningServer } from 'mcpwire/transport';
import { registerFixtures } from '../conformance/fixtures/index.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, [bin, 'conformance-client', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Our server with the fixtures plus the tools of the suite's tools_call and SEP-1034 client scenarios. */
async function startServer(answers: unknown[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer({ name: 'scenario-server', version: '1' });
  const handler = { current: undefined as undefined | ReturnType<typeof createMcpHttpHandler> };
  // test_reconnection (the sse-retry scenario) closes its SSE connection through the handler.
  registerFixtures(server, { closeConnection: (sessionId, requestId) => handler.current?.closeConnection(sessionId, requestId) ?? false });
  server.tool({ name: 'add_numbers', description: 'Adds a and b.', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } },
    ({ a, b }: { a: number; b: number }) => `The sum is ${a + b}`);
  server.tool({ name: 'test_client_elicitation_defaults', description: 'Elicits five fields that all have defaults.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({
      message: 'Accept with defaults',
      requestedSchema: { type: 'object', properties: {
        name: { type: 'string', default: 'John Doe' }, age: { type: 'integer', default: 30 }, score: { type: 'number', default: 95.5 },
        status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' }, verified: { type: 'boolean', default: true },
      } },
    });
    answers.push(answer);
    return 'thanks';
  });
  const holder: { listening?: ListeningServer } = {};
  holder.listening = await listen((request) => handler.current!.handle(request), { port: 0 });
  handler.current = createMcpHttpHandler(server, { allowedHosts: defaultAllowedHosts('127.0.0.1', holder.listening.port), closableConnections: true });
  return {
    url: `http://127.0.0.1:${holder.listening.port}/mcp`,
    async close() {
      await handler.current!.close();
      await holder.listening!.close();
    },
  };
}

const cli = suite('mcpwire conformance-client');

cli('usage: --help, a missing URL or scenario', async () => {
  const help = await run(['--help'], {});
  assert.is(help.code, 0);
  assert.match(help.stdout, /MCP_CONFORMANCE_SCENARIO/);
  assert.is((await run([], { MCP_CONFORMANCE_SCENARIO: 'initialize' })).code, 2);
  const noScenario = await run(['http://127.0.0.1:1/mcp'], { MCP_CONFORMANCE_SCENARIO: undefined });
  assert.is(noScenario.code, 2);
  assert.match(noScenario.stderr, /MCP_CONFORMANCE_SCENARIO is not set/);
});

cli('plays tools_call (both eras), the SEP-1034 defaults, sse-retry and any other scenario against a server; logs exit codes', async () => {
  const answers: unknown[] = [];
  const server = await startServer(answers);
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-cc-'));
  const exitLog = join(dir, 'exits.txt');
  try {
    const env = (scenario: string) => ({ MCP_CONFORMANCE_SCENARIO: scenario, MCP_CONFORMANCE_PROTOCOL_VERSION: '2025-11-25', CONFORMANCE_EXIT_LOG: exitLog });
    const tools = await run([server.url], env('tools_call'));
    assert.is(tools.code, 0, tools.stdout);
    assert.match(tools.stdout, /The sum is 8/);
    const defaults = await run([server.url], env('elicitation-sep1034-client-defaults'));
    assert.is(defaults.code, 0, defaults.stdout);
    assert.equal(answers, [{ action: 'accept', content: { name: 'John Doe', age: 30, score: 95.5, status: 'active', verified: true } }]);
    const retry = await run([server.url], env('sse-retry'));
    assert.is(retry.code, 0, retry.stdout);
    assert.match(retry.stdout, /the client resumed|after the connection was closed/i);
    const other = await run([server.url], env('some-future-scenario'));
    assert.is(other.code, 0, other.stdout);
    assert.match(other.stdout, /no steps of its own/);
    const missing = await run([server.url], env('json-schema-2020-12-preservation'));
    assert.is(missing.code, 1);
    assert.match(missing.stdout, /no tool named json_schema_echo/);
    const modern = await run([server.url], { ...env('tools_call'), MCP_CONFORMANCE_PROTOCOL_VERSION: '2026-07-28' });
    assert.is(modern.code, 0, modern.stdout);
    assert.match(modern.stdout, /connected: protocol 2026-07-28/);
    assert.match(modern.stdout, /The sum is 8/);
    const unknown = await run([server.url], { ...env('tools_call'), MCP_CONFORMANCE_PROTOCOL_VERSION: '2024-01-01' });
    assert.is(unknown.code, 1);
    assert.match(unknown.stdout, /2024-01-01 is not supported/);
    assert.equal(readFileSync(exitLog, 'utf8').trim().split('\n'), [
      'tools_call 0', 'elicitation-sep1034-client-defaults 0', 'sse-retry 0', 'some-future-scenario 0', 'json-schema-2020-12-preservation 1', 'tools_call 0', 'tools_call 1',
    ]);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

cli.run();
