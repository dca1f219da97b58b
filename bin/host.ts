/** `mcpwire host`: the interactive MCP host (host/), or one command with --exec. */
import { stat } from 'node:fs/promises';
import { LOGGING_LEVELS, type LoggingLevel } from 'mcpwire/protocol';
import {
  cleanTokens, forLocale, loadConfig, parseEra, terminalAsk, parseHostInput, parseTaskMode, runHost, SAMPLING_ENV, serverKey, specFromUrl, stateDirFrom, type HostInput, type RunHostOptions, type ServerSpec,
} from 'mcpwire/host';
import { parseCommandArgs, UsageError } from './args.ts';
import { makeStateDir } from './state-key.ts';

const HELP = `Usage: mcpwire host (--url URL | --config FILE) [options]

An interactive MCP host: run tools with live progress, answer forms and model requests,
interrupt and come back. Commands inside: list, help, <tool> [name=value ...], status,
resume [N], detach, cancel, call <tool>, plan <goal>, read <uri>, history [N], servers,
clean-tokens, clear, quit.

Servers:
  --url URL              a Streamable HTTP server, e.g. http://127.0.0.1:3000/mcp
  --config FILE          servers from an "mcpServers" config file, or VS Code's mcp.json
                         (url for HTTP; command, args, env for stdio); several at once.
                         \${env:NAME}, \${NAME:-default} and VS Code's \${input:ID} are
                         expanded (an input asked on a terminal, else MCPWIRE_INPUT_ID)
  --name NAME            with --url: the server's name (default: its host:port)

Options:
  --state DIR            where resumption tokens are kept (default $XDG_STATE_HOME/mcpwire,
                         else ~/.local/state/mcpwire)
  --exec "COMMAND"       run one command (a tool call, "plan <goal>", "list" or "history [N]")
                         and exit: progress on stderr, the result on stdout, lines piped on
                         stdin answer its questions in order; exit 0 on success, 1 when the
                         tool or call failed, 2 on a bad command, 3 when a server cannot be
                         used (unreachable, wrong URL path, command missing, not MCP), 130
                         interrupted (the call is cancelled on the server)
  --json                 with --exec: print one JSON document on stdout
  -y, --yes              approve model requests and accept forms without asking (forms take
                         their defaults, yes/no fields answered yes); resume without asking
  --token TOKEN          a bearer token for the HTTP servers (else $MCPWIRE_TOKEN); without
                         one, a protected server is signed in to with OAuth: the host prints
                         the URL to open and waits on 127.0.0.1 for the browser to come back
  --sign-in-timeout-ms N how long a sign-in waits for the browser (default 300000)
  --clean-tokens         forget the stored resumption tokens of these servers (of every
                         server without --url/--config) and exit; refused while a
                         host runs on the same --state
  --root DIR             offer DIR to servers as a file:// root (repeatable; default: the
                         working directory)
  --stdio-restarts N     restart a stdio server that exits up to N times in a row, with
                         backoff from 0.5 s to 10 s (default 5; 0: never)
  --page-lines N         lines of a model request shown per page before you approve it
                         (default 20)
  --plan-probe-ms N      how often a plan step's server is pinged while another server
                         could take the step over (default 1000; a refused connection
                         moves the step at once, timeouts after two in a row)
  --log-level LEVEL      least severe server log message shown (default info)
  --log-lines-per-second N
                         server log messages (and progress lines) shown per second per
                         call; the rest are counted in one line (default 20)
  --timeout-ms N         give up on a call silent for N ms (default 600000; progress
                         resets the clock, an open form pauses it)
  --max-message-bytes N  largest message read from a server: an HTTP body or SSE event, a
                         stdio line (default 16777216; a 1 MB text can take 6 MB escaped)
  --connect-timeout-ms N how long a server may take to answer the handshake (default 15000);
                         all servers are connected at once, and one that does not answer is
                         named once, then tried again in the background
  --ping-interval-ms N   ping each 2025 session's server every N ms (2025-11-25
                         basic/utilities/ping): one that leaves two pings in a row
                         unanswered counts as down, a stdio one is restarted, an HTTP one
                         connected again at the next use (default 0: no pings; a server
                         that exits is seen anyway, pings find one that hangs)
  --ping-timeout-ms N    with --ping-interval-ms: how long each ping waits (default 10000)
  --reconnect-attempts N tries to reopen an HTTP server's stream that was cut off, 0.5 s
                         doubling to 3 s apart, before its call ends cut off (default 60,
                         about three minutes: a server restart is ridden out)
  --startup-wait-ms N    how long the first screen waits for every server (default 5000);
                         the host goes on with those that answered and brings a late one in
                         when it answers
  --tasks auto|off       auto: run a tool as a task where the server and tool allow it, so it
                         outlives the host ("status" shows it, "resume N" answers or fetches
                         it after a restart); off: plain calls (default off)
  --era ERA              the protocol era: legacy-first (default; 2025-11-25 sessions where
                         offered), modern (2026-07-28), legacy or auto
  --input script|live    how lines piped on stdin are read: script (default) runs them in
                         order, a tool call holding the lines after it until it ends, so
                         they answer its questions first; live takes each line as a command
                         as it comes, as typed (a program driving the host)
  --verbose              show transport details, resource updates, and in "history N"
                         the idempotency key a call was sent with
  --no-color             plain output
  -h, --help             show this help

Model: sampling requests are answered by an offline extractive summariser unless
${SAMPLING_ENV.baseUrl} (an OpenAI-compatible /v1 endpoint) or ${SAMPLING_ENV.apiKey} is
set; ${SAMPLING_ENV.model} picks the model (default gpt-4o-mini),
${SAMPLING_ENV.timeoutMs} the timeout, ${SAMPLING_ENV.maxReplyBytes} the largest reply read
(default 1048576).
`;

/** The servers named on the command line. */
export async function serversFrom(url: string | undefined, config: string | undefined, name: string | undefined): Promise<ServerSpec[]> {
  const specs: ServerSpec[] = [];
  // The same rule as a config's server names: `<tool>@<server>` must be able to name it.
  if (name !== undefined && !/^[\w.-]+$/.test(name)) throw new UsageError(`--name "${name}" may only use letters, digits, _ . -`);
  if (name !== undefined && url === undefined) throw new UsageError('--name names the --url server; give --url too');
  if (url !== undefined) {
    try {
      specs.push(specFromUrl(url, name));
    } catch (error) {
      throw new UsageError(`--url ${(error as Error).message}`);
    }
  }
  if (config !== undefined) {
    try {
      // A config's ${input:ID} is asked for on a terminal; piped, it comes from MCPWIRE_INPUT_ID or its default.
      specs.push(...await loadConfig(config, process.stdin.isTTY ? { ask: terminalAsk(process.stdin, process.stderr) } : {}));
    } catch (error) {
      throw new UsageError(`--config: ${(error as Error).message}`);
    }
  }
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new UsageError(`two servers are named "${spec.name}"; give --url a --name`);
    names.add(spec.name);
  }
  return specs;
}

/** A whole-number option (at least `min`), or its default. */
function wholeNumber(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be a whole number of at least ${min}, got "${text}"`);
  return n;
}

/** The --root directories (the working directory when none), each checked to be a directory. */
export async function rootDirs(dirs: string[] | undefined): Promise<string[]> {
  if (dirs === undefined || dirs.length === 0) return [process.cwd()];
  for (const dir of dirs) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`--root ${dir}: ${info ? 'not a directory' : 'no such directory'}`);
  }
  return dirs;
}

/** `--token` (else MCPWIRE_TOKEN) and `--sign-in-timeout-ms`. */
function signInOptions(token: string | undefined, timeout: string | undefined): { token?: string; signInTimeoutMs?: number } {
  const bearer = token ?? (process.env.MCPWIRE_TOKEN || undefined);
  return {
    ...(bearer !== undefined ? { token: bearer } : {}),
    ...(timeout !== undefined ? { signInTimeoutMs: wholeNumber('--sign-in-timeout-ms', timeout, 300_000, 1) } : {}),
  };
}

export async function hostCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    url: { type: 'string' },
    config: { type: 'string' },
    name: { type: 'string' },
    state: { type: 'string' },
    exec: { type: 'string' },
    json: { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    'clean-tokens': { type: 'boolean' },
    token: { type: 'string' },
    'sign-in-timeout-ms': { type: 'string' },
    'log-level': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'connect-timeout-ms': { type: 'string' },
    'ping-interval-ms': { type: 'string' },
    'ping-timeout-ms': { type: 'string' },
    'max-message-bytes': { type: 'string' },
    'startup-wait-ms': { type: 'string' },
    'reconnect-attempts': { type: 'string' },
    'log-lines-per-second': { type: 'string' },
    root: { type: 'string', multiple: true },
    'stdio-restarts': { type: 'string' },
    'page-lines': { type: 'string' },
    'plan-probe-ms': { type: 'string' },
    verbose: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    tasks: { type: 'string' },
    era: { type: 'string' },
    input: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, {
    url: 'for several servers, name them in an "mcpServers" file given to --config',
    config: 'put every server in one file',
    name: 'it names the --url server',
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals.join(' '))} (put a command in --exec "...")`);
  const stateDir = stateDirFrom(values.state);
  const specs = await serversFrom(values.url, values.config, values.name);
  if (values['clean-tokens']) {
    const removed = await cleanTokens(stateDir, specs.map(serverKey));
    process.stdout.write(removed > 0 ? forLocale(`✓ Resumption tokens cleared (${removed} server${removed === 1 ? '' : 's'})\n`) : 'No tokens to clear\n');
    return 0;
  }
  if (specs.length === 0) throw new UsageError('name a server: --url URL or --config FILE');
  if (values.json && values.exec === undefined) throw new UsageError('--json goes with --exec');
  const level = values['log-level'] ?? 'info';
  if (!(LOGGING_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LOGGING_LEVELS.join(', ')}`);
  const timeout = values['timeout-ms'] === undefined ? 600_000 : Number(values['timeout-ms']);
  if (!Number.isSafeInteger(timeout) || timeout < 1) throw new UsageError('--timeout-ms must be a positive whole number');
  const roots = await rootDirs(values.root);
  const stdioRestarts = wholeNumber('--stdio-restarts', values['stdio-restarts'], 5, 0);
  // A piped --exec script is shown a model request whole: its answer lines met the pages'
  // "Enter shows the next page" first, and its "y" for the approval was read there.
  const scriptPages = values.exec !== undefined && !process.stdin.isTTY ? Infinity : 20;
  const pageLines = wholeNumber('--page-lines', values['page-lines'], scriptPages, 1);
  // Unset: the host's own default (DEFAULT_CONNECT_TIMEOUT_MS in host/connection.ts).
  const connect = values['connect-timeout-ms'] === undefined ? {} : { connectTimeoutMs: wholeNumber('--connect-timeout-ms', values['connect-timeout-ms'], 0, 1) };
  const maxMessage = values['max-message-bytes'] === undefined ? {} : { maxMessageBytes: wholeNumber('--max-message-bytes', values['max-message-bytes'], 0, 1) };
  const startupWait = values['startup-wait-ms'] === undefined ? {} : { startupWaitMs: wholeNumber('--startup-wait-ms', values['startup-wait-ms'], 0, 0) };
  const logLines = values['log-lines-per-second'] === undefined ? {} : { maxLogLinesPerSecond: wholeNumber('--log-lines-per-second', values['log-lines-per-second'], 0, 1) };
  const reconnect = values['reconnect-attempts'] === undefined ? {} : { reconnectAttempts: wholeNumber('--reconnect-attempts', values['reconnect-attempts'], 0, 0) };
  const ping = pingFlags(values['ping-interval-ms'], values['ping-timeout-ms']);
  const planProbe = values['plan-probe-ms'] === undefined ? {} : { planProbeMs: wholeNumber('--plan-probe-ms', values['plan-probe-ms'], 0, 1) };
  // A --state that is a file was eight warnings and a failed call, not a usage error.
  await makeStateDir(stateDir, values.state !== undefined ? '--state' : 'the state directory');
  return runHost({
    ...connect, ...maxMessage, ...startupWait, ...reconnect, ...logLines, ...ping, ...planProbe, specs, stateDir, roots, stdioRestarts, pageLines, json: values.json === true, yes: values.yes === true, logLevel: level as LoggingLevel,
    callTimeoutMs: timeout, verbose: values.verbose === true, color: values['no-color'] !== true,
    ...(values.exec !== undefined ? { exec: values.exec } : {}),
    ...signInOptions(values.token, values['sign-in-timeout-ms']),
    ...taskFlags(values.tasks, values.era),
    ...(values.input !== undefined ? { input: inputFlag(values.input) } : {}),
  });
}

/** `--ping-interval-ms` (0, the default: no pings) and `--ping-timeout-ms`, which needs it. */
function pingFlags(interval: string | undefined, timeout: string | undefined): Pick<RunHostOptions, 'ping'> {
  const intervalMs = wholeNumber('--ping-interval-ms', interval, 0, 0);
  if (timeout !== undefined && intervalMs === 0) throw new UsageError('--ping-timeout-ms goes with --ping-interval-ms (pings are off without it)');
  if (intervalMs === 0) return {};
  return { ping: { intervalMs, ...(timeout !== undefined ? { timeoutMs: wholeNumber('--ping-timeout-ms', timeout, 0, 1) } : {}) } };
}

/** `--input script|live`. */
function inputFlag(text: string): HostInput {
  try {
    return parseHostInput(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--tasks auto|off` and `--era` (host/task-calls.ts). */
function taskFlags(tasks: string | undefined, era: string | undefined): Pick<RunHostOptions, 'tasks' | 'era'> {
  try {
    return { ...(tasks !== undefined ? { tasks: parseTaskMode(tasks) } : {}), ...(era !== undefined ? { era: parseEra(era) } : {}) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
