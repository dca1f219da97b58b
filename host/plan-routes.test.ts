// Where a plan's steps may go: the servers offering the tool, then servers that were down
// (they may be back by then), but never a server known not to be MCP. A config naming a URL
// that answered 404 to initialize, or an answer that was not JSON-RPC, showed that server as
// a fallback ("on agents (then nf, junk)"), and a failed step would have been sent there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, LocalErrorCode, McpError, type Tool } from 'mcpwire/protocol';
import type { Connection } from './connection.ts';
import { isNotMcp } from './explain.ts';
import type { Host, ToolEntry } from './host.ts';
import { routesFor, runPlan } from './plan.ts';

const routes = suite('plan routes: fallbacks are servers that may come back, not ones that are not MCP');

const research: Tool = { name: 'research_agent', inputSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] } };
const conn = (name: string) => ({ name }) as unknown as Connection;

/** A connect failure as the host's connection reports it: an explained line, the cause kept. */
const connectFailure = (line: string, cause: unknown) => new Error(line, { cause });

routes('a 404 to initialize and a non-JSON-RPC answer are "not MCP"; refused, timed out and 5xx are not', () => {
  assert.ok(isNotMcp(connectFailure('nothing answers MCP', new HttpError(404, 'HTTP 404'))));
  assert.ok(isNotMcp(connectFailure('not an MCP server', new McpError(LocalErrorCode.Protocol, 'the reply held no response'))));
  assert.ok(isNotMcp(connectFailure('not an MCP server', new SyntaxError('Unexpected token'))));
  assert.not.ok(isNotMcp(connectFailure('cannot reach', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))));
  assert.not.ok(isNotMcp(connectFailure('answered 503', new HttpError(503, 'HTTP 503'))));
  assert.not.ok(isNotMcp(connectFailure('timed out', new McpError(LocalErrorCode.Timeout, 'no answer'))));
});

routes('the plan shown lists a down server as a fallback, and neither a 404 nor a garbage server', async () => {
  const index: ToolEntry[] = [
    { conn: conn('agents'), tools: [research], error: undefined, notMcp: false },
    { conn: conn('nf'), tools: undefined, error: 'nothing answers MCP at http://127.0.0.1:1/mcp (HTTP 404 to initialize)', notMcp: true },
    { conn: conn('junk'), tools: undefined, error: 'http://127.0.0.1:2/mcp is not an MCP server', notMcp: true },
    { conn: conn('sleepy'), tools: undefined, error: 'cannot reach sleepy (connection refused); is it running?', notMcp: false },
  ];
  const host = {
    toolIndex: async () => index,
    provider: { isModel: false, label: 'test' },
    term: { ask: async () => undefined }, // not approved: the plan is only shown
    yes: false,
  } as unknown as Host;
  const said: string[] = [];
  const outcome = await runPlan(host, 'research heat pumps', (line) => said.push(line), new AbortController().signal);
  assert.is(outcome.approved, false);
  const plan = said.find((line) => line.includes('research_agent'));
  assert.ok(plan, said.join('\n'));
  assert.match(plan!, /on agents \(then sleepy\)/);
  assert.not.match(plan!, /\bnf\b|junk/);
});

// A late server (the first screen's wait passed while it was still connecting: a socket that
// takes the connection and never answers) was listed as a step's last fallback: a step that
// failed on the others then waited out its connect timeout there (retried once), for a
// server whose tools nobody knew. It is offered once it has answered (its tools are then in
// the index, as any server's), not before.
routes('a late server (still connecting, tools unknown) is not a fallback; the plan names only servers that may take the step', async () => {
  const index: ToolEntry[] = [
    { conn: conn('agents-a'), tools: [research], error: undefined, notMcp: false },
    { conn: conn('agents-b'), tools: [research], error: undefined, notMcp: false },
    { conn: conn('silent'), tools: undefined, notMcp: false, late: true, error: 'silent has not answered yet, after 5.0 s' },
    { conn: conn('sleepy'), tools: undefined, error: 'cannot reach sleepy (connection refused); is it running?', notMcp: false },
  ];
  const host = {
    toolIndex: async () => index,
    provider: { isModel: false, label: 'test' },
    term: { ask: async () => undefined },
    yes: false,
  } as unknown as Host;
  const said: string[] = [];
  await runPlan(host, 'research heat pumps', (line) => said.push(line), new AbortController().signal);
  assert.ok(said.includes('  ⚠ silent has not answered yet, after 5.0 s'), 'the late server is still named');
  const plan = said.find((line) => line.includes('research_agent'));
  assert.match(plan!, /on agents-a \(then agents-b, sleepy\)$/);
  assert.equal(routesFor([{ purpose: 'research', tool: 'research_agent', args: {} }], index)[0]!.map((c) => c.name), ['agents-a', 'agents-b', 'sleepy']);
});

routes.run();
