// Where a plan's steps may go: the servers offering the tool, then servers that were down
// (they may be back by then), but never a server known not to be MCP. A config naming a URL
// that answered 404 to initialize, or an answer that was not JSON-RPC, showed that server as
// a fallback ("on agents (then nf, junk)"), and a failed step would have been sent there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, LocalErrorCode, McpError, type Tool } from 'mcpwire/protocol';
import type { Connection } from './connection.ts';
import { isBadPort, isNotMcp, isRefused } from './explain.ts';
import type { Host, ToolEntry } from './host.ts';
import { routesFor, runPlan } from './plan.ts';
import type { Terminal } from './terminal.ts';
import { createToolIndex } from './tool-index.ts';

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

// hostwalk8's leftover (session 26): a server that answers every request with HTTP 403 was
// still a step's last fallback ("on agents (then sleepy, locked)"), unlike a 404: asked again
// mid-step it refuses again, as the credentials the host holds do not change by themselves.
// It is now left out as a server that is not MCP is, and named under "could not be used".
routes('a server that refused us (HTTP 401 or 403) is not a fallback; one that is down still is', async () => {
  assert.ok(isRefused(connectFailure('locked refused us (HTTP 403)', new HttpError(403, 'HTTP 403'))));
  assert.ok(isRefused(connectFailure('locked refused us (HTTP 401)', new HttpError(401, 'HTTP 401'))));
  assert.not.ok(isRefused(connectFailure('answered 503', new HttpError(503, 'HTTP 503'))));
  assert.not.ok(isRefused(connectFailure('cannot reach', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))));
  // The index as the host builds it from its connections: the classification is the index's.
  const live = (name: string, tools: () => Promise<Tool[]>) => ({ name, unanswered: undefined, state: 'ready', tools }) as unknown as Connection;
  const connections = [
    live('agents', async () => [research]),
    live('locked', async () => { throw connectFailure('locked refused us (HTTP 403): it wants authorization this host cannot give', new HttpError(403, 'HTTP 403')); }),
    live('sleepy', async () => { throw connectFailure('cannot reach sleepy (connection refused); is it running?', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })); }),
    live('gate', async () => { throw connectFailure('gate refused us (HTTP 401): it wants authorization this host cannot give', new HttpError(401, 'HTTP 401')); }),
  ];
  const term = { print: () => undefined, paint: { green: (t: string) => t, dim: (t: string) => t } } as unknown as Terminal;
  const toolIndex = createToolIndex({ connections, term, shutdown: new AbortController().signal });
  const index = await toolIndex();
  assert.equal(routesFor([{ purpose: 'research', tool: 'research_agent', args: {} }], index)[0]!.map((c) => c.name), ['agents', 'sleepy']);
  const host = { toolIndex, provider: { isModel: false, label: 'test' }, term: { ask: async () => undefined }, yes: false } as unknown as Host;
  const said: string[] = [];
  await runPlan(host, 'research heat pumps', (line) => said.push(line), new AbortController().signal);
  assert.match(said.find((line) => line.includes('research_agent')) ?? said.join('\n'), /on agents \(then sleepy\)$/);
});

// hostwalk16's leftover: a server on a port fetch never connects to (9, 25, 6000, ...) was
// listed as a fallback ("on stdio-agents (then http-agents)") and retried there mid-plan
// ("↻ retrying travel_agent on http-agents ... attempt 2 of 2"): no retry can reach it.
routes('a server on a port fetch never connects to is not a fallback; one refusing connections still is', async () => {
  const badPort = connectFailure('cannot reach nine: its port is one that fetch, as browsers do, never connects to; serve it on another port',
    new TypeError('fetch failed', { cause: new Error('bad port') }));
  const refused = connectFailure('cannot reach sleepy (connection refused); is it running?', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }));
  assert.ok(isBadPort(badPort));
  assert.not.ok(isBadPort(refused));
  const live = (name: string, tools: () => Promise<Tool[]>) => ({ name, unanswered: undefined, state: 'ready', tools }) as unknown as Connection;
  const connections = [live('agents', async () => [research]), live('nine', async () => { throw badPort; }), live('sleepy', async () => { throw refused; })];
  const term = { print: () => undefined, paint: { green: (t: string) => t, dim: (t: string) => t } } as unknown as Terminal;
  const index = await createToolIndex({ connections, term, shutdown: new AbortController().signal })();
  assert.equal(routesFor([{ purpose: 'research', tool: 'research_agent', args: {} }], index)[0]!.map((c) => c.name), ['agents', 'sleepy']);
});

routes.run();
