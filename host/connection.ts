/**
 * One server as the host sees it: connected lazily, re-joined when an earlier run left calls
 * in flight (the stored session id and protocol version, no second handshake), watched for
 * reachability, and journalled so those calls can be resumed. Requests the server makes
 * (forms, sampling) and its log messages are routed to the call they belong to through the
 * stream they came on (`relatedRequestId`).
 */
import { createClient, InputRefusedError, type McpClient } from 'mcpwire/client';
import { createHttpClientTransport, createStdioClientTransport, type HttpClientTransport } from 'mcpwire/client';
import type { Implementation, Tool, Transport } from 'mcpwire/protocol';
import { serverKey } from './config.ts';
import { createCallJournal } from './journal.ts';
import { explain, explainConnect, failureKind } from './explain.ts';
import { createRestarter, DEFAULT_RESTART_POLICY } from './restarts.ts';
import type { Connection, ConnectionOptions, ConnectionState } from './connection-types.ts';
import { hostFetch } from './host-fetch.ts';
import { userSignInsOf } from './sign-in.ts';
import { createLastWords } from './last-words.ts';
import { describeEntry } from './call-args.ts';
import { lostContactNotice, lostContactState, restartedNotice, type CallInFlight } from './lost-contact.ts';
import { createConnectionCalls } from './connection-calls.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_HOST_MAX_MESSAGE_BYTES, DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_WRITE_AHEAD_WAIT_MS, HOST_INFO } from './connection-defaults.ts';

export type { CallHooks, Connection, ConnectionEvents, ConnectionOptions, ConnectionState } from './connection-types.ts';

export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_HOST_MAX_MESSAGE_BYTES, DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_WRITE_AHEAD_WAIT_MS, HOST_INFO } from './connection-defaults.ts';

export function createConnection(options: ConnectionOptions): Connection {
  const { spec, events } = options;
  const journal = createCallJournal(options.store, serverKey(spec), (e) => events.notice(`cannot save resumption tokens: ${e.message}`));
  let client: McpClient | undefined;
  let transport: Transport | undefined;
  let http: ReturnType<typeof hostFetch> | undefined;
  let connecting: Promise<McpClient> | undefined;
  let state: ConnectionState = 'new';
  let tools: Tool[] | undefined;
  let loaded = false;
  let reachable = true;
  let lostContact: string | undefined;
  let rejoined = false;
  let reconnects = 0;
  /** The calls waiting on the server, each knowing whether it can be resumed (lost-contact.ts). */
  const inFlight = new Set<CallInFlight>();
  /** The calls a stdio server was running when its process exited, named once it is started again. */
  const lostAtExit: CallInFlight[] = [];
  /**
   * The first fault the client met while a handshake was under way (a response to an id we
   * never sent, a message that is not JSON-RPC): a handshake that then times out was not
   * unanswered, it was answered wrongly, and the line says what came.
   */
  let handshakeFault: string | undefined;
  let inHandshake = false;
  const stderrWords = createLastWords();
  /** What a stdio server said that explains an exit (host/last-words.ts), as the end of a line. */
  const lastWords = (): string => {
    const said = stderrWords.said();
    return said === undefined ? '' : ` (its last words: ${said})`;
  };
  /** The journal's writes so far on disk (true), or `writeAheadWaitMs` passed (false). */
  function durable(): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), options.writeAheadWaitMs ?? DEFAULT_WRITE_AHEAD_WAIT_MS); });
    return Promise.race([Promise.all([journal.flush(), options.saved?.()]).then(() => true), bound]).finally(() => clearTimeout(timer));
  }
  const restarter = createRestarter(options.restart ?? DEFAULT_RESTART_POLICY);
  let detail: string | undefined;
  let unanswered: string | undefined;
  /** Set by close(): with keepSession, calls ended by the close stay on record. */
  let closing: boolean | undefined;
  let restartTimer: ReturnType<typeof setTimeout> | undefined; // from a planned restart until a connect starts it again (or it is given up)

  /**
   * The stdio server exited while in use (its transport closed without our asking): show it
   * down, and start it again after a backoff. Its calls end: stdio has no resumable streams
   * (2025-11-25 basic/transports: resumability is Streamable HTTP's), so they are not re-run.
   */
  function serverExited(current: McpClient, error: Error): void {
    if (current !== client || state === 'closed') return;
    lostAtExit.push(...inFlight);
    planRestart(error);
  }

  function planRestart(error: Error): void {
    tools = undefined;
    state = 'down';
    const tail = lastWords();
    const delay = restarter.exited();
    detail = `${error.message}${delay === undefined ? '' : `; restarting in ${(delay / 1000).toFixed(1)} s`}`;
    void discard();
    if (delay === undefined) {
      events.notice(`${spec.name} is down: ${error.message}${tail}; ${restarter.attempts > 0 ? `gave up after ${restarter.attempts} restarts` : 'not restarted'}; "list" tries again`);
      return;
    }
    events.notice(`${spec.name} is down: ${error.message}${tail}; restarting it in ${(delay / 1000).toFixed(1)} s (attempt ${restarter.attempts})`);
    restartTimer = setTimeout(() => {
      if (state !== 'down') return;
      connection.ensure().catch((failure: Error) => { restartTimer = undefined; if (state !== 'closed') planRestart(failure); });
    }, delay);
    restartTimer.unref();
  }

  /** An HTTP server left the pings unanswered, the client closed: the next use connects (rejoins) again. */
  function pingsUnanswered(current: McpClient, error: Error): void {
    if (current !== client) return;
    tools = undefined;
    state = 'new';
    detail = error.message;
    void discard();
    events.notice(`${spec.name} is down: ${error.message}; it is connected again at the next use`);
  }

  function onReachable(ok: boolean, reason?: string): void {
    if (ok === reachable) return;
    reachable = ok;
    lostContact = ok ? undefined : reason ?? 'no answer';
    // Only worth a line while something waits on the server; a failed connect explains itself.
    if (inFlight.size === 0) return;
    if (ok) {
      const restarting = options.serverRestarting?.();
      const say = () => { if (reachable && state !== 'closed') events.notice(`${spec.name} is reachable again; resuming`, 'good'); };
      if (restarting) void restarting.then(say, say);
      else say();
    }
    else events.notice(lostContactNotice(spec.name, reason, inFlight, options.keepsCalls !== false));
  }

  function newClient(): McpClient {
    // Only the client's public callbacks: their context names the call a request or log
    // message belongs to (the stream it came on), and the client keeps its own checks
    // (2025-11-25 client/elicitation, client/sampling) and its elicitation/complete handling.
    const made: McpClient = createClient(HOST_INFO, {
      // Sessions and resumption where the server offers the 2025 era; 2026-07-28 with a modern-only server.
      era: options.era ?? 'legacy-first',
      // A stdio transport closing by itself means the server process exited; a client
      // closing itself with an error, that pings went unanswered (--ping-interval-ms).
      onClose: (error) => { if (error && state === 'ready') (spec.kind === 'stdio' ? serverExited : pingsUnanswered)(made, error); },
      ...(options.ping ? { ping: options.ping } : {}),
      elicitation: { modes: ['form', 'url'] },
      onElicit: (params, ctx) => events.elicit(ctx.relatedRequestId, params, ctx.signal),
      onSample: (params, ctx) => events.sample(ctx.relatedRequestId, params, ctx.signal),
      ...(options.roots ? { roots: options.roots } : {}),
      onLog: (params, ctx) => events.log(ctx.relatedRequestId, params),
      onElicitationComplete: () => events.notice(`${spec.name}: the step you opened in the browser is complete`, 'good'),
      firstRequestId: Date.now() * 1000, // past any id an earlier run used in a session we may rejoin
      onReinitialized: () => {
        tools = undefined;
        events.notice(`${spec.name} had forgotten our session (it expired or restarted without its state); started a new one`);
      },
      onListChanged: (kind) => { if (kind === 'tools') tools = undefined; },
      onResourceUpdated: (uri) => events.resourceUpdated(uri),
      onError: (e) => {
        if (e instanceof InputRefusedError && events.refused) return events.refused(e.relatedRequestId, e.method, e.problem);
        if (inHandshake) handshakeFault ??= e.message;
        events.debug(`${spec.name}: ${e.message}`);
      },
    });
    return made;
  }

  function newTransport(rejoin: { sessionId: string; protocolVersion: string } | undefined): Transport {
    if (spec.kind === 'stdio') {
      // A new process: its last words are its own.
      stderrWords.clear();
      return createStdioClientTransport({
        command: spec.command, args: spec.args, env: spec.env, ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
        // A Ctrl+C at the prompt is the host's to handle (detach, cancel, leave); it used to kill every stdio server too.
        ownProcessGroup: true,
        maxLineBytes: options.maxMessageBytes ?? DEFAULT_HOST_MAX_MESSAGE_BYTES,
        stderr: (chunk) => {
          for (const line of chunk.split('\n').filter((l) => l.trim() !== '')) {
            stderrWords.add(line);
            events.debug(`${spec.name} stderr: ${line}`);
          }
        },
      });
    }
    // A call's POST waits for its journal entry, and each event shown on delivery for its id,
    // to be on disk: a kill -9 at any moment leaves it resumable just after what was shown.
    http = hostFetch(onReachable, () => { reconnects++; }, { durable, callAt: (id) => journal.callAt(id), ahead: (call, ids) => journal.ahead(call, ids) });
    return createHttpClientTransport({
      url: spec.url, fetch: http.fetch, headers: spec.headers, ...(options.auth ? { auth: options.auth } : {}),
      maxEventBytes: options.maxMessageBytes ?? DEFAULT_HOST_MAX_MESSAGE_BYTES,
      // Long enough to ride out a server restart, short enough to notice it coming back.
      reconnect: { initialDelayMs: 500, maxDelayMs: 3_000, maxAttempts: options.reconnectAttempts ?? DEFAULT_RECONNECT_ATTEMPTS },
      // An answer typed while the server is down is sent again until it is back (the
      // transport's default: 500 ms doubling to 3 s, 60 tries), as long as the streams wait.
      answerRetry: {},
      ...(rejoin ? rejoin : {}),
    });
  }

  async function discard(): Promise<void> {
    const c = client;
    client = undefined;
    transport = undefined;
    await c?.close().catch(() => undefined);
    await http?.close().catch(() => undefined);
    http = undefined;
  }

  async function connect(): Promise<McpClient> {
    state = 'connecting';
    if (!loaded) {
      await journal.load();
      loaded = true;
    }
    const stored = spec.kind === 'http' ? journal.entries() : [];
    const kept = stored.length > 0 ? await options.store.get(serverKey(spec)) : undefined;
    const record = kept?.sessionId && kept.protocolVersion ? kept : spec.kind === 'http' ? options.taskSession?.() : undefined;
    let handshaken = false; // a failure before any handshake is a connect failure, not a lost session
    try {
      if (record?.sessionId && record.protocolVersion) {
        // Rejoin the session an earlier run left calls or tasks in: no handshake, check it is alive.
        transport = newTransport({ sessionId: record.sessionId, protocolVersion: record.protocolVersion });
        client = newClient();
        await client.connect(transport, { rejoin: { protocolVersion: record.protocolVersion } });
        try {
          await client.ping({ timeoutMs: 10_000 });
          handshaken = true;
          state = 'ready';
          rejoined = true;
          return client;
        } catch (error) {
          if (failureKind(error) !== 'session-gone') throw error;
          const lost = journal.entries();
          for (const entry of lost) journal.end(entry.requestId);
          events.notice(lost.length === 0 ? `${explain(error, spec.name)}: the tasks an earlier run started there belonged to that session and cannot be reached`
            : `${explain(error, spec.name)}: ${lost.length === 1 ? 'the interrupted call is' : `${lost.length} interrupted calls are`} lost (${lost.map(describeEntry).join('; ')}); run ${lost.length === 1 ? 'it' : 'them'} again`);
          await discard();
        }
      }
      transport = newTransport(undefined);
      client = newClient();
      handshakeFault = undefined;
      inHandshake = true;
      const signIns = userSignInsOf(options.auth);
      const signInsBefore = signIns?.started ?? 0;
      try {
        try {
          await client.connect(transport, { timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
        } catch (error) {
          // The handshake waited on the user signing in at the browser, which has its own
          // limit (--sign-in-timeout-ms): once they are back (or that limit passed, whose
          // error is then the one shown), the handshake is tried again, once.
          if (!signIns || signIns.started === signInsBefore || failureKind(error) !== 'timeout') throw error;
          await signIns.last;
          await discard();
          transport = newTransport(undefined);
          client = newClient();
          await client.connect(transport, { timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
        }
      } finally {
        inHandshake = false;
      }
      handshaken = true;
      if (client.serverCapabilities?.logging) {
        await client.setLoggingLevel(options.logLevel).catch((e: Error) => events.debug(`${spec.name}: logging/setLevel: ${e.message}`));
      }
      state = 'ready';
      // What a stdio server said while starting ("ready", its pid) is not why it later ends: a
      // server killed by a signal said nothing, and its start-up line read as its last words.
      stderrWords.clear();
      detail = undefined;
      unanswered = undefined;
      restarter.up();
      // Said by whichever connect starts it again: the timer's, or a plan step's going back first.
      if (restartTimer !== undefined) {
        clearTimeout(restartTimer);
        restartTimer = undefined;
        events.notice(restartedNotice(spec.name, lostAtExit.splice(0)));
      }
      return client;
    } catch (error) {
      await discard();
      state = failureKind(error) === 'unreachable' ? 'unreachable' : 'new';
      const tail = lastWords();
      const url = spec.kind === 'http' ? spec.url : undefined;
      const fault = !handshaken && failureKind(error) === 'timeout' && handshakeFault !== undefined ? `; what it sent instead: ${handshakeFault}` : '';
      const why = `${handshaken ? explain(error, spec.name) : explainConnect(error, spec.name, url)}${fault}${tail}`;
      unanswered = !handshaken && failureKind(error) === 'timeout' ? why : undefined;
      detail = why; // `servers` and `status` said only "unreachable", not why (said once, at the start)
      throw new Error(why, { cause: error });
    }
  }

  const connection: Connection = {
    spec,
    name: spec.name,
    get state() { return state; },
    get detail() { return detail; },
    get restarting() { return restartTimer !== undefined; },
    get serverInfo() { return client?.serverInfo; },
    get era() { return client?.era; },
    get protocolVersion() { return client?.protocolVersion; },
    get sessionId() { return (transport as HttpClientTransport | undefined)?.sessionId; },
    get rejoined() { return rejoined; },
    get unanswered() { return unanswered; },
    get lostContact() { return state === 'ready' ? lostContact : undefined; },
    get contactState() { return state === 'ready' && lostContact !== undefined ? lostContactState(lostContact, inFlight, options.keepsCalls !== false) : undefined; },
    get reconnects() { return reconnects; },
    journal,
    ensure() {
      if (client && state === 'ready') return Promise.resolve(client);
      connecting ??= connect().finally(() => { connecting = undefined; });
      return connecting;
    },
    async tools(refresh = false) {
      const c = await connection.ensure();
      if (!tools || refresh) tools = await c.listTools();
      return tools;
    },
    ...createConnectionCalls({
      options, journal, inFlight, durable, ensure: () => connection.ensure(), sessionId: () => connection.sessionId, closing: () => closing,
    }),
    hold: (id, undoRelease) => journal.hold(id, undoRelease),
    holdQuestion: (id) => journal.holdQuestion(id),
    release: (id) => journal.release(id),
    releaseOnNext: (id) => journal.releaseOnNext(id),
    noteProgress: (id, progress) => journal.noteProgress(id, progress),
    saved: durable,
    async readResource(uri) {
      const c = await connection.ensure();
      return c.readResource(uri);
    },
    async close(keepSession) {
      state = 'closed';
      if (restartTimer) clearTimeout(restartTimer);
      closing = keepSession;
      if (keepSession) http?.keepSession();
      await discard();
      // Leaving for good: nothing is left to resume on this server.
      if (!keepSession) for (const entry of journal.entries()) journal.end(entry.requestId);
      await journal.flush();
    },
  };

  return connection;
}
