/**
 * The host's core, shared by the REPL, `--exec` and `plan`: its servers, its calls, and the
 * answers to what servers ask mid-call (forms, sampling) and tell (logs). It starts and
 * resumes calls without waiting for them, so the prompt stays free.
 */
import type { EraChoice, HttpClientAuth, InflightRequest, ResumeStore } from 'mcpwire/client';
import type { CallToolResult, LoggingLevel, LoggingMessageParams, Root, Tool } from 'mcpwire/protocol';
import { createAskHandlers } from './asks.ts';
import { createCallOutput, type CallOutput, type HostCall } from './calls.ts';
import { serverKey, type ServerSpec } from './config.ts';
import { createConnection, type Connection, type CallHooks } from './connection.ts';
import { explain, failureKind, isNotMcp } from './explain.ts';
import type { CallHistory, CallRecord, PlanRef } from './history.ts';
import type { PlanJournal } from './plan-journal.ts';
import { createHostTasks, type HostTasks, type StoredTask } from './host-tasks.ts';
import type { HostTaskMode } from './task-calls.ts';
import type { RestartPolicy } from './restarts.ts';
import { elapsedText } from './progress-view.ts';
import { renderResult } from './render.ts';
import type { SamplingProvider } from './sampling.ts';
import type { Terminal } from './terminal.ts';
import { createLogRate } from './log-rate.ts';

export interface HostOptions {
  specs: ServerSpec[];
  store: ResumeStore;
  term: Terminal;
  /** Approve sampling and accept forms without asking (forms take their defaults, boxes ticked). */
  yes: boolean;
  provider: SamplingProvider;
  logLevel: LoggingLevel;
  callTimeoutMs: number;
  verbose: boolean;
  /** Opens a URL after consent; undefined where nothing can be opened. */
  openUrl: ((url: string) => Promise<boolean>) | undefined;
  /** Directories offered to servers as file:// roots (2025-11-25 client/roots). */
  roots: Root[];
  /** The durable record of calls: numbers, results, answers (history.ts). */
  history: CallHistory;
  /** The plans not finished, kept so the next run can finish them (plan-journal.ts); none kept when undefined. */
  plans?: PlanJournal;
  /** Lines of a model request shown per page before its approval (pager.ts). */
  pageLines: number;
  /** How stdio servers that exit are restarted (restarts.ts). */
  restart: RestartPolicy;
  /** Credentials of an HTTP server, by its spec (sign-in.ts). */
  authFor?: (spec: ServerSpec) => HttpClientAuth | undefined;
  /** `--tasks`: run tools as tasks where allowed (task-calls.ts). Default off. */
  tasks?: HostTaskMode;
  /** `--era`: the protocol era to speak. Default `legacy-first`. */
  era?: EraChoice;
  /** After this long still connecting, say which servers are awaited. Default {@link SLOW_CONNECT_NOTICE_MS}. */
  slowConnectNoticeMs?: number;
  /** How long a server may take to answer the handshake (`--connect-timeout-ms`). Default `DEFAULT_CONNECT_TIMEOUT_MS` (connection.ts). */
  connectTimeoutMs?: number;
  /** Largest message read from a server (`--max-message-bytes`). Default `DEFAULT_HOST_MAX_MESSAGE_BYTES` (connection.ts). */
  maxMessageBytes?: number;
  /** Tries to reopen an HTTP stream cut off (`--reconnect-attempts`). Default `DEFAULT_RECONNECT_ATTEMPTS` (connection.ts). */
  reconnectAttempts?: number;
  /** A server's log messages shown per second per call; the rest counted in one line. Default `DEFAULT_LOG_LINES_PER_SECOND` (log-rate.ts). */
  maxLogLinesPerSecond?: number;
}

/**
 * A server that accepts connections but does not answer holds "list" (and the start) until
 * its connect timeout: past this, the host says whom it waits for instead of showing nothing.
 */
export const SLOW_CONNECT_NOTICE_MS = 2_000;

/** The `auth` option of one server's connection, when it has credentials. */
function authOf(options: HostOptions, spec: ServerSpec): { auth?: HttpClientAuth } {
  const auth = options.authFor?.(spec);
  return auth ? { auth } : {};
}

export interface ToolEntry {
  conn: Connection;
  tools: Tool[] | undefined;
  error: string | undefined;
  /** The failure shows the server is not MCP at all (explain.ts `isNotMcp`), not merely down. */
  notMcp: boolean;
  /** Still connecting when the caller's patience ran out (see `toolIndex`); `error` says so. */
  late?: true;
}

export interface Host {
  readonly connections: Connection[];
  readonly output: CallOutput;
  readonly term: Terminal;
  readonly provider: SamplingProvider;
  readonly shutdown: AbortSignal;
  readonly history: CallHistory;
  /** The plans not finished (plan-journal.ts), when kept. */
  readonly plans: PlanJournal | undefined;
  /** `--yes`: approve without asking (plans, sampling, forms with defaults). */
  readonly yes: boolean;
  /**
   * Every server's tools (connecting as needed); a server that fails carries its explained
   * error. With `patienceMs`, a server still connecting after it (and after a first server
   * answered) is left out (`late`), and `onLate` gets its entry when it answers or gives up;
   * later calls do not wait for it.
   */
  toolIndex(options?: { patienceMs?: number; onLate?: (entry: ToolEntry) => void }): Promise<ToolEntry[]>;
  /** `name` or `name@server`: the first server offering it. */
  findTool(name: string): Promise<{ conn: Connection; tool: Tool } | undefined>;
  /** Start a call; it runs in the background. */
  /** `options.plain`: a plain call even when tasks are on (`--tasks auto`). */
  /** `options.plan`: the plan step the call is an attempt of (kept on its record). */
  start(conn: Connection, tool: string, args: Record<string, unknown>, options?: { quiet?: boolean; answers?: Map<string, unknown>; plain?: boolean; plan?: PlanRef }): HostCall;
  /** Resume a call an earlier run left in flight. */
  resume(conn: Connection, entry: InflightRequest): HostCall;
  /** The host's tasks: on record, polled, cancelled (host-tasks.ts). */
  readonly tasks: HostTasks;
  /** Follow a task on record again (started by an earlier run, or kept when its call was left). */
  resumeTask(stored: StoredTask): HostCall;
  /** Calls on record that no call of this run is following, with their number when the history has it. */
  storedCalls(): Array<{ conn: Connection; entry: InflightRequest; n: number | undefined }>;
  /** Leave: close every server, keeping the session where calls go on. */
  stop(): Promise<void>;
}

function argsText(args: Record<string, unknown>): string {
  return Object.keys(args).length === 0 ? '' : ` ${JSON.stringify(args)}`;
}

export function createHost(options: HostOptions): Host {
  const { term } = options;
  const paint = term.paint;
  const shutdown = new AbortController();
  const multi = options.specs.length > 1;
  const rateOf = (noun: string) => createLogRate({ noun, ...(options.maxLogLinesPerSecond !== undefined ? { perSecond: options.maxLogLinesPerSecond } : {}) });
  const progressRate = rateOf('progress line');
  const output = createCallOutput(term, (call) => `#${call.n} ${call.tool}${multi ? `@${call.conn.name}` : ''}`, progressRate);

  const printFor = (call: HostCall | undefined) => (text: string) => (call ? output.emit(call, text) : term.print(text));
  const { history } = options;
  /** Each call's entry in the history. */
  const records = new Map<HostCall, CallRecord>();
  const asks = createAskHandlers({
    term, output, shutdown: shutdown.signal, yes: options.yes, provider: options.provider, openUrl: options.openUrl,
    history, pageLines: options.pageLines, recordOf: (call) => records.get(call),
  });

  // A server flooding log messages must not flood the terminal (log-rate.ts).
  const logRate = rateOf('log message');

  function onLog(conn: Connection, related: unknown, params: LoggingMessageParams): void {
    const call = output.find(conn, related as HostCall['requestId']);
    const data = typeof params.data === 'string' ? params.data : JSON.stringify(params.data);
    const level = ['error', 'critical', 'alert', 'emergency'].includes(params.level) ? paint.red(params.level)
      : params.level === 'warning' ? paint.yellow(params.level) : paint.dim(params.level);
    // A logger named like the tool says nothing the label does not.
    const logger = params.logger && params.logger !== call?.tool ? ` ${paint.dim(params.logger)}` : '';
    const who = call ? output.label(call) : conn.name;
    const print = printFor(call);
    if (!logRate.admit(call ? `#${call.n}` : conn.name, params.level, (text) => print(paint.dim(`  ${who} · ${text}`)))) return;
    print(`  ${who} · ${level}${logger}: ${data}`);
  }

  const tasks = createHostTasks({ mode: options.tasks ?? 'off', history, output, recordOf: (call) => records.get(call), callTimeoutMs: options.callTimeoutMs, shutdown: shutdown.signal });

  const connections = options.specs.map((spec) => {
    const conn: Connection = createConnection({
      ...(options.era ? { era: options.era } : {}), taskSession: () => tasks.session({ spec }),
      saved: () => history.flush(),
      spec, store: options.store, logLevel: options.logLevel, callTimeoutMs: options.callTimeoutMs, roots: options.roots, restart: options.restart,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {}),
      ...(options.reconnectAttempts !== undefined ? { reconnectAttempts: options.reconnectAttempts } : {}),
      ...authOf(options, spec),
      events: {
        elicit: (related, params, signal) => { tasks.questionCame(conn, related, params); return asks.elicit(conn, related, params, signal); },
        sample: (related, params, signal) => { tasks.questionCame(conn, related, params); return asks.sample(conn, related, params, signal); },
        log: (related, params) => onLog(conn, related, params),
        resourceUpdated: (uri) => { if (options.verbose) term.print(paint.dim(`  ↻ ${uri} updated`)); },
        notice: (text, good) => term.print(good ? paint.green(`✓ ${text}`) : paint.yellow(`⚠ ${text}`)),
        debug: (text) => { if (options.verbose) term.print(paint.dim(`  [debug] ${text}`)); },
      },
    });
    return conn;
  });

  function settle(call: HostCall, outcome: Promise<CallToolResult>): void {
    const record = records.get(call);
    outcome.then((result) => {
      call.status = 'done';
      call.result = result;
      if (record) history.update(record, { status: result.isError ? 'failed' : 'done', result, endedAt: Date.now() });
      const took = elapsedText(Date.now() - call.startedAt);
      if (!call.quiet) {
        const head = result.isError
          ? paint.red(`✗ ${output.label(call)} reported an error after ${took}:`)
          : paint.green(`✓ ${output.label(call)} finished in ${took}`);
        output.emit(call, `${head}\n${renderResult(result)}`);
      }
    }, (error: unknown) => {
      call.error = error;
      const kind = failureKind(error);
      const label = output.label(call);
      if (call.controller.signal.aborted) {
        call.status = 'cancelled';
        if (record) history.update(record, { status: 'cancelled', endedAt: Date.now() });
        output.emit(call, paint.yellow(`⊘ ${label} ${call.endNote ?? 'cancelled; the server was told to stop'}`));
      } else if (call.task && !['completed', 'failed', 'cancelled'].includes(call.task.status) && (shutdown.signal.aborted || kind === 'closed' || kind === 'unreachable')) {
        // The task goes on on the server: the next "status" or host run finds it.
        call.status = 'kept';
        if (record) history.update(record, { status: 'kept' });
        if (!shutdown.signal.aborted) output.emit(call, paint.yellow(`⚠ ${label}: ${explain(error, call.conn.name)}; its task goes on on the server: "status" shows it, "resume ${call.n}" follows it`));
      } else if ((kind === 'closed' || kind === 'unreachable') && call.requestId !== undefined && call.conn.journal.resumable(call.requestId)) {
        call.status = 'kept';
        if (record) history.update(record, { status: 'kept' });
        if (!shutdown.signal.aborted) output.emit(call, paint.yellow(`⚠ ${label}: ${explain(error, call.conn.name)}; it stays on record: type "resume" when the server is back`));
      } else {
        call.status = 'failed';
        // 2025-11-25 basic/transports: only Streamable HTTP streams can be resumed; a stdio call dies with its server.
        const why = call.conn.spec.kind === 'stdio' && kind === 'closed'
          ? `${call.conn.name} exited under it${call.conn.detail ? ` (${call.conn.detail.split(';')[0]})` : ''}; a stdio call cannot be resumed: run it again`
          : explain(error, call.conn.name);
        if (record) history.update(record, { status: 'failed', endedAt: Date.now(), error: why });
        output.emit(call, paint.red(`✗ ${label} failed: ${why}`));
      }
    }).finally(() => {
      output.finish(call);
      // A call ended here on purpose (cancelled on leaving) has said so: "resume" would show nothing.
      if (!call.attached && !shutdown.signal.aborted && !call.quiet && call.endNote === undefined) {
        term.print(`${output.label(call)} ended while detached; type "resume ${call.n}" to see how`);
      }
    });
  }

  /** Servers still connecting after a `toolIndex` stopped waiting for them (its `patienceMs`). */
  const late = new Map<Connection, number>();
  /** Servers being tried again in the background after they did not answer in time. */
  const retrying = new Set<Connection>();

  /**
   * A server that took the connection but did not answer the handshake was named once, with
   * why: later commands do not wait a connect timeout for it again. It is tried again in the
   * background, and a line says so only when it answers.
   */
  function retryQuietly(conn: Connection): void {
    if (retrying.has(conn) || shutdown.signal.aborted) return;
    retrying.add(conn);
    conn.tools().then(
      () => { if (!shutdown.signal.aborted) term.print(paint.green(`✓ ${conn.name} answers now: "list" shows its tools`)); },
      () => undefined, // still silent: it was said already
    ).finally(() => retrying.delete(conn));
  }

  function hooksFor(call: HostCall): CallHooks {
    return {
      signal: call.controller.signal,
      onProgress: (p) => output.progress(call, p),
      onRequestId: (id) => {
        call.requestId = id;
        const record = records.get(call);
        if (record && record.requestId !== id) history.update(record, { requestId: id });
        if (!call.attached) call.conn.hold(id);
      },
    };
  }

  const host: Host = {
    connections,
    output,
    term,
    provider: options.provider,
    shutdown: shutdown.signal,
    history,
    plans: options.plans,
    yes: options.yes,
    async toolIndex(indexOptions = {}) {
      // Every server at once; one already known not to answer is not waited for again, nor
      // one left behind by an earlier patience while it still connects.
      const pending = new Set(connections.filter((c) => c.unanswered === undefined && !(late.has(c) && c.state === 'connecting')));
      const { patienceMs, onLate } = indexOptions;
      // A patience up to three times the notice's wait: its own line names the late server soon
      // enough (two lines on the same server read as noise); a longer patience keeps the notice.
      const noticeMs = options.slowConnectNoticeMs ?? SLOW_CONNECT_NOTICE_MS;
      const notice = patienceMs !== undefined && patienceMs <= noticeMs * 3 ? undefined : setTimeout(() => {
        const waiting = [...pending].filter((c) => c.state === 'connecting').map((c) => c.name);
        if (waiting.length > 0) term.print(paint.dim(`… waiting for ${waiting.join(', ')} to answer (connecting)`));
      }, noticeMs);
      const lateEntry = (conn: Connection, since: number): ToolEntry => ({
        conn, tools: undefined, notMcp: false, late: true, error: `${conn.name} has not answered yet, after ${elapsedText(Date.now() - since)}`,
      });
      let patience: ReturnType<typeof setTimeout> | undefined;
      const started = Date.now();
      try {
        const entries = connections.map(async (conn): Promise<ToolEntry> => {
          const silent = conn.unanswered;
          if (silent !== undefined) {
            retryQuietly(conn);
            return { conn, tools: undefined, error: `${silent}; trying again in the background`, notMcp: false };
          }
          if (!pending.has(conn)) return lateEntry(conn, late.get(conn) ?? started);
          try {
            return { conn, tools: await conn.tools(), error: undefined, notMcp: false };
          } catch (error) {
            return { conn, tools: undefined, error: (error as Error).message, notMcp: isNotMcp(error) };
          } finally {
            pending.delete(conn);
          }
        });
        if (patienceMs === undefined) return await Promise.all(entries);
        const outOfPatience = new Promise<void>((resolve) => { patience = setTimeout(resolve, patienceMs); });
        const settled: Array<ToolEntry | undefined> = connections.map(() => undefined);
        let someAnswered!: () => void;
        const answered = new Promise<void>((resolve) => { someAnswered = resolve; });
        const all = Promise.all(entries.map((e, i) => e.then((entry) => { settled[i] = entry; if (entry.tools) someAnswered(); })));
        // Out of patience, the host goes on with the servers that answered: with none yet (one
        // slow server, a stdio child still starting) there is nothing to go on with, so it waits.
        await Promise.race([all, outOfPatience.then(() => answered)]);
        return connections.map((conn, i) => {
          const entry = settled[i];
          if (entry) return entry;
          // 2025-11-25 basic/lifecycle: nothing but pings may go before initialize is answered; the rest goes on meanwhile.
          late.set(conn, started);
          void entries[i]!.then((later) => {
            late.delete(conn);
            if (!shutdown.signal.aborted) onLate?.(later);
          });
          return lateEntry(conn, started);
        });
      } finally {
        clearTimeout(notice);
        clearTimeout(patience);
      }
    },
    async findTool(name) {
      const at = name.lastIndexOf('@');
      const toolName = at > 0 ? name.slice(0, at) : name;
      const server = at > 0 ? name.slice(at + 1) : undefined;
      for (const entry of await host.toolIndex()) {
        if (server !== undefined && entry.conn.name !== server) continue;
        const tool = entry.tools?.find((t) => t.name === toolName);
        if (tool) return { conn: entry.conn, tool };
      }
      return undefined;
    },
    start(conn, tool, args, startOptions = {}) {
      const record = history.begin({ server: serverKey(conn.spec), serverName: conn.name, tool, args, ...(startOptions.plan ? { plan: startOptions.plan } : {}) });
      const call = output.add(record.n, { conn, tool, args, resumed: false, quiet: startOptions.quiet === true, ...(startOptions.answers ? { answers: startOptions.answers } : {}) });
      records.set(call, record);
      output.emit(call, paint.cyan(`▶ ${output.label(call)}${argsText(args)}`));
      const plain = () => conn.call(tool, args, hooksFor(call));
      settle(call, startOptions.plain ? plain() : tasks.run(call, plain));
      return call;
    },
    tasks,
    resumeTask({ conn, record }) {
      if (record.status !== 'running') history.update(record, { status: 'running', endedAt: undefined });
      const call = output.add(record.n, { conn, tool: record.tool, args: record.args, resumed: true, quiet: false });
      records.set(call, record);
      call.startedAt = record.startedAt;
      output.emit(call, paint.cyan(`↻ ${output.label(call)}${argsText(record.args)}: following its task ${record.task.id} (started ${elapsedText(Date.now() - record.startedAt)} ago)`));
      settle(call, tasks.follow(call, record.task.id));
      return call;
    },
    resume(conn, entry) {
      const p = (entry.params ?? {}) as { name?: unknown; arguments?: unknown };
      const tool = typeof p.name === 'string' ? p.name : entry.method;
      const args = (typeof p.arguments === 'object' && p.arguments !== null ? p.arguments : {}) as Record<string, unknown>;
      // The number it had when it started (an earlier run's history), else a new one.
      const record = history.find(serverKey(conn.spec), entry.requestId)
        ?? history.begin({ server: serverKey(conn.spec), serverName: conn.name, tool, args, requestId: entry.requestId, startedAt: entry.startedAt });
      if (record.status !== 'running') history.update(record, { status: 'running', endedAt: undefined });
      const call = output.add(record.n, { conn, tool, args, resumed: true, quiet: false });
      records.set(call, record);
      call.requestId = entry.requestId;
      call.startedAt = entry.startedAt;
      output.emit(call, paint.cyan(`↻ ${output.label(call)}${argsText(args)} resumed (started ${elapsedText(Date.now() - entry.startedAt)} ago); what you missed follows`));
      settle(call, conn.resume(entry, hooksFor(call)));
      return call;
    },
    storedCalls() {
      const out: Array<{ conn: Connection; entry: InflightRequest; n: number | undefined }> = [];
      for (const conn of connections) {
        for (const entry of conn.journal.entries()) {
          const followed = output.calls.some((c) => c.conn === conn && c.requestId === entry.requestId && c.status === 'running');
          if (!followed) out.push({ conn, entry, n: history.find(serverKey(conn.spec), entry.requestId)?.n });
        }
      }
      return out;
    },
    async stop() {
      shutdown.abort();
      logRate.close();
      progressRate.close();
      // Followed tasks stop at once (their requests cancelled) and stay on record.
      await Promise.all(output.calls.filter((c) => c.task && c.status === 'running').map((c) => c.done));
      await Promise.all(connections.map((conn) => {
        const running = output.calls.some((c) => c.conn === conn && c.status === 'running');
        // A 2025 task belongs to its session: leaving it open keeps the task reachable.
        const tasksLeft = tasks.stored([conn]).length > 0;
        return conn.close(running || tasksLeft || conn.journal.entries().length > 0);
      }));
      await history.flush();
    },
  };
  return host;
}
