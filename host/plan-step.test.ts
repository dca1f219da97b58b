// A plan step against fake servers: retried with backoff on a transient failure, redirected
// when its server is down (the attempt left behind is forgotten), not retried when the
// server answered with an error, and the person's answers shared by every attempt.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, McpError, RpcError, type CallToolResult, type RequestId } from 'mcpwire/protocol';
import type { HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import type { Host } from './host.ts';
import { runStep, type PlanLimits } from './plan-step.ts';

const limits: PlanLimits = { retries: 2, retryDelayMs: 10, probeIntervalMs: 1_000, probeTimeoutMs: 100, probeFailures: 2, cancelRetryMs: 1_000, errorRedirects: 1 };
const ok: CallToolResult = { content: [{ type: 'text', text: 'done' }] };

interface Fake {
  conn: Connection;
  ended: RequestId[];
}

/** A server whose calls end as `outcomes` says, one per call (the last repeats). */
function fakeServer(name: string, outcomes: Array<CallToolResult | Error>, known: Partial<Pick<Connection, 'state' | 'lostContact' | 'spec' | 'restarting'>> = {}): Fake {
  const ended: RequestId[] = [];
  const conn = {
    name, state: 'ready', lostContact: undefined, spec: { kind: 'http' }, restarting: false, ...known,
    ensure: async () => ({ ping: async () => undefined }),
    journal: { end: (id: RequestId) => { ended.push(id); } },
  } as unknown as Connection;
  return { conn, ended };
}

let nextId = 1;
function fakeHost(servers: Map<Connection, Array<CallToolResult | Error>>, seen: Array<{ server: string; answers: unknown }>): Host {
  return {
    shutdown: new AbortController().signal,
    start(conn: Connection, _tool: string, _args: Record<string, unknown>, options?: { answers?: Map<string, unknown> }) {
      seen.push({ server: conn.name, answers: options?.answers });
      const queue = servers.get(conn)!;
      const outcome = queue.length > 1 ? queue.shift()! : queue[0]!;
      let settle!: () => void;
      const call = {
        conn, requestId: nextId++, status: 'running', controller: new AbortController(), result: undefined, error: undefined,
        done: new Promise<void>((r) => { settle = r; }),
      } as unknown as HostCall;
      setTimeout(() => {
        if (outcome instanceof Error) Object.assign(call, { status: 'failed', error: outcome });
        else Object.assign(call, { status: 'done', result: outcome });
        settle();
      }, 1);
      return call;
    },
  } as unknown as Host;
}

const step = suite('plan step: retry, redirect, forget');
const planStep = { tool: 'travel_agent', args: { destination: 'Rome' }, purpose: 'Trip' };

step('a timeout is retried on the same server with a growing pause, then succeeds', async () => {
  const a = fakeServer('a', []);
  const notes: string[] = [];
  const seen: Array<{ server: string; answers: unknown }> = [];
  const timeout = new McpError(LocalErrorCode.Timeout, 'no answer in 10 ms');
  const host = fakeHost(new Map([[a.conn, [timeout, timeout, ok]]]), seen);
  const out = await runStep(host, planStep, [a.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'done');
  assert.equal(out.route.map((r) => [r.server, r.problem === undefined]), [['a', false], ['a', false], ['a', true]]);
  assert.equal(notes.filter((n) => n.includes('retrying')).map((n) => /in (\d+) ms/.exec(n)![1]), ['10', '20']);
  assert.ok(seen.every((s) => s.answers === seen[0]!.answers), 'every attempt shares the answers');
});

step('a server that lost us is left at once for the next one, and its call is forgotten', async () => {
  const a = fakeServer('a', []);
  const b = fakeServer('b', []);
  const notes: string[] = [];
  const host = fakeHost(new Map([[a.conn, [new McpError(LocalErrorCode.Closed, 'closed')]], [b.conn, [ok]]]), []);
  const out = await runStep(host, planStep, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'done');
  assert.equal(out.route.map((r) => r.server), ['a', 'b']);
  assert.ok(notes.some((n) => /redirecting travel_agent to b/.test(n)));
  assert.not.ok(notes.some((n) => /retrying/.test(n)), 'no retry on a server that is gone when another can take over');
  assert.ok(a.ended.length >= 1, 'the attempt on a is forgotten (never resumed)');
});

step('every other server down, one a stdio server the host restarts: the step goes back to it once, first', async () => {
  // The walk: a plan's steps on a stdio server killed -9, redirected to an HTTP server that was
  // down from the start; the plan failed while the host had the stdio server back 0.5 s later.
  // Then (hostwalk15's leftover) the step went back to it, but only after trying and retrying
  // the HTTP server that had been down all along: the restarted server now comes first.
  const a = fakeServer('a', [], { spec: { kind: 'stdio', name: 'a', command: 'node', args: [], env: {}, cwd: undefined } });
  const b = fakeServer('b', [], { state: 'unreachable' });
  const notes: string[] = [];
  const seen: Array<{ server: string; answers: unknown }> = [];
  const closed = new McpError(LocalErrorCode.Closed, 'a exited under it');
  const refused = new McpError(LocalErrorCode.Closed, 'cannot reach b (connection refused); is it running?');
  const host = fakeHost(new Map([[a.conn, [closed, ok]], [b.conn, [refused]]]), seen);
  // The host's restart of a is scheduled once its process exited.
  const watched = { ...host, start: (conn: Connection, ...rest: unknown[]) => {
    if (conn === a.conn) setTimeout(() => Object.assign(a.conn, { state: 'down', restarting: true }), 0);
    return (host.start as (...args: unknown[]) => HostCall)(conn, ...rest);
  } } as unknown as Host;
  const out = await runStep(watched, planStep, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), { ...limits, retries: 1 });
  assert.is(out.status, 'done', notes.join('\n'));
  assert.equal(seen.map((s) => s.server), ['a', 'a'], notes.join('\n'));
  assert.not.ok(notes.some((n) => /retrying travel_agent on b|to b/.test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => /; going back to a with travel_agent: the host is starting it again after its process exited$/.test(n)), notes.join('\n'));
  // Once only: gone again after the restart, the fallback down from the start is still tried, last.
  const c = fakeServer('c', [], { spec: { kind: 'stdio', name: 'c', command: 'node', args: [], env: {}, cwd: undefined }, restarting: true });
  const seen2: Array<{ server: string; answers: unknown }> = [];
  const again = await runStep(fakeHost(new Map([[c.conn, [closed]], [b.conn, [refused]]]), seen2), planStep, [c.conn, b.conn], new AbortController().signal, () => undefined, { ...limits, retries: 0 });
  assert.is(again.status, 'failed');
  assert.equal(seen2.map((s) => s.server), ['c', 'c', 'b']);
  // An HTTP server that went away is not restarted by the host: no going back.
  const d = fakeServer('d', []);
  const seen3: Array<{ server: string; answers: unknown }> = [];
  await runStep(fakeHost(new Map([[d.conn, [closed]], [b.conn, [refused]]]), seen3), planStep, [d.conn, b.conn], new AbortController().signal, () => undefined, { ...limits, retries: 0 });
  assert.equal(seen3.map((s) => s.server), ['d', 'b']);
});

step('the server answered with an error: not retried, not redirected', async () => {
  const a = fakeServer('a', []);
  const b = fakeServer('b', []);
  const seen: Array<{ server: string; answers: unknown }> = [];
  const host = fakeHost(new Map([[a.conn, [new RpcError(-32602, 'Invalid params: destination')]], [b.conn, [ok]]]), seen);
  const out = await runStep(host, planStep, [a.conn, b.conn], new AbortController().signal, () => undefined, limits);
  assert.is(out.status, 'failed');
  assert.equal(seen.map((s) => s.server), ['a']);
  assert.match(out.error!, /Invalid params: destination/);
});

step('the server failed on its own side (-32603 Internal error): retried there, then redirected', async () => {
  const a = fakeServer('a', []);
  const b = fakeServer('b', []);
  const seen: Array<{ server: string; answers: unknown }> = [];
  const notes: string[] = [];
  const host = fakeHost(new Map([[a.conn, [new RpcError(-32603, 'Internal error: the booking store is full')]], [b.conn, [ok]]]), seen);
  const out = await runStep(host, planStep, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), { ...limits, retries: 1 });
  assert.is(out.status, 'done');
  assert.equal(seen.map((s) => s.server), ['a', 'a', 'b']);
  assert.ok(notes.some((n) => /redirecting travel_agent to b/.test(n)), notes.join('\n'));
});

step('a step moved on skips a server found down since the plan was made, and tries it last', async () => {
  const a = fakeServer('a', []);
  const b = fakeServer('b', [], { lostContact: 'connection refused' });
  const c = fakeServer('c', []);
  const notes: string[] = [];
  const seen: Array<{ server: string; answers: unknown }> = [];
  const closed = new McpError(LocalErrorCode.Closed, 'closed');
  const host = fakeHost(new Map([[a.conn, [closed]], [b.conn, [closed]], [c.conn, [ok]]]), seen);
  const out = await runStep(host, planStep, [a.conn, b.conn, c.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'done');
  assert.equal(seen.map((s) => s.server), ['a', 'c'], notes.join('\n'));
  assert.ok(notes.some((n) => /redirecting travel_agent to c/.test(n)), notes.join('\n'));
  // Every other server down too: the one found down is still tried (it may be back).
  const d = fakeServer('d', [], { state: 'unreachable' });
  const e = fakeServer('e', []);
  const tried: Array<{ server: string; answers: unknown }> = [];
  const again = await runStep(fakeHost(new Map([[e.conn, [closed]], [d.conn, [ok]]]), tried), planStep, [e.conn, d.conn], new AbortController().signal, () => undefined, limits);
  assert.is(again.status, 'done');
  assert.equal(tried.map((s) => s.server), ['e', 'd']);
});

step('a reason that ends in a question is not followed by "; redirecting"', async () => {
  const a = fakeServer('a', []);
  const refused = Object.assign(new Error('cannot reach a (connection refused); is it running?'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  (a.conn as { ensure: () => Promise<unknown> }).ensure = async () => { throw refused; };
  const b = fakeServer('b', []);
  const notes: string[] = [];
  const out = await runStep(fakeHost(new Map([[b.conn, [ok]]]), []), planStep, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'done');
  assert.ok(notes.includes('  ↪ cannot reach a (connection refused); is it running? Redirecting travel_agent to b'), notes.join('\n'));
});

const toolError = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

step('a tool error with an idempotency key: tried once on the next server, which does it', async () => {
  const a = fakeServer('a', []);
  const b = fakeServer('b', []);
  const seen: Array<{ server: string; answers: unknown }> = [];
  const notes: string[] = [];
  const keyed = { ...planStep, args: { destination: 'Rome', idempotencyKey: 'plan-x-1' } };
  const host = fakeHost(new Map([[a.conn, [toolError('booking backend unavailable')]], [b.conn, [ok]]]), seen);
  const out = await runStep(host, keyed, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'done');
  assert.equal(seen.map((s) => s.server), ['a', 'b'], 'not retried on a: the same request would get the same answer');
  assert.equal(out.route, [{ server: 'a', problem: 'reported an error: booking backend unavailable' }, { server: 'b' }]);
  assert.ok(notes.some((n) => /↪ a reported an error; redirecting travel_agent to b/.test(n)), notes.join('\n'));
});

step('a tool error after the server withdrew its form unanswered: not redirected (the next server would ask the same)', async () => {
  // hostwalk16's leftover: a booking form left open past the server's limit ended as a tool
  // error, and the keyed step went to the next server, which asked the person again.
  const a = fakeServer('a', []);
  const b = fakeServer('b', []);
  const seen: Array<{ server: string; answers: unknown }> = [];
  const notes: string[] = [];
  const keyed = { ...planStep, args: { destination: 'Rome', idempotencyKey: 'plan-x-1' } };
  const host = fakeHost(new Map([[a.conn, [toolError('Not booked: Could not get your confirmation (elicitation/create timed out)')]], [b.conn, [ok]]]), seen);
  const start = host.start.bind(host);
  host.start = ((...args: Parameters<Host['start']>) => Object.assign(start(...args), { withdrawnAsk: 'form' })) as Host['start'];
  const out = await runStep(host, keyed, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'error');
  assert.equal(seen.map((s) => s.server), ['a'], notes.join('\n'));
  assert.ok(notes.includes('  (not tried on b: a withdrew its form before you answered, and b would ask you the same; run it again when you can answer)'), notes.join('\n'));
  assert.not.ok(notes.some((n) => /redirecting|both reported/.test(n)), notes.join('\n'));
});

step('a tool error on two servers: the request is named as the likely fault, no third server is tried', async () => {
  const [a, b, c] = [fakeServer('a', []), fakeServer('b', []), fakeServer('c', [])];
  const seen: Array<{ server: string; answers: unknown }> = [];
  const notes: string[] = [];
  const readOnly = { tool: 'research_agent', args: { topic: 'x' }, purpose: 'Research' };
  const host = fakeHost(new Map([[a.conn, [toolError('unknown topic')]], [b.conn, [toolError('unknown topic')]], [c.conn, [ok]]]), seen);
  const out = await runStep(host, readOnly, [a.conn, b.conn, c.conn], new AbortController().signal, (t) => notes.push(t), limits, undefined, true);
  assert.is(out.status, 'error');
  assert.equal(seen.map((s) => s.server), ['a', 'b']);
  assert.ok(notes.some((n) => /a and b both reported an error for this step: most likely the request itself/.test(n)), notes.join('\n'));
});

step('a tool error from a tool that may change something, with no key: not repeated elsewhere, and said why', async () => {
  const a = fakeServer('a', []);
  const b = fakeServer('b', []);
  const seen: Array<{ server: string; answers: unknown }> = [];
  const notes: string[] = [];
  const host = fakeHost(new Map([[a.conn, [toolError('no flights')]], [b.conn, [ok]]]), seen);
  const out = await runStep(host, planStep, [a.conn, b.conn], new AbortController().signal, (t) => notes.push(t), limits);
  assert.is(out.status, 'error');
  assert.equal(seen.map((s) => s.server), ['a']);
  assert.ok(notes.some((n) => /not tried on b: travel_agent may change something and the step has no idempotency key/.test(n)), notes.join('\n'));
});

step('a tool result that did not do the job is "unfinished", not done', async () => {
  const a = fakeServer('a', []);
  const declined: CallToolResult = { content: [{ type: 'text', text: 'You declined' }], structuredContent: { status: 'declined' } };
  const out = await runStep(fakeHost(new Map([[a.conn, [declined]]]), []), planStep, [a.conn], new AbortController().signal, () => undefined, limits);
  assert.is(out.status, 'unfinished');
});

step.run();
