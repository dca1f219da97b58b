/**
 * The host's core, shared by the REPL, `--exec` and `plan`: its servers, its calls, and the
 * answers to what servers ask mid-call (forms, sampling) and tell (logs). It starts and
 * resumes calls without waiting for them, so the prompt stays free.
 */
import type { EraChoice, HttpClientAuth, PingOptions, ResumeStore } from 'mcpwire/client';
import type { JournalEntry } from './journal.ts';
import type { LoggingLevel, LoggingMessageParams, Root, Tool } from 'mcpwire/protocol';
import { createAskHandlers } from './asks.ts';
import { createCallOutput, type CallOutput, type HostCall } from './calls.ts';
import { serverKey, type ServerSpec } from './config.ts';
import { createConnection, type Connection, type CallHooks } from './connection.ts';
import type { CallHistory, CallRecord, PlanRef } from './history.ts';
import type { PlanJournal } from './plan-journal.ts';
import type { PlanLimits } from './plan-step.ts';
import { createHostTasks, type HostTasks, type StoredTask } from './host-tasks.ts';
import type { HostTaskMode } from './task-calls.ts';
import type { RestartPolicy } from './restarts.ts';
import { elapsedText } from './progress-view.ts';
import type { SamplingProvider } from './sampling.ts';
import type { Terminal } from './terminal.ts';
import { createLogRate } from './log-rate.ts';
import { createSettle } from './call-settle.ts';
import { sendResending, withIdempotencyKey } from './call-resend.ts';
import { argsText } from './call-args.ts';
import { DEFAULT_RECONNECT_ATTEMPTS } from './connection-defaults.ts';
import { createToolIndex, SLOW_CONNECT_NOTICE_MS, type ToolEntry, type ToolIndexOptions } from './tool-index.ts';

export { SLOW_CONNECT_NOTICE_MS, type ToolEntry };

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
  /** Limits of plan steps' retries and probes, each defaulting to `DEFAULT_PLAN_LIMITS`' (plan-step.ts). */
  planLimits?: Partial<PlanLimits>;
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
  /** How long a server may take to answer the handshake (`--connect-timeout-ms`). Default `DEFAULT_CONNECT_TIMEOUT_MS` (connection-defaults.ts). */
  connectTimeoutMs?: number;
  /** Largest message read from a server (`--max-message-bytes`). Default `DEFAULT_HOST_MAX_MESSAGE_BYTES` (connection-defaults.ts). */
  maxMessageBytes?: number;
  /** Tries to reopen an HTTP stream cut off (`--reconnect-attempts`). Default `DEFAULT_RECONNECT_ATTEMPTS` (connection-defaults.ts). */
  reconnectAttempts?: number;
  /** See ConnectionOptions.keepsCalls (false for `--exec`). Default true. */
  keepsCalls?: boolean;
  /** See ConnectionOptions.ping. */
  ping?: PingOptions;
  /** See ConnectionOptions.serverRestarting. */
  serverRestarting?: () => Promise<void> | undefined;
  /** A server's log messages shown per second per call; the rest counted in one line. Default `DEFAULT_LOG_LINES_PER_SECOND` (log-rate.ts). */
  maxLogLinesPerSecond?: number;
}

/** The `auth` option of one server's connection, when it has credentials. */
function authOf(options: HostOptions, spec: ServerSpec): { auth?: HttpClientAuth } {
  const auth = options.authFor?.(spec);
  return auth ? { auth } : {};
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
  /** Limits of plan steps' retries and probes (`--plan-probe-ms`); unset ones are `DEFAULT_PLAN_LIMITS`' (plan-step.ts). */
  readonly planLimits?: Partial<PlanLimits>;
  /** `--verbose`: transport details, resource updates, and the idempotency key in `history N`. */
  readonly verbose: boolean;
  /**
   * Every server's tools (connecting as needed); a server that fails carries its explained
   * error. With `patienceMs`, a server still connecting after it (and after a first server
   * answered) is left out (`late`), and `onLate` gets its entry when it answers or gives up;
   * later calls do not wait for it.
   */
  toolIndex(options?: ToolIndexOptions): Promise<ToolEntry[]>;
  /** `name` or `name@server`: the first server offering it. */
  findTool(name: string): Promise<{ conn: Connection; tool: Tool } | undefined>;
  /** Start a call; it runs in the background. */
  /** `options.plain`: a plain call even when tasks are on (`--tasks auto`). */
  /** `options.plan`: the plan step the call is an attempt of (kept on its record). */
  /**
   * `options.tool`: the tool as listed, for a call the person typed (not a plan's step, which
   * has its own retries): it gets an idempotency key when it takes one, and a cut before any
   * answer is sent again where that is safe (call-resend.ts).
   */
  start(conn: Connection, tool: string, args: Record<string, unknown>, options?: { quiet?: boolean; answers?: Map<string, unknown>; plain?: boolean; plan?: PlanRef; tool?: Tool }): HostCall;
  /** Resume a call an earlier run left in flight; `quiet` for a step of a plan being finished (its answer shows the result). */
  resume(conn: Connection, entry: JournalEntry, options?: { quiet?: boolean }): HostCall;
  /** The host's tasks: on record, polled, cancelled (host-tasks.ts). */
  readonly tasks: HostTasks;
  /** Follow a task on record again (started by an earlier run, or kept when its call was left). */
  resumeTask(stored: StoredTask): HostCall;
  /** Calls on record that no call of this run is following, with their number when the history has it. */
  storedCalls(): Array<{ conn: Connection; entry: JournalEntry; n: number | undefined }>;
  /** Leave: close every server, keeping the session where calls go on. */
  stop(): Promise<void>;
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

  /** A question the client refused unseen (client/inbound.ts): the person hears which call asked and why. */
  function onRefused(conn: Connection, related: unknown, method: string, problem: string): void {
    const call = output.find(conn, related as HostCall['requestId']);
    const what = method === 'elicitation/create' ? 'a form the host cannot show' : 'a model request the host cannot answer';
    const why = problem.replace(/^requestedSchema /, '');
    printFor(call)(paint.red(`✗ ${call ? `${output.label(call)}: ` : ''}${conn.name} sent ${what} (${why}); it was refused (-32602), and the tool decides what follows`));
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
      ...(options.keepsCalls === false ? { keepsCalls: false } : {}),
      ...(options.serverRestarting ? { serverRestarting: options.serverRestarting } : {}),
      ...(options.ping ? { ping: options.ping } : {}),
      ...authOf(options, spec),
      events: {
        elicit: (related, params, signal) => { tasks.questionCame(conn, related, params); return asks.elicit(conn, related, params, signal); },
        sample: (related, params, signal) => { tasks.questionCame(conn, related, params); return asks.sample(conn, related, params, signal); },
        log: (related, params) => onLog(conn, related, params),
        refused: (related, method, problem) => onRefused(conn, related, method, problem),
        resourceUpdated: (uri) => { if (options.verbose) term.print(paint.dim(`  ↻ ${uri} updated`)); },
        notice: (text, good) => term.print(good ? paint.green(`✓ ${text}`) : paint.yellow(`⚠ ${text}`)),
        debug: (text) => { if (options.verbose) term.print(paint.dim(`  [debug] ${text}`)); },
      },
    });
    return conn;
  });

  const settle = createSettle({ term, output, history, records, shutdown: shutdown.signal });
  const toolIndex = createToolIndex({
    connections, term, shutdown: shutdown.signal,
    ...(options.slowConnectNoticeMs !== undefined ? { slowConnectNoticeMs: options.slowConnectNoticeMs } : {}),
  });

  function hooksFor(call: HostCall): CallHooks {
    return {
      signal: call.controller.signal,
      byPlan: records.get(call)?.plan !== undefined,
      planMoves: () => call.planMoves === true,
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
    ...(options.planLimits ? { planLimits: options.planLimits } : {}),
    yes: options.yes,
    verbose: options.verbose,
    toolIndex,
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
    start(conn, tool, given, startOptions = {}) {
      const { args } = startOptions.tool ? withIdempotencyKey(startOptions.tool, given, 'host') : { args: given };
      const record = history.begin({ server: serverKey(conn.spec), serverName: conn.name, tool, args, ...(startOptions.plan ? { plan: startOptions.plan } : {}) });
      const call = output.add(record.n, { conn, tool, args, resumed: false, quiet: startOptions.quiet === true, ...(startOptions.answers ? { answers: startOptions.answers } : {}) });
      records.set(call, record);
      output.emit(call, paint.cyan(`▶ ${output.label(call)}${argsText(args)}`));
      const listed = startOptions.tool;
      const once = () => conn.call(tool, args, hooksFor(call));
      const plain = !listed ? once : () => {
        let heard = false;
        const hooks = hooksFor(call);
        const attempt = () => {
          heard = false;
          return conn.call(tool, args, { ...hooks, onProgress: (p) => { heard = true; hooks.onProgress?.(p); } });
        };
        return sendResending(attempt, {
          conn, tool: listed, args, line: `${tool}${argsText(given)}`, signal: AbortSignal.any([call.controller.signal, shutdown.signal]),
          heard: () => heard || (call.requestId !== undefined && conn.journal.resumable(call.requestId)),
          attempts: options.reconnectAttempts ?? DEFAULT_RECONNECT_ATTEMPTS,
          ...(options.serverRestarting ? { serverRestarting: options.serverRestarting } : {}),
          said: (text) => output.emit(call, paint.cyan(`↻ ${output.label(call)}: ${text}`)),
        });
      };
      settle(call, startOptions.plain ? plain() : tasks.run(call, plain));
      return call;
    },
    tasks,
    resumeTask({ conn, record }) {
      if (record.status !== 'running') history.update(record, { status: 'running', endedAt: undefined });
      const call = output.add(record.n, { conn, tool: record.tool, args: record.args, resumed: true, quiet: false, startedAt: record.startedAt });
      records.set(call, record);
      output.emit(call, paint.cyan(`↻ ${output.label(call)}${argsText(record.args)}: following its task ${record.task.id} (started ${elapsedText(Date.now() - record.startedAt)} ago)`));
      settle(call, tasks.follow(call, record.task.id));
      return call;
    },
    resume(conn, entry, resumeOptions = {}) {
      const p = (entry.params ?? {}) as { name?: unknown; arguments?: unknown };
      const tool = typeof p.name === 'string' ? p.name : entry.method;
      const args = (typeof p.arguments === 'object' && p.arguments !== null ? p.arguments : {}) as Record<string, unknown>;
      // The number it had when it started (an earlier run's history), else a new one.
      const record = history.find(serverKey(conn.spec), entry.requestId)
        ?? history.begin({ server: serverKey(conn.spec), serverName: conn.name, tool, args, requestId: entry.requestId, startedAt: entry.startedAt });
      if (record.status !== 'running') history.update(record, { status: 'running', endedAt: undefined });
      // Its live line shows where it was (the last progress seen) until its first replayed one.
      const call = output.add(record.n, { conn, tool, args, resumed: true, quiet: resumeOptions.quiet === true, startedAt: entry.startedAt, ...(entry.progress ? { progress: entry.progress } : {}) });
      records.set(call, record);
      call.requestId = entry.requestId;
      output.emit(call, paint.cyan(`↻ ${output.label(call)}${argsText(args)} resumed (started ${elapsedText(Date.now() - entry.startedAt)} ago); what you missed follows`));
      settle(call, conn.resume(entry, hooksFor(call)));
      return call;
    },
    storedCalls() {
      const out: Array<{ conn: Connection; entry: JournalEntry; n: number | undefined }> = [];
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
