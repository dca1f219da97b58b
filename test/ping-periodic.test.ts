// Periodic ping, 2025-11-25 basic/utilities/ping: "Implementations SHOULD periodically issue
// pings to detect connection health", "The frequency of pings SHOULD be configurable",
// "Timeouts SHOULD be treated as connection failures", failures "SHOULD" be logged. The
// project had no such option (session 30). Now `ping: { intervalMs, timeoutMs, maxMissed }`
// on the client and on the server's connect(): misses reported, `maxMissed` in a row close
// the connection, and no timer of it holds the process open. In-process: memory pairs and a
// clock moved by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from '../client/index.ts';
import { createHttpClientTransport, type FetchLike } from '../client/index.ts';
import { createMcpHttpHandler, createServer } from '../server/index.ts';
import { createMemoryPair } from '../transport/index.ts';
import { HttpError, LocalErrorCode, McpError, RpcError, type Transport, type TransportHandlers } from '../protocol/index.ts';
import { startPinging } from '../protocol/ping.ts';
import { createManualTimers, type ManualTimers } from '../protocol/manual-timers.ts';

const test = suite('periodic ping: a peer that stops answering is found and its connection closed');

/** `transport`, whose peer never hears the `ping` requests it is sent (a hung reader, for pings only); `heard` counts them. */
function deafToPings(transport: Transport): { transport: Transport; heard: () => number } {
  let heard = 0;
  let deaf = false;
  const start = transport.start.bind(transport);
  transport.start = (handlers: TransportHandlers) => start({
    onMessage(payload, extra) {
      if ((payload as { method?: string }).method === 'ping') {
        heard += 1;
        if (deaf) return;
      }
      handlers.onMessage(payload, extra);
    },
    onClose: (error) => handlers.onClose(error),
    onError: (error) => handlers.onError(error),
  });
  return { transport, heard: () => { deaf = true; return heard; } };
}

/** Let the memory pair and the promise chains run (each delivery is a macrotask at most). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Timers whose handles say whether they would hold a Node process open (Node's default: held). */
function heldTimers(manual: ManualTimers) {
  const handles = new Map<number, { held: boolean }>();
  const timers = {
    now: () => manual.now(),
    setTimeout(fn: () => void, ms: number) {
      const id = manual.setTimeout(() => { handles.delete(id); fn(); }, ms) as number;
      const handle = { id, held: true, ref() { handle.held = true; return handle; }, unref() { handle.held = false; return handle; } };
      handles.set(id, handle);
      return handle;
    },
    clearTimeout(handle: unknown) {
      const { id } = handle as { id: number };
      handles.delete(id);
      manual.clearTimeout(id);
    },
  };
  return { timers, held: () => [...handles.values()].filter((h) => h.held).length, armed: () => handles.size };
}

function toolServer() {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'hang' }, (_args, ctx) => new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'))));
  return server;
}

test('the client pings every intervalMs; a server that answers none of maxMissed pings in a row closes the client, its calls rejected and onClose told why', async () => {
  const manual = createManualTimers();
  const [clientEnd, serverEnd] = createMemoryPair();
  const serverSide = deafToPings(serverEnd);
  await toolServer().connect(serverSide.transport);
  const errors: Error[] = [];
  let closedWith: Error | undefined | 'open' = 'open';
  const client = createClient({ name: 'c', version: '1' }, {
    timers: manual, ping: { intervalMs: 1_000, timeoutMs: 500, maxMissed: 2 },
    onError: (e) => errors.push(e), onClose: (e) => { closedWith = e; },
  });
  await client.connect(clientEnd);
  // Answered pings: no report.
  for (let i = 0; i < 3; i++) { manual.advance(1_000); await settle(); }
  assert.equal(errors.map((e) => e.message), []);
  const call = client.callTool('hang', {}).then(() => undefined, (e: unknown) => e);
  await settle();
  assert.is(serverSide.heard(), 3, 'three pings heard, one a second; from now on the server hears none');
  manual.advance(1_000); await settle(); // the 4th ping goes out
  manual.advance(500); await settle(); // and is not answered in time
  assert.equal(errors.map((e) => e.message), ['ping to the server failed (1 of 2 in a row): no answer within 500 ms']);
  assert.is(closedWith, 'open', 'one miss does not close');
  manual.advance(1_000); await settle();
  manual.advance(500); await settle();
  const gone = 'the server answered none of 2 pings in a row (each given 500 ms, every 1000 ms): the connection is treated as gone and closed';
  assert.is(errors.length, 2);
  assert.ok(errors[1] instanceof McpError && errors[1].code === LocalErrorCode.Timeout && errors[1].message === gone, String(errors[1]));
  const closed = closedWith as unknown;
  assert.ok(closed instanceof McpError && closed.message === gone, `onClose got ${String(closed)}`);
  const failed = await call;
  assert.ok(failed instanceof McpError && failed.code === LocalErrorCode.Closed, String(failed));
  assert.match((failed as Error).message, gone);
  assert.is(manual.armed(), 0, 'no timer left');
});

test('the server pings a connection given `ping`; a client that stops answering is reported and its connection closed (its tools aborted)', async () => {
  const manual = createManualTimers();
  const [clientEnd, serverEnd] = createMemoryPair();
  const clientSide = deafToPings(clientEnd);
  const errors: string[] = [];
  const server = createServer({ name: 's', version: '1' }, { timers: manual, onError: (e) => errors.push(e.message) });
  let aborted = false;
  server.tool({ name: 'hang' }, (_args, ctx) => new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve('x'); })));
  const conn = await server.connect(serverEnd, { ping: { intervalMs: 2_000, timeoutMs: 1_000, maxMissed: 1 } });
  const client = createClient({ name: 'c', version: '1' });
  await client.connect(clientSide.transport);
  manual.advance(2_000); await settle();
  assert.is(clientSide.heard(), 1, 'pinged once and answered');
  void client.callTool('hang', {}).catch(() => undefined);
  await settle();
  manual.advance(2_000); await settle();
  assert.equal(errors, []);
  manual.advance(1_000); await settle();
  assert.equal(errors, ['the client answered none of 1 pings in a row (each given 1000 ms, every 2000 ms): the connection is treated as gone and closed']);
  assert.ok(conn.peer.closed, 'the connection is closed');
  assert.ok(aborted, "the connection's tool was aborted");
  assert.is(server.connections.size, 0);
  assert.is(manual.armed(), 0, 'no timer left');
  await client.close();
});

test('no timer of the pinger holds the process open, between pings nor while one waits for its answer', async () => {
  const manual = createManualTimers();
  const { timers, held, armed } = heldTimers(manual);
  const [clientEnd, serverEnd] = createMemoryPair();
  const serverSide = deafToPings(serverEnd);
  await toolServer().connect(serverSide.transport);
  const client = createClient({ name: 'c', version: '1' }, { timers, ping: { intervalMs: 1_000, timeoutMs: 500 } });
  await client.connect(clientEnd);
  await settle();
  assert.ok(armed() >= 1, 'the next ping is armed');
  assert.is(held(), 0, 'between pings');
  serverSide.heard(); // from now on the server hears no ping
  manual.advance(1_000); await settle();
  assert.ok(armed() >= 1, 'the ping waits for its answer');
  assert.is(held(), 0, 'while a ping waits for its answer (its deadline is its own, not the request table\'s)');
  await client.close();
});

test('a bad ping option is refused by name before anything is sent', async () => {
  const client = createClient({ name: 'c', version: '1' }, { ping: { intervalMs: 0 } });
  const [clientEnd] = createMemoryPair();
  const refused = await client.connect(clientEnd).then(() => 'connected', (e: Error) => `${e.name}: ${e.message}`);
  assert.is(refused, 'RangeError: ping.intervalMs must be a positive integer, got 0');
  const server = createServer({ name: 's', version: '1' });
  const [, serverEnd] = createMemoryPair();
  const missing = await server.connect(serverEnd, { ping: {} as never }).then(() => 'connected', (e: Error) => `${e.name}: ${e.message}`);
  assert.is(missing, 'RangeError: ping needs intervalMs, the milliseconds between pings (like { intervalMs: 30000 }), got {}');
  assert.is(server.connections.size, 0);
});

test.run();

// protocol/ping.ts's rules on what counts as an answer: a JSON-RPC error answer and an HTTP
// 4xx from the server (a 404 for a forgotten session) are answers; a timeout, a send failure
// and an HTTP 5xx (a proxy with no server behind it) are misses. A fake target.
const rules = suite('periodic ping: what counts as an answer');

/** A target answering each ping as `answers` says, in order ('hang': never). */
function target(answers: Array<'ok' | 'hang' | Error>) {
  let sent = 0;
  let inFlight = 0;
  let most = 0;
  return {
    closed: false,
    sent: () => sent,
    most: () => most,
    request(_method: 'ping', _params: undefined, options: { signal: AbortSignal }) {
      const answer = answers[sent++] ?? 'ok';
      inFlight += 1;
      most = Math.max(most, inFlight);
      const done = <T>(p: Promise<T>) => p.finally(() => { inFlight -= 1; });
      if (answer === 'ok') return done(Promise.resolve({}));
      if (answer instanceof Error) return done(Promise.reject(answer));
      return done(new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(new McpError('MCP_ERR_ABORTED', 'aborted')))));
    },
  };
}

const ticks = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };

rules('an RpcError and an HTTP 404 are answers; a timeout, a send failure and an HTTP 502 are misses; an answer resets the count', async () => {
  const timers = createManualTimers();
  const peer = target([new RpcError(-32601, 'Method not found'), new HttpError(404, 'session not found'), 'hang', 'ok', new Error('socket hang up'), 'ok', new HttpError(502, 'Bad Gateway'), 'hang']);
  const missed: string[] = [];
  let gone: string | undefined;
  startPinging(peer, { intervalMs: 100, timeoutMs: 50, maxMissed: 2 }, { peerName: 'server', timers, missed: (e) => missed.push(e.message), gone: (e) => { gone = e.message; } });
  for (let i = 0; i < 20 && gone === undefined; i++) { timers.advance(50); await ticks(); }
  assert.equal(missed, [
    'ping to the server failed (1 of 2 in a row): no answer within 50 ms',
    'ping to the server failed (1 of 2 in a row): it could not be sent: socket hang up',
    'ping to the server failed (1 of 2 in a row): answered HTTP 502 (Bad Gateway)',
  ]);
  assert.is(gone, 'the server answered none of 2 pings in a row (each given 50 ms, every 100 ms): the connection is treated as gone and closed');
  assert.is(peer.sent(), 8);
  assert.is(peer.most(), 1, 'one ping at a time');
  assert.is(timers.armed(), 0, 'nothing armed once gone');
});

rules('stop() ends it: no ping after, nothing armed', async () => {
  const timers = createManualTimers();
  const peer = target([]);
  const pinger = startPinging(peer, { intervalMs: 100 }, { peerName: 'client', timers, missed: () => {}, gone: () => {} });
  timers.advance(100); await ticks();
  assert.is(peer.sent(), 1);
  pinger.stop();
  timers.advance(1_000); await ticks();
  assert.is(peer.sent(), 1);
  assert.is(timers.armed(), 0);
});

rules.run();

// Session 31: a legacy HTTP client whose session the server forgot kept pinging it, every ping
// answered 404 (an answer: the server reads), and started a new session only at its next real
// call. 2025-11-25 basic/transports, session management: a client that receives a 404 to a
// request carrying a session id MUST start a new session. A 404 to a ping now does so too.
const expiry = suite('periodic ping over HTTP: a 404 for a forgotten session starts a new one');

expiry('the ping that gets the 404 re-initializes (once), and the pings after it go to the new session', async () => {
  const manual = createManualTimers();
  const server = toolServer();
  const options = { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 };
  let handler = createMcpHttpHandler(server, options);
  const first = handler;
  const seen: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST') seen.push(`${(JSON.parse(String(init.body)) as { method?: string }).method ?? 'answer'} ${new Headers(init.headers).get('mcp-session-id') === null ? 'no session' : 'session'}`);
    return handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  };
  const transport = createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch });
  const reinitialized: Error[] = [];
  const errors: Error[] = [];
  const client = createClient({ name: 'c', version: '1' }, {
    timers: manual, ping: { intervalMs: 1_000 },
    onReinitialized: (reason) => reinitialized.push(reason), onError: (e) => errors.push(e),
  });
  try {
    await client.connect(transport);
    manual.advance(1_000); await settle();
    const oldSession = transport.sessionId;
    handler = createMcpHttpHandler(server, options); // a restart without the old sessions
    await first.close();
    seen.length = 0;
    manual.advance(1_000); await settle();
    assert.equal(seen, ['ping session', 'initialize no session', 'notifications/initialized session'], 'the 404 started a new session at once');
    assert.is(reinitialized.length, 1);
    assert.is((reinitialized[0] as HttpError).status, 404);
    assert.ok(transport.sessionId !== undefined && transport.sessionId !== oldSession);
    seen.length = 0;
    manual.advance(1_000); await settle();
    assert.equal(seen, ['ping session']);
    assert.is(reinitialized.length, 1, 'the new session answers: no second initialize');
    assert.equal(errors.filter((e) => !(e instanceof HttpError)).map((e) => e.message), []);
  } finally {
    await client.close();
    await handler.close();
  }
});

// faults23's leftover: a ping's 404 and a call's 404 at the same moment each started a new
// session (the call's renewal, `retryOnExpiry`, was not shared with the ping's): two
// initializes, the first new session left open on the server. One renewal now, both wait on it.
expiry('a ping and a call both answered 404 at once: one new session, the call retried on it', async () => {
  const manual = createManualTimers();
  const server = toolServer();
  server.tool({ name: 'echo' }, () => 'ok');
  const options = { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 };
  let handler = createMcpHttpHandler(server, options);
  const first = handler;
  const seen: string[] = [];
  let oldSession: string | undefined;
  // The two POSTs to the forgotten session are both refused before either 404 is read.
  const held: Array<() => void> = [];
  const fetch: FetchLike = async (url, init) => {
    const sid = new Headers(init.headers).get('mcp-session-id');
    if (init.method === 'POST') seen.push(`${(JSON.parse(String(init.body)) as { method?: string }).method ?? 'answer'} ${sid === null ? 'no session' : sid === oldSession ? 'old session' : 'session'}`);
    if (oldSession !== undefined && sid === oldSession && init.method === 'POST') {
      await new Promise<void>((resolve) => { held.push(resolve); if (held.length === 2) for (const go of held) go(); });
    }
    return handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  };
  const transport = createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch });
  const reinitialized: Error[] = [];
  const client = createClient({ name: 'c', version: '1' }, { timers: manual, ping: { intervalMs: 1_000 }, onReinitialized: (reason) => reinitialized.push(reason) });
  try {
    await client.connect(transport);
    oldSession = transport.sessionId;
    handler = createMcpHttpHandler(server, options); // a restart without the old sessions
    await first.close();
    seen.length = 0;
    manual.advance(1_000);
    const result = await client.callTool('echo', {});
    await settle();
    assert.equal(result.content, [{ type: 'text', text: 'ok' }]);
    assert.equal(seen.filter((s) => s.startsWith('initialize')), ['initialize no session'], `one renewal: ${seen.join(', ')}`);
    assert.is(reinitialized.length, 1);
    assert.equal(seen.slice(0, 2).sort(), ['ping old session', 'tools/call old session']);
    assert.is(seen.at(-1), 'tools/call session');
  } finally {
    await client.close();
    await handler.close();
  }
});

expiry.run();
