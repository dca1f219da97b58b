/**
 * The interactive MCP host of the demo (`mcpwire host`, `npm start`): several servers at once
 * (stdio and Streamable HTTP, from an `mcpServers` config), calls that run in the background
 * with live progress, forms and sampling with the user in control, resumption after the host
 * or the server is interrupted, a non-interactive `--exec` mode and a `plan` orchestrator.
 */
import { createFileResumeStore, createMemoryResumeStore, type EraChoice, type PingOptions } from 'mcpwire/client';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoggingLevel, Root } from 'mcpwire/protocol';
import type { ServerSpec } from './config.ts';
import { runExec } from './exec.ts';
import { createCallHistory } from './history.ts';
import { createHost } from './host.ts';
import { DEFAULT_HOST_TASKS, type HostTaskMode } from './task-calls.ts';
import { DEFAULT_PAGE_LINES } from './pager.ts';
import { DEFAULT_RESTART_POLICY } from './restarts.ts';
import { openUrl } from './open-url.ts';
import { historyFile, plansFile, tokensDir } from './paths.ts';
import { createPlanJournal } from './plan-journal.ts';
import { runRepl } from './repl.ts';
import { providerFromEnv } from './sampling.ts';
import { createTerminal, type Terminal } from './terminal.ts';
import { lockHostState, type HostStateLock } from './state-lock.ts';
import { createHostSignIn, type HostSignIn } from './sign-in.ts';

export { defaultStateDir, stateDirFrom, tokensDir } from './paths.ts';
export { loadConfig, parseConfig, specFromUrl, serverKey } from './config.ts';
export type { LoadConfigOptions, ServerSpec } from './config.ts';
export { terminalAsk } from './config-prompt.ts';
export { inputEnvName, type AskInput, type ConfigInput } from './config-vars.ts';
export { EXIT } from './exec.ts';
export { forLocale } from './glyphs.ts';
export { SAMPLING_ENV } from './sampling.ts';
export { parseEra, parseTaskMode, DEFAULT_HOST_TASKS, type HostTaskMode } from './task-calls.ts';

/** How piped lines are read: see {@link RunHostOptions.input}. */
export type HostInput = 'script' | 'live';

/** Default of `RunHostOptions.input` (`--input`). */
export const DEFAULT_HOST_INPUT: HostInput = 'script';

/** `--input script|live`; throws naming the value otherwise. */
export function parseHostInput(text: string): HostInput {
  if (text === 'script' || text === 'live') return text;
  throw new Error(`--input must be script or live, got "${text}"`);
}

export interface RunHostOptions {
  specs: ServerSpec[];
  stateDir: string;
  /** Run this one command and exit (see exec.ts). */
  exec?: string;
  json: boolean;
  yes: boolean;
  logLevel: LoggingLevel;
  callTimeoutMs: number;
  verbose: boolean;
  color: boolean;
  /** Directories offered to servers as roots (default: the working directory). */
  roots?: string[];
  /** Lines of a model request shown per page before its approval. Default 20. */
  pageLines?: number;
  /** How often a plan step's server is probed while another could take over (`--plan-probe-ms`). Default 1000 ms (`DEFAULT_PLAN_LIMITS`). */
  planProbeMs?: number;
  /** Restarts in a row of a stdio server that exits (0: never). Default 5. */
  stdioRestarts?: number;
  /** How long a server may take to answer the handshake (`--connect-timeout-ms`). Default `DEFAULT_CONNECT_TIMEOUT_MS`. */
  connectTimeoutMs?: number;
  /** Largest message read from a server (`--max-message-bytes`). Default `DEFAULT_HOST_MAX_MESSAGE_BYTES` (connection-defaults.ts). */
  maxMessageBytes?: number;
  /** Tries to reopen an HTTP stream cut off before its call ends cut off (`--reconnect-attempts`). Default `DEFAULT_RECONNECT_ATTEMPTS` (connection-defaults.ts). */
  reconnectAttempts?: number;
  /** A server's log messages shown per second per call (`--log-lines-per-second`). Default `DEFAULT_LOG_LINES_PER_SECOND` (log-rate.ts). */
  maxLogLinesPerSecond?: number;
  /** How long the first screen waits for every server before going on with those that answered (`--startup-wait-ms`). Default `DEFAULT_STARTUP_WAIT_MS` (repl.ts). */
  startupWaitMs?: number;
  /** The server stops when the host leaves (the demo): say so instead of "goes on on the server". */
  serverStopsWithHost?: boolean;
  /** Lines shown before connecting (the demo's banner). */
  banner?: string[];
  /**
   * Hands over a way to print a line through the host's terminal (the demo tells of its server's
   * restarts), and the number of calls running now (it said "calls in flight resume" with none).
   */
  onTerminal?: (print: (text: string) => void, running: () => number) => void;
  /** Ping each 2025 session's server (`--ping-interval-ms`, `--ping-timeout-ms`). Default: no pings. */
  ping?: PingOptions;
  /** See ConnectionOptions.serverRestarting (the demo's restart of its server). */
  serverRestarting?: () => Promise<void> | undefined;
  /** Run tools as tasks where allowed (`--tasks`). Default {@link DEFAULT_HOST_TASKS}. */
  tasks?: HostTaskMode;
  /** The protocol era (`--era`). Default `legacy-first`. */
  era?: EraChoice;
  /**
   * How lines piped on stdin (not a terminal) are read (`--input`). `script` (default): in
   * order, as a shell runs a script: a tool call holds the lines after it until it ends (or is
   * detached), so they answer its questions first and the next command runs once it is done;
   * at end of input the host waits for the call. `live`: each line is a command as it comes,
   * as typed at a terminal (a program driving the host). A terminal is always `live`.
   */
  input?: HostInput;
  /** A bearer token for the HTTP servers, sent as is (no sign-in). */
  token?: string;
  /** How long a sign-in waits for the browser, ms. Default 300 000. */
  signInTimeoutMs?: number;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** Directories as file:// roots, named by their last path segment (2025-11-25 client/roots). */
export function rootsOf(dirs: readonly string[]): Root[] {
  return dirs.map((dir) => {
    const path = resolve(dir);
    return { uri: pathToFileURL(path).href, name: basename(path) || path };
  });
}

/**
 * The sign-in of each HTTP server (sign-in.ts), by name. On a terminal the authorization URL
 * is also opened in the browser; on pipes it is only printed (no browser pops up under a script).
 */
async function startSignIns(options: RunHostOptions, term: Terminal, tty: boolean): Promise<Map<string, HostSignIn>> {
  const out = new Map<string, HostSignIn>();
  for (const spec of options.specs) {
    if (spec.kind !== 'http') continue;
    out.set(spec.name, await createHostSignIn(spec.name, {
      stateDir: options.stateDir, say: (text) => term.print(text),
      ...(tty ? { openUrl } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(options.signInTimeoutMs !== undefined ? { timeoutMs: options.signInTimeoutMs } : {}),
    }));
  }
  return out;
}

/** Run the host; resolves the exit code. */
export async function runHost(options: RunHostOptions): Promise<number> {
  const provider = providerFromEnv(); // first: a malformed MCPWIRE_OPENAI_* value stops the host before anything starts
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // With --exec, stdout is for the result only: the conversation happens on stderr.
  const talk = options.exec === undefined ? stdout : stderr;
  const tty = Boolean(stdin.isTTY && talk.isTTY);
  // TERM=dumb (an editor's shell buffer, some consoles): a terminal that moves no cursor and
  // shows no colour, so lines are printed plain, as on pipes, and nothing is redrawn.
  const drawn = tty && process.env.TERM !== 'dumb';
  // --exec reads no commands: what is piped in answers its questions, in order.
  const term = createTerminal({
    input: stdin, output: talk, tty: drawn, color: options.color && drawn && !process.env.NO_COLOR, answersOnly: options.exec !== undefined && !tty,
    // No idle prompt for --exec: it reads no commands, so "> " would invite typing that is ignored.
    ...(options.exec !== undefined ? { prompt: '' } : {}),
    onOutputLost: (error) => {
      if (talk !== stderr) stderr.write(`mcpwire host: the output closed (${(error as NodeJS.ErrnoException).code ?? error.message}); leaving, calls in flight detached\n`);
    },
  });
  // The host is made in runHostWith: until then no call runs.
  const calls = { running: () => 0 };
  options.onTerminal?.((text) => term.print(text), () => calls.running());
  const lock = await lockHostState(options.stateDir).catch((error: Error) => {
    // A state directory that cannot be written (read-only): the stores report their own failures.
    term.print(`⚠ cannot lock the state in ${options.stateDir} (${error.message}); a second host on it would share its files`);
    return undefined;
  });
  // Another live host keeps its tokens, history and plans there: this run keeps its own in
  // memory, so neither overwrites the other's records nor takes the other's calls for ones
  // an earlier run left.
  const shared = lock?.held === false;
  if (shared) {
    term.print(`⚠ another host (pid ${lock.pid}) is using the state in ${options.stateDir}: this run keeps its tokens, call history and plans in memory only, leaves that host's calls alone, and cannot be resumed once it ends; give it its own --state DIR to keep them (if no host runs there, delete ${lock.path})`);
  }
  const onStoreError = (error: Error) => term.print(`⚠ ${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`);
  const store = shared ? createMemoryResumeStore() : createFileResumeStore({ dir: tokensDir(options.stateDir), onError: onStoreError });
  const history = createCallHistory({ file: shared ? undefined : historyFile(options.stateDir), onError: (error) => term.print(`⚠ ${error.message}`) });
  const plans = createPlanJournal({ file: shared ? undefined : plansFile(options.stateDir), onError: (error) => term.print(`⚠ ${error.message}`) });
  try {
    await history.load();
    await plans.load();
    return await runHostWith(options, { term, tty, stdout, provider, store, history, plans, calls });
  } finally {
    await releaseLock(lock, term);
  }
}

/** Give the state lock up (a host ending): a failure is said, the next host then finds it stale. */
async function releaseLock(lock: HostStateLock | undefined, term: Terminal): Promise<void> {
  if (lock?.held !== true) return;
  await lock.release().catch((error: Error) => term.print(`⚠ cannot remove the state lock ${lock.path}: ${error.message}`));
}

interface HostParts {
  term: Terminal;
  tty: boolean;
  stdout: NodeJS.WritableStream;
  provider: ReturnType<typeof providerFromEnv>;
  store: ReturnType<typeof createFileResumeStore>;
  history: ReturnType<typeof createCallHistory>;
  plans: ReturnType<typeof createPlanJournal>;
  /** The count `onTerminal` hands over, pointed at the host once it is made. */
  calls: { running: () => number };
}

async function runHostWith(options: RunHostOptions, { term, tty, stdout, provider, store, history, plans, calls }: HostParts): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const signIns = await startSignIns(options, term, tty);
  const host = createHost({
    authFor: (spec) => signIns.get(spec.name)?.auth,
    history, plans, pageLines: options.pageLines ?? DEFAULT_PAGE_LINES,
    ...(options.planProbeMs !== undefined ? { planLimits: { probeIntervalMs: options.planProbeMs } } : {}),
    restart: { ...DEFAULT_RESTART_POLICY, ...(options.stdioRestarts !== undefined ? { maxAttempts: options.stdioRestarts } : {}) },
    specs: options.specs, store, term, yes: options.yes, provider, logLevel: options.logLevel,
    callTimeoutMs: options.callTimeoutMs, verbose: options.verbose, openUrl: tty ? openUrl : undefined,
    roots: rootsOf(options.roots ?? [process.cwd()]),
    tasks: options.tasks ?? DEFAULT_HOST_TASKS, ...(options.era ? { era: options.era } : {}),
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {}),
    ...(options.reconnectAttempts !== undefined ? { reconnectAttempts: options.reconnectAttempts } : {}),
    ...(options.exec !== undefined ? { keepsCalls: false } : {}),
    ...(options.serverRestarting ? { serverRestarting: options.serverRestarting } : {}),
    ...(options.ping ? { ping: options.ping } : {}),
    ...(options.maxLogLinesPerSecond !== undefined ? { maxLogLinesPerSecond: options.maxLogLinesPerSecond } : {}),
  });
  calls.running = () => host.output.calls.filter((c) => c.status === 'running').length;
  try {
    if (options.exec !== undefined) {
      return await runExec(host, options.exec, { json: options.json, interactive: tty, stdout });
    }
    return await runRepl(host, {
      // A person typing is live even when the output goes to a pipe (npm start | tee log).
      script: !stdin.isTTY && (options.input ?? DEFAULT_HOST_INPUT) === 'script',
      yes: options.yes, serverStopsWithHost: options.serverStopsWithHost === true, ...(options.banner ? { banner: options.banner } : {}),
      ...(options.startupWaitMs !== undefined ? { startupWaitMs: options.startupWaitMs } : {}),
    });
  } finally {
    for (const signIn of signIns.values()) signIn.close();
  }
}

/**
 * Forget the stored tokens of `specs` (every server's when empty); resolves how many records
 * were removed. Refused while a live host holds the state directory (state-lock.ts): it
 * would lose the tokens of the calls it runs, and write them again at their next event.
 */
export async function cleanTokens(stateDir: string, keys: string[]): Promise<number> {
  // A state the lock cannot be written in (read-only, not ours) has no host writing tokens
  // there either; the deletions then say what they can do.
  const lock = await lockHostState(stateDir).catch((error: NodeJS.ErrnoException) => {
    if (['EROFS', 'EACCES', 'EPERM'].includes(error.code ?? '')) return undefined;
    throw error;
  });
  if (lock && !lock.held) throw new Error(`another host (pid ${lock.pid}) is using the state in ${stateDir}; its tokens are left alone while it runs (type "clean-tokens" in that host, or stop it first; if no host runs there, delete ${lock.path})`);
  try {
    const store = createFileResumeStore({ dir: tokensDir(stateDir), onError: () => undefined });
    const targets = keys.length > 0 ? keys : await store.list();
    let removed = 0;
    for (const key of targets) if (await store.delete(key)) removed++;
    return removed;
  } finally {
    if (lock?.held) await lock.release();
  }
}
