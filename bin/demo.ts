/**
 * `mcpwire demo` (what `npm start` runs): the agents server on 127.0.0.1 as a child process
 * and the interactive host against it, in one terminal. The server keeps its state (sessions,
 * stream history, bookings and reports) in the user's state directory, and the host stores
 * its tokens under a fixed name, so quitting mid-call and starting again resumes the call,
 * even though the server comes back on another port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forLocale, parseEra, parseHostInput, runHost, stateDirFrom, type HostInput } from 'mcpwire/host';
import type { EraChoice } from 'mcpwire/client';
import { parseCommandArgs, parsePort, UsageError } from './args.ts';
import { lockDemo, type DemoLock } from './demo-lock.ts';
import { makeStateDir } from './state-key.ts';
import { makeDirs } from 'mcpwire/transport';

interface DemoValues {
  'step-ms'?: string | undefined;
  corpus?: string | undefined;
  yes?: boolean | undefined;
  'no-color'?: boolean | undefined;
  input?: HostInput | undefined;
  era?: EraChoice | undefined;
}

const HELP = `Usage: mcpwire demo [options]   (npm start)

Starts the agents server (travel_agent, research_agent) on 127.0.0.1 and an interactive
host connected to it, in this terminal. Nothing to install or configure, no network.

Options:
  --state DIR     keep the server's state in DIR/demo-server and the host's tokens in
                  DIR/tokens (default $XDG_STATE_HOME/mcpwire, else ~/.local/state/mcpwire)
  --port N        the server's port (default 0: any free one)
  --step-ms N     pause between agent steps (default: the server's)
  --corpus DIR    research the .md/.markdown/.txt files in DIR (default: the bundled documents)
  -y, --yes       approve model requests and accept forms without asking
  --input script|live  how piped lines are read (see mcpwire host --help; default script)
  --era ERA       the protocol era the host speaks: legacy-first (default: 2025-11-25
                  sessions, so calls resume after a restart), modern (2026-07-28: stateless,
                  input rounds; a call does not outlive the demo), legacy or auto
  --no-color      plain output
  -h, --help      show this help

Run the halves on their own with \`npm run agents\` and \`npm run host -- --url URL\`.
`;

/** The mcpwire launcher beside this package (from bin/ or dist/bin/). */
function launcher(): string {
  for (const rel of ['../../bin/mcpwire.js', '../bin/mcpwire.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find bin/mcpwire.js');
}

interface Started {
  child: ChildProcess;
  url: string;
  agents: boolean;
  /** What the server said while starting, besides ready and listening (an empty corpus). */
  notes: string[];
}

/** The server's startup lines worth showing in the banner: warnings, not its progress. */
function startupNotes(text: string): string[] {
  return text.split('\n').map((l) => /^mcpwire serve: (.*)$/.exec(l.trim())?.[1])
    .filter((l): l is string => l !== undefined && !/^(agents ready|listening on)\b/.test(l));
}

/** Start `serve --http` (with the agents, falling back to the demo tools) and wait for its URL. */
async function startServer(args: string[], log: NodeJS.WritableStream, agents: boolean): Promise<Started> {
  const child = spawn(process.execPath, [launcher(), 'serve', '--http', '--exit-with-stdin', ...(agents ? ['--agents'] : []), ...args], {
    // Its stdin is a lifeline: this process holds it open, and when this process dies (even by
    // kill -9) it closes and the server stops.
    stdio: ['pipe', 'ignore', 'pipe'],
    // Its own process group: Ctrl+C in the terminal is the host's to handle, not the server's.
    detached: true,
  });
  child.stdin!.on('error', () => undefined); // the server may end first; nothing is written
  let text = '';
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 20 s: ${text.trim().split('\n').pop() ?? ''}`));
    }, 20_000);
    let started = false;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log.write(chunk);
      // Only the tail is kept, for the last line an early exit reports: the server logs here for
      // as long as the demo runs.
      text = (text + chunk).slice(-4_096);
      if (started) return;
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve({ child, url: m[1]!, agents, notes: startupNotes(text.slice(0, m.index)) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the server exited with code ${code}: ${text.trim().split('\n').pop() ?? ''}`), { exitCode: code }));
    });
  });
}

/** Stop the server: SIGTERM, then SIGKILL after 5 s. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Restarts in a row (each within a minute of the last) before the demo stops trying. */
const MAX_RESTARTS = 5;

/**
 * Keep the demo's server running: one that exits while the host runs (kill -9, a crash) is
 * started again on the same port and state, so the host's streams resume where they were
 * (2025-11-25 basic/transports: resumability) and calls in flight are re-run by the server.
 */
function keepServer(first: Started, start: () => Promise<Started>, lock: DemoLock): { tell(print: (text: string) => void, running: () => number): void; restarting(): Promise<void> | undefined; stop(): ChildProcess } {
  let current = first.child;
  /** Settles once a restart under way has been told (ran again, or could not); the host's "reachable again" waits for it. */
  let restarting: Promise<void> | undefined;  let stopping = false;
  // Until the host's terminal takes these lines (tell), in the symbols the locale can show.
  let say: (text: string) => void = (text) => process.stderr.write(`${forLocale(text)}\n`);
  /** How many of the host's calls run now (its terminal hands it over with print). */
  let running = () => 0;
  let restarts = 0;
  let lastRestart = 0;
  const watch = (child: ChildProcess) => child.once('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    if (Date.now() - lastRestart > 60_000) restarts = 0;
    if (++restarts > MAX_RESTARTS) {
      say(`⚠ the agents server stopped (${how}) ${MAX_RESTARTS} times in a row; not starting it again. Quit and run npm start again (calls resume).`);
      return;
    }
    lastRestart = Date.now();
    // Said before the start: said once it listened, it came after the host's own "reachable
    // again" under load, which then read as if the server had come back by itself.
    say(`⚠ the agents server stopped (${how}); starting it again on the same port`);
    const told = start().then(async (next) => {
      if (stopping) { next.child.kill('SIGTERM'); return; }
      current = next.child;
      watch(current);
      // Said as soon as it listens: the host's "reachable again" waits for this line (it came first).
      // Only when a call runs: it said so after a kill with none running, or after the last had ended.
      const resumes = running();
      say(`  the agents server runs again (pid ${current.pid})${resumes === 0 ? '' : `; ${resumes === 1 ? 'the call in flight resumes' : 'calls in flight resume'}`}`);
      await lock.setServer(current.pid);
    }, (error: Error) => {
      say(`✗ the agents server stopped (${how}) and could not be started again: ${error.message}. Quit and run npm start again (calls resume).`);
    }).catch(() => undefined).finally(() => { if (restarting === told) restarting = undefined; });
    restarting = told;
  });
  watch(current);
  return {
    tell(print, calls) {
      say = print;
      running = calls;
    },
    restarting: () => restarting,
    stop() { stopping = true; return current; },
  };
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    state: { type: 'string' },
    port: { type: 'string' },
    'step-ms': { type: 'string' },
    corpus: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    'no-color': { type: 'boolean' },
    input: { type: 'string' },
    era: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // `npm start travel_agent` (or a typo'd flag without its dashes) started the demo as if unsaid.
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals.join(' '))}: the demo takes options only; type commands at its prompt, or pipe them on stdin`);
  const port = parsePort(values.port, 0);
  let input: HostInput | undefined;
  let era: EraChoice | undefined;
  try {
    input = values.input === undefined ? undefined : parseHostInput(values.input);
    era = values.era === undefined ? undefined : parseEra(values.era);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['step-ms'] !== undefined && !/^\d+$/.test(values['step-ms'])) throw new UsageError('--step-ms must be a whole number of ms');
  if (values.corpus !== undefined && !existsSync(resolve(values.corpus))) throw new UsageError(`--corpus: no such folder: ${values.corpus}`);
  const stateDir = stateDirFrom(values.state);
  const serverState = join(stateDir, 'demo-server');
  // A --state that is a file was a bare ENOTDIR naming neither the flag nor the folder.
  await makeStateDir(stateDir, values.state !== undefined ? '--state' : 'the state directory');
  await makeDirs(serverState, 0o700);
  // One demo per state: a second server on the same sessions and bookings would corrupt them.
  const lock = await lockDemo(serverState);
  try {
    return await runDemo({ ...values, input, era }, stateDir, serverState, port, lock);
  } finally {
    await lock.release();
  }
}

async function runDemo(values: DemoValues, stateDir: string, serverState: string, port: number, lock: DemoLock): Promise<number> {
  const logPath = join(serverState, 'server.log');
  const log = createWriteStream(logPath, { flags: 'a' });
  const serverArgs = ['--port', String(port), '--state', serverState, ...(values['step-ms'] !== undefined ? ['--step-ms', values['step-ms']] : []),
    ...(values.corpus !== undefined ? ['--corpus', resolve(values.corpus)] : [])];
  let server: Started;
  try {
    server = await startServer(serverArgs, log, true);
  } catch (error) {
    // A build without the agents: serve the demo tools instead.
    if ((error as { exitCode?: number }).exitCode !== 2) throw error;
    if (values.corpus !== undefined) throw error; // the corpus needs the agents: say why they did not start
    server = await startServer(serverArgs.filter((a, i, all) => a !== '--step-ms' && all[i - 1] !== '--step-ms'), log, false);
  }
  await lock.setServer(server.child.pid);
  const port0 = Number(new URL(server.url).port);
  const restartArgs = [...serverArgs.filter((a, i, all) => a !== '--port' && all[i - 1] !== '--port'), '--port', String(port0)];
  const keeper = keepServer(server, () => startServer(server.agents ? restartArgs : restartArgs.filter((a, i, all) => a !== '--step-ms' && all[i - 1] !== '--step-ms'), log, server.agents), lock);
  const title = ' mcpwire demo: long-running agents as MCP tools ';
  // The box only where it fits: on a narrower terminal it broke into two ragged rows.
  const boxed = !process.stdout.isTTY || (process.stdout.columns ?? 80) >= title.length + 2;
  const banner = [
    ...(boxed ? [`┌${'─'.repeat(title.length)}┐`, `│${title}│`, `└${'─'.repeat(title.length)}┘`] : [title.trim()]),
    `${server.agents ? 'Agents server' : 'Demo server (echo, count, ask_user, summarize)'}: ${server.url} (pid ${server.child.pid}; log: ${logPath})`,
    // Your own corpus: its topics are yours, and what the server found wrong with it (no
    // readable file: research finds nothing) was only in the server's log.
    ...(values.corpus !== undefined ? [`Research corpus: ${resolve(values.corpus)}`] : []),
    ...server.notes.map((note) => `⚠ ${note}`),
    server.agents
      ? `Try: travel_agent destination=Lisbon travellers=2 · ${values.corpus !== undefined ? 'research_agent <a topic of your files>' : 'research_agent urban heat · plan a trip to Tokyo and research heat pumps'}`
      : 'Try: count steps=20 delayMs=300 · ask_user question="Ready?" · summarize text="..."',
    // 2026-07-28 has no sessions or resumable streams: a call does not outlive the demo.
    values.era === 'modern'
      ? 'Protocol 2026-07-28 (--era modern): while a call runs, Ctrl+C asks: detach (it goes on while the demo runs) or cancel. Quitting ends what runs.'
      : 'While a call runs, Ctrl+C asks: detach (it goes on) or cancel. Quit and start again: it resumes.',
  ];
  let code: number;
  try {
    code = await runHost({
      specs: [{ name: 'agents', kind: 'http', url: server.url, headers: {}, key: 'demo agents' }],
      stateDir, json: false, yes: values.yes === true, logLevel: 'info', callTimeoutMs: 600_000,
      verbose: false, color: values['no-color'] !== true, banner, serverStopsWithHost: true,
      onTerminal: (print, running) => keeper.tell(print, running), serverRestarting: () => keeper.restarting(),
      ...(values.input !== undefined ? { input: values.input } : {}),
      ...(values.era !== undefined ? { era: values.era } : {}),
    });
  } finally {
    await stopServer(keeper.stop());
    log.end();
  }
  return code;
}
