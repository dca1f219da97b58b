/** `mcpwire serve`: the demo tools (or the conformance fixtures, or the agents) over stdio or Streamable HTTP. */
import { join } from 'node:path';
import { createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { createFileEventStore, createFileMarkers, createStdioServerTransport, listen, type ExchangeServable, type SessionEventStore } from 'mcpwire/transport';
import { DEFAULT_STEP_DELAY_MS } from 'mcpwire/examples';
import { parseCommandArgs, parsePort, UsageError } from './args.ts';
import { serveEras } from 'mcpwire/server';
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import { AUTH_FLAGS, AUTH_HELP, legacyOwnerIssuerFrom, protectedResourceFrom } from './serve-auth.ts';
import { makeStateDir, requestStateKey } from './state-key.ts';
import { lockStateDir } from './serve-state-lock.ts';
import { reportServeError, say, watchStdout } from './serve-report.ts';
import { allowedPeers, blockedPortWarning, hostsOf, originsOf } from './serve-peers.ts';
import { openServeRedis, REDIS_FLAGS, REDIS_HELP } from './serve-redis.ts';
import { buildAgentsServer, buildServer, inState } from './serve-servers.ts';

/** `serve --stdio`'s exit code when its client answered none of the pings in a row (0: stdin closed). */
const PING_LOST_EXIT = 3;

const HELP = `Usage: mcpwire serve (--stdio | --http) [options]

Serve the demo tools (echo, count, ask_user, summarize), or with --fixtures the tools,
resources and prompts the official MCP conformance suite expects, or with --agents the
long-running travel_agent and research_agent with their bookings and reports.

Transports:
  --stdio                  newline-delimited JSON-RPC on stdin/stdout (logs, and whatever a
                           tool prints to stdout, go to stderr)
  --http                   Streamable HTTP (2025-11-25, down to 2025-03-26) on one endpoint

stdio options:
  --ping-interval-ms N     ping a 2025 client every N ms; two pings in a row unanswered end
                           the session and the server, exit code 3 (default: no pings)
  --ping-timeout-ms N      with --ping-interval-ms: how long each ping waits (default 10000)

HTTP options:
  --host ADDR              bind address (default 127.0.0.1; allowed Host/Origin follow it;
                           0.0.0.0 or :: also allows this machine's own addresses)
  --port N                 port, 0 for any free one (default 3000)
  --allowed-hosts LIST     more Host values to accept, comma-separated (name or name:port;
                           without a port the server's own is meant); others get 403
  --allowed-origins LIST   more Origin values to accept, comma-separated (e.g. https://app.example);
                           others get 403
  --request-timeout-ms N   longest time to receive one request, headers and body (default 30000)
  --headers-timeout-ms N   longest time to receive the request headers (default 10000)
  --keep-alive-timeout-ms N
                           how long an idle keep-alive connection stays open (default 65000)
  --max-connections N      connections open at once; more are closed when accepted (default: no cap)
  --max-header-count N     header fields in one request; more get 431 (default 2000; 0: no count
                           limit, Node's 16 KiB limit on the header bytes still holds)
  --close-linger-ms N      how long a connection the server closes (after a 413) still reads and
                           discards what the client sends, so it reads the answer (default 1000; 0: none)
  --path PATH              endpoint path (default /mcp)
  --state DIR              keep sessions and stream history in DIR (survives restarts and kill -9),
                           and the key that seals 2026-07-28 requestState (DIR/request-state.key;
                           MCPWIRE_REQUEST_STATE_KEY, base64 of >= 32 bytes, overrides it) and
                           the states already used (DIR/request-state.used: single use outlives
                           a restart);
                           with --fixtures also the tasks (DIR/tasks), resumed after a restart;
                           one serve per DIR (DIR/serve.pid holds its pid and start time;
                           a second is refused)
  --json-response          answer requests with JSON bodies (SSE when a tool streams)
  --max-sessions N         live sessions at once; idle ones make room first (default 1000)
  --max-pending-server-requests N
                           server-to-client requests awaiting answers, all sessions (default 10000)
  --session-idle-ms N      expire unused sessions after N ms (default 1800000); with --redis
                           also their record and stream history in Redis
  --max-connection-ms N    close SSE connections after N ms so clients poll and resume (default: never)
  --retry-ms N             the SSE retry sent on every stream: how long a client waits before it
                           resumes a cut one (default 100). The Python and TypeScript SDK clients
                           try twice at this interval and then fail the call, so with --state
                           make 2 x N longer than a restart takes
  --exit-with-stdin        stop (as on SIGTERM) when stdin closes: a parent that holds the
                           server's stdin open takes it down when it dies, even by kill -9

${REDIS_HELP}
Other options:
  --fixtures               serve the conformance fixtures instead of the demo tools, with tasks
                           (2025-11-25) and the tasks fixtures (greet, slow_compute, ...)
  --fixture-effects FILE   with --fixtures: where the task fixtures record their side effects,
                           once per task (default STATE/fixture-effects.log; none without --state)
  --agents                 serve travel_agent and research_agent; bookings and reports go to
                           DIR/agents with --state DIR, else to a temporary folder
  --records DIR            with --agents: keep bookings and reports in DIR (default STATE/agents);
                           servers sharing DIR never book one idempotency key twice
  --corpus DIR             with --agents: research the .md/.markdown/.txt files in DIR
                           (default: the bundled documents)
  --step-ms N              with --agents: pause between agent steps (default ${DEFAULT_STEP_DELAY_MS})
  --max-line-bytes N       largest accepted stdio line or HTTP body (default 4194304)
  -h, --help               show this help
${AUTH_HELP}`;

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

function nonNegativeInt(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  return n;
}

/** The HTTP handler, once made: test_reconnection closes connections through it. */
let httpHandler: McpHttpHandler | undefined;

/** The options that only an HTTP server reads. */
const HTTP_ONLY_FLAGS = [
  'host', 'port', 'path', 'json-response', 'max-sessions', 'max-pending-server-requests', 'session-idle-ms', 'max-connection-ms', 'retry-ms',
  'allowed-hosts', 'allowed-origins', 'request-timeout-ms', 'headers-timeout-ms', 'keep-alive-timeout-ms', 'max-connections',
  'max-header-count', 'close-linger-ms',
] as const;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    stdio: { type: 'boolean' },
    http: { type: 'boolean' },
    host: { type: 'string' },
    port: { type: 'string' },
    path: { type: 'string' },
    state: { type: 'string' },
    'json-response': { type: 'boolean' },
    'max-sessions': { type: 'string' },
    'max-pending-server-requests': { type: 'string' },
    'session-idle-ms': { type: 'string' },
    'max-connection-ms': { type: 'string' },
    'retry-ms': { type: 'string' },
    'exit-with-stdin': { type: 'boolean' },
    'max-line-bytes': { type: 'string' },
    'ping-interval-ms': { type: 'string' },
    'ping-timeout-ms': { type: 'string' },
    'allowed-hosts': { type: 'string' },
    'allowed-origins': { type: 'string' },
    'request-timeout-ms': { type: 'string' },
    'headers-timeout-ms': { type: 'string' },
    'keep-alive-timeout-ms': { type: 'string' },
    'max-connections': { type: 'string' },
    'max-header-count': { type: 'string' },
    'close-linger-ms': { type: 'string' },
    fixtures: { type: 'boolean' },
    'fixture-effects': { type: 'string' },
    agents: { type: 'boolean' },
    corpus: { type: 'string' },
    records: { type: 'string' },
    'step-ms': { type: 'string' },
    ...AUTH_FLAGS,
    ...REDIS_FLAGS,
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.stdio === values.http) throw new UsageError('choose one transport: --stdio or --http');
  if (values.stdio && values['exit-with-stdin']) throw new UsageError('--exit-with-stdin goes with --http (with --stdio, stdin is the connection)');
  // An HTTP option given with --stdio did nothing, silently (walk: `serve --stdio --port 3000`).
  const httpOnly = HTTP_ONLY_FLAGS.filter((flag) => values[flag] !== undefined);
  if (values.stdio && httpOnly.length > 0) throw new UsageError(`${httpOnly.map((f) => `--${f}`).join(', ')} ${httpOnly.length === 1 ? 'goes' : 'go'} with --http, not --stdio`);
  // 2025-11-25 basic/utilities/ping: a stdio session is one connection to ping; an HTTP server pings none (see ConnectOptions.ping).
  const pingFlags = (['ping-interval-ms', 'ping-timeout-ms'] as const).filter((f) => values[f] !== undefined);
  if (values.http && pingFlags.length > 0) throw new UsageError(`${pingFlags.map((f) => `--${f}`).join(', ')} ${pingFlags.length === 1 ? 'goes' : 'go'} with --stdio, not --http (the HTTP server pings no session)`);
  if (values['ping-timeout-ms'] !== undefined && values['ping-interval-ms'] === undefined) throw new UsageError('--ping-timeout-ms goes with --ping-interval-ms');
  const pingIntervalMs = positiveInt('ping-interval-ms', values['ping-interval-ms']);
  const pingTimeoutMs = positiveInt('ping-timeout-ms', values['ping-timeout-ms']);
  const ping = pingIntervalMs === undefined ? undefined : { intervalMs: pingIntervalMs, ...(pingTimeoutMs === undefined ? {} : { timeoutMs: pingTimeoutMs }) };
  const maxLineBytes = positiveInt('max-line-bytes', values['max-line-bytes']);
  const guard = protectedResourceFrom(values, (m) => say(`auth: ${m}`));
  if (guard && values.stdio) throw new UsageError('--auth-* flags go with --http (stdio has no authorization)');
  if (values.agents && values.fixtures) throw new UsageError('choose --agents or --fixtures, not both');
  if (values['fixture-effects'] !== undefined && !values.fixtures) throw new UsageError('--fixture-effects goes with --fixtures');
  const legacyOwnerIssuer = legacyOwnerIssuerFrom(values);
  if (legacyOwnerIssuer !== undefined && !values.agents && !values.fixtures) throw new UsageError('--tasks-legacy-owner-issuer goes with --agents or --fixtures (the demo tools make no tasks)');
  if (!values.agents && (values.corpus !== undefined || values.records !== undefined || values['step-ms'] !== undefined)) throw new UsageError('--corpus, --records and --step-ms go with --agents');
  const stepMs = values['step-ms'] === undefined ? undefined : Number(values['step-ms']);
  if (stepMs !== undefined && (!Number.isSafeInteger(stepMs) || stepMs < 0)) throw new UsageError(`--step-ms must be a whole number of ms, got "${values['step-ms']}"`);
  if (values.state !== undefined) {
    await makeStateDir(values.state);
    lockStateDir(values.state);
  }
  if (values.records !== undefined) await makeStateDir(values.records, '--records');
  const redis = await openServeRedis(values, values['session-idle-ms'] === undefined ? undefined : positiveInt('session-idle-ms', values['session-idle-ms']));
  const built = values.agents
    ? await buildAgentsServer({ state: values.state, legacyOwnerIssuer, records: values.records, corpus: values.corpus, stepMs }, redis)
    : { server: await buildServer(values.fixtures === true, values.state, values['fixture-effects'], legacyOwnerIssuer, (sessionId, requestId) => httpHandler?.closeConnection(sessionId, requestId) ?? false, redis), close: async () => {} };
  const server = built.server;
  const key = values.state === undefined ? await requestStateKey(undefined) : await inState(values.state, () => requestStateKey(values.state));
  // 2026-07-28 basic/patterns/mrtr (single use): the used nonces outlive a restart as the key does.
  const nonces = values.state === undefined || redis ? undefined
    : await inState(values.state, () => createFileMarkers({ file: join(values.state!, 'request-state.used'), onError: (e) => say(`request states: ${e.message}`) }));
  const modern = { modern: { inputRounds: key ? { key, ...(nonces ? { nonces } : {}) } : {} } };

  if (values.stdio) {
    const transport = createStdioServerTransport(maxLineBytes === undefined ? {} : { maxLineBytes });
    const dropped = watchStdout();
    // The unfinished tasks of --state are run again now, as over HTTP: without it one ran only
    // once a request about it came (taken over), and a client waiting to be told never was.
    const resumed = await server.tasks?.resume() ?? 0;
    if (resumed > 0) process.stderr.write(`mcpwire serve: resumed ${resumed} tasks\n`);
    // Over stdio the first message decides the era (2026-07-28 basic/versioning).
    const ended = await new Promise<Error | undefined>((resolve, reject) => {
      serveEras(server, transport, { ...modern, ...(ping ? { connect: { ping } } : {}), onEnd: (reason) => resolve(reason), onError: reportServeError }).catch((e: Error) => {
        // Closed is serveEras' rejection for stdin ended before any message (onEnd follows):
        // exit 0 as for any closed stdin, but say so (it looked like a server that did nothing).
        if (e instanceof McpError && e.code === LocalErrorCode.Closed) process.stderr.write('mcpwire serve: stdin ended before any message (no client spoke); exiting\n');
        else reject(e);
      });
    });
    // The client closed stdin (basic/transports, stdio: how it ends the session): the tasks
    // still running stop, as on SIGTERM over HTTP. Their timers kept the process alive after
    // the session ended, for as long as the tool ran.
    await server.close();
    await built.close();
    dropped();
    // The server ended the session itself: only the pings do (their lines are on stderr). A
    // supervisor tells a hung client (restart it) from one that closed stdin (it was done).
    return ended === undefined ? 0 : PING_LOST_EXIT;
  }

  const host = values.host ?? '127.0.0.1';
  const port = parsePort(values.port, 3000);
  const path = values.path ?? '/mcp';
  if (!path.startsWith('/')) throw new UsageError('--path must start with /');
  const extraOrigins = originsOf(values['allowed-origins']);
  const extraHosts = hostsOf(values['allowed-hosts']);
  const timeouts = {
    ...(values['request-timeout-ms'] !== undefined ? { requestTimeoutMs: positiveInt('request-timeout-ms', values['request-timeout-ms'])! } : {}),
    ...(values['headers-timeout-ms'] !== undefined ? { headersTimeoutMs: positiveInt('headers-timeout-ms', values['headers-timeout-ms'])! } : {}),
    ...(values['keep-alive-timeout-ms'] !== undefined ? { keepAliveTimeoutMs: positiveInt('keep-alive-timeout-ms', values['keep-alive-timeout-ms'])! } : {}),
    ...(values['max-connections'] !== undefined ? { maxConnections: positiveInt('max-connections', values['max-connections'])! } : {}),
    ...(values['max-header-count'] !== undefined ? { maxHeaderCount: nonNegativeInt('max-header-count', values['max-header-count']) } : {}),
    ...(values['close-linger-ms'] !== undefined ? { closeLingerMs: nonNegativeInt('close-linger-ms', values['close-linger-ms']) } : {}),
  };
  let eventStore: SessionEventStore | undefined;
  if (values.state) {
    const dir = join(values.state, 'events');
    eventStore = await inState(values.state, () => createFileEventStore({ dir, onError: (e) => say(`event store: ${e.message}`) }));
  }
  const optional = {
    ...(eventStore ? { eventStore, recoverInflight: true } : {}),
    ...redis?.http,
    ...(maxLineBytes !== undefined ? { maxBodyBytes: maxLineBytes } : {}),
    ...(values['max-sessions'] !== undefined ? { maxSessions: positiveInt('max-sessions', values['max-sessions'])! } : {}),
    ...(values['max-pending-server-requests'] !== undefined ? { maxPendingServerRequests: positiveInt('max-pending-server-requests', values['max-pending-server-requests'])! } : {}),
    ...(values['session-idle-ms'] !== undefined ? { sessionIdleMs: positiveInt('session-idle-ms', values['session-idle-ms'])! } : {}),
    ...(values['max-connection-ms'] !== undefined ? { maxConnectionMs: positiveInt('max-connection-ms', values['max-connection-ms'])! } : {}),
    // 2025-11-25 basic/transports: the client MUST wait `retry` ms before it reconnects.
    ...(values['retry-ms'] !== undefined ? { retryMs: nonNegativeInt('retry-ms', values['retry-ms']) } : {}),
    ...(guard ? { protectedResource: guard } : {}),
  };
  // Allowed hosts follow the bind address, known once the port is (port 0 picks one).
  const handlerRef: ExchangeServable = {
    exchange: () => Promise.resolve({ status: 503, headers: { 'content-type': 'text/plain', 'retry-after': '1' }, body: 'starting' }),
  };
  const blocked = blockedPortWarning(port);
  if (blocked) process.stderr.write(`mcpwire serve: ${blocked}\n`);
  const listening = await listen(handlerRef, { host, port, ...timeouts }).catch(async (error: NodeJS.ErrnoException) => {
    // What was opened for serving goes: with --redis its connections and timers kept the
    // process running, not listening, after the error was told.
    await server.close().catch(() => undefined);
    await eventStore?.close().catch(() => undefined);
    await redis?.close().catch(() => undefined);
    await built.close().catch(() => undefined);
    throw new Error(listenFailure(error, host, port), { cause: error });
  });
  const handler = createMcpHttpHandler(server, {
    path, ...allowedPeers(host, listening.port, extraHosts, extraOrigins),
    responseMode: values['json-response'] ? 'json' : 'sse',
    closableConnections: values.fixtures === true,
    ...modern,
    onError: (error, sessionId) => say(`${sessionId ? `[${sessionId.slice(0, 8)}] ` : ''}${error.message}`),
    ...optional,
  });
  httpHandler = handler;
  const restored = await handler.restore();
  // Tasks whose lease is free: after a restart all unfinished ones; with --redis only those
  // of dead instances (live ones renew their leases). Then a sweep every sweepMs.
  const resumed = await server.tasks?.resume() ?? 0;
  handlerRef.exchangeTo = handler.exchangeTo;
  handlerRef.exchange = handler.exchange;
  const shown = host.includes(':') ? `[${host}]` : host;
  // The stop signals are heard before the listening line goes out: a supervisor that signals
  // as soon as it reads the line would otherwise kill the process outright (SIGTERM's default).
  const stop = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    const stdinEnded = () => resolve('stdin closed');
    if (values['exit-with-stdin']) process.stdin.on('end', stdinEnded).on('close', stdinEnded).on('error', stdinEnded).resume();
  });
  process.stderr.write(`mcpwire serve: listening on http://${shown}:${listening.port}${path}${restored ? ` (restored ${restored} sessions)` : ''}${resumed ? ` (resumed ${resumed} tasks)` : ''}${redis ? ` (state shared on ${redis.shown})` : ''}\n`);
  const reason = await stop;
  // Behind a balancer an operator reads a rolling restart from this: the lease goes at once.
  if (redis) process.stderr.write(`mcpwire serve: stopping (${reason}); the calls and tasks running here are re-run by the other instances\n`);
  if (values['exit-with-stdin']) process.stdin.destroy();
  await handler.close();
  await server.close();
  await listening.close();
  await eventStore?.close();
  await nonces?.close();
  await redis?.close();
  await built.close();
  return 0;
}

/** Why listening failed, naming the flag to change (the bare "listen EADDRINUSE" named none). */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE': return `--port ${port}: ${host}:${port} is already in use (choose another port, or --port 0 for any free one)`;
    case 'EACCES': return `--port ${port}: not permitted here (ports below 1024 need privileges; choose another, or --port 0)`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `--host ${host}: not an address of this machine (${error.code}); 127.0.0.1 is the default`;
    default: return error.message;
  }
}
