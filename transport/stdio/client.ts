/**
 * The client side of the stdio transport (basic/transports, stdio): the client launches the
 * server as a subprocess, writes messages to its stdin and reads them from its stdout, one
 * JSON text per line. Shutdown follows the spec's order: close the child's stdin, wait for
 * it to exit, then SIGTERM, then SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  LocalErrorCode, McpError, parseJson,
  type JsonRpcMessage, type MessageExtra, type SendOptions, type TransportHandlers,
} from '../../protocol/index.ts';
import type { DisposableTransport } from '../disposable.ts';
import { DEFAULT_CLIENT_MAX_MESSAGE_BYTES, positiveIntegerOption } from '../../protocol/limits.ts';
import { checkMaxJsonDepth, OversizePayload, UnparsablePayload } from '../../protocol/jsonrpc.ts';
import type { OversizeLine } from './client-oversize.ts';
import { createHeldEvents } from './held-events.ts';
import { createLineDecoder, encodeLine } from './framing.ts';
import { createLineWriter, DEFAULT_STDIO_MAX_BUFFERED_BYTES, WRITTEN, type LineWriter } from './write.ts';
import { asError } from '../../protocol/errors.ts';
import { childEnvironment } from './child-env.ts';
import type { StrayLineSink } from './stray-line.ts';
import { loadOnce } from '../../protocol/load-once.ts';

/** Default of `maxStrayLineReports`: stray lines reported one by one before the reports thin out. */
export const DEFAULT_MAX_STRAY_LINE_REPORTS = 10;

/** The stray-line reports, loaded on the first line that is not JSON (issue #20 item 3: a server that speaks MCP never writes one). */
const strayLines = loadOnce(() => import('./stray-line.ts'));

/** The routing of a line over `maxLineBytes`, loaded on the first such line (issue #20: a server that keeps to the bound never writes one). */
const oversizeLines = loadOnce(() => import('./client-oversize.ts'));

/** Options of {@link createStdioClientTransport}. */
export interface StdioClientTransportOptions {
  /** The server executable; run directly, never through a shell. */
  command: string;
  /** Its arguments, each passed as it is (no shell: no quoting, globbing or variables). Default none. */
  args?: readonly string[];
  /**
   * Variables for the server, set over the safe inherited ones (PATH, HOME, LANG, ...: see
   * `SAFE_ENV_VARIABLES`); a variable set to `undefined` is removed.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Pass the host's whole `process.env` to the server instead of the safe variables. Default false. */
  inheritEnv?: boolean;
  /** Working directory of the server process. Default: this process's. */
  cwd?: string;
  /** What becomes of the server's stderr: shown (default), dropped, or handed over as text. */
  stderr?: 'inherit' | 'ignore' | ((chunk: string) => void);
  /** Longest inbound line in bytes; a longer one is dropped and reported via `onError`. Default 16 MiB (`DEFAULT_CLIENT_MAX_MESSAGE_BYTES`). */
  maxLineBytes?: number;
  /** Deepest nesting of objects and arrays in an inbound request or notification; a deeper one is refused (-32600). Default 512. */
  maxJsonDepth?: number;
  /** How long `close()` waits after closing stdin, and again after SIGTERM. Default 2 000 ms. */
  closeGraceMs?: number;
  /**
   * Start the server in a process group of its own (POSIX; ignored on Windows), so a Ctrl+C
   * typed at an interactive host reaches the host, which decides, and not the server too.
   * The server still ends with the host: its stdin closes when the host exits. Default false.
   */
  ownProcessGroup?: boolean;
  /**
   * Bytes of our messages waiting unread on the server's stdin before reading its stdout
   * pauses; it resumes once stdin drains. A server that floods requests but never reads the
   * answers holds the client at about this much instead of growing it without bound. Default 8 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Lines on the server's stdout that are not JSON are never answered; each is reported
   * through `onError`, the first this many one by one, then only the 100th, 1000th, ...
   * Default 10 (`DEFAULT_MAX_STRAY_LINE_REPORTS`).
   */
  maxStrayLineReports?: number;
  /** Called with each line on the server's stdout that is not JSON, whole, before it is reported (a checker counts them). */
  onStrayLine?: (line: string) => void;
}

/** A stdio client transport; `pid` is the server process id once started. */
export interface StdioClientTransport extends DisposableTransport {
  /** The server process's id once it started; undefined before `start()` and after it could not start. */
  readonly pid: number | undefined;
}

/** What the client tells of every message: stdio is one channel (protocol/transport.ts, `oneChannel`). */
const ONE_CHANNEL: MessageExtra = Object.freeze({ oneChannel: true });

/** How long to wait for the child's stdio to close after it exited before giving up on it. */
const STDIO_SETTLE_MS = 500;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

/**
 * Create the client side of a stdio transport. `start()` spawns the server and resolves once
 * it is running (it rejects when the command cannot be started). The server exiting closes
 * the transport; unless `close()` asked for it, `onClose` gets an error describing the exit.
 */
export function createStdioClientTransport(options: StdioClientTransportOptions): StdioClientTransport {
  // Refused here rather than at start() (Node's "The argument 'file' cannot be empty" names no
  // option); `options?.`: no options at all was "Cannot read properties of undefined (reading 'command')".
  if (typeof options?.command !== 'string' || options.command.trim() === '') throw new TypeError(`command must name the server executable, got ${JSON.stringify(options?.command)}`);
  const maxLineBytes = positiveIntegerOption('maxLineBytes', options.maxLineBytes, DEFAULT_CLIENT_MAX_MESSAGE_BYTES);
  const maxJsonDepth = checkMaxJsonDepth(options.maxJsonDepth);
  const closeGraceMs = positiveIntegerOption('closeGraceMs', options.closeGraceMs, 2_000, 0);
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_STDIO_MAX_BUFFERED_BYTES;
  if (!(maxBufferedBytes >= 0)) throw new RangeError(`maxBufferedBytes must be a non-negative number, got ${maxBufferedBytes}`);
  const maxStrayLineReports = options.maxStrayLineReports ?? DEFAULT_MAX_STRAY_LINE_REPORTS;
  if (!(maxStrayLineReports >= 0)) throw new RangeError(`maxStrayLineReports must be a non-negative number, got ${maxStrayLineReports}`);
  const stderrOption = options.stderr ?? 'inherit';
  let child: ChildProcess | undefined;
  let handlers: TransportHandlers | undefined;
  let write: LineWriter | undefined;
  let started = false;
  /** Set once: no more sends. */
  let closed = false;
  /** `close()` was called, so the exit is expected. */
  let closeRequested = false;
  let exited = false;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let finished = false;
  let markFinished!: () => void;
  const whenFinished = new Promise<void>((resolve) => (markFinished = resolve));
  let markExited!: () => void;
  const whenExited = new Promise<void>((resolve) => (markExited = resolve));
  const closeSignal = new AbortController();

  function finish(error?: Error): void {
    if (finished) return;
    finished = true;
    closed = true;
    closeSignal.abort(new McpError(LocalErrorCode.Closed, 'stdio transport closed'));
    markFinished();
    handlers?.onClose(error);
  }

  /**
   * A write that failed (the server's stdin closed, the transport closed meanwhile): when the
   * server exits within {@link STDIO_SETTLE_MS}, unasked, the error names that exit, as the
   * transport's close does; else it is passed on as it is.
   */
  function failedWrite(error: unknown): Promise<never> {
    return waitExit(STDIO_SETTLE_MS).then((didExit) => {
      if (!didExit || closeRequested) throw error;
      throw new McpError(LocalErrorCode.Closed, `the message could not be written: server process "${options.command}" ${describeExit(exitCode, exitSignal)}`, { cause: error });
    });
  }

  function waitExit(ms: number): Promise<boolean> {
    if (exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void whenExited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  const transport: StdioClientTransport = {
    [Symbol.asyncDispose]: () => transport.close(),
    get pid() {
      return child?.pid;
    },

    async start(h) {
      if (started) throw new McpError(LocalErrorCode.State, 'stdio transport already started');
      if (closed) throw new McpError(LocalErrorCode.Closed, 'stdio transport is closed');
      started = true;
      const proc = spawn(options.command, options.args ?? [], {
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        env: childEnvironment(options),
        stdio: ['pipe', 'pipe', typeof stderrOption === 'function' ? 'pipe' : stderrOption],
        shell: false,
        windowsHide: true,
        ...(options.ownProcessGroup === true && process.platform !== 'win32' ? { detached: true } : {}),
      });
      child = proc;

      await new Promise<void>((resolve, reject) => {
        const onSpawn = (): void => {
          proc.off('error', onSpawnError);
          resolve();
        };
        const onSpawnError = (error: NodeJS.ErrnoException): void => {
          proc.off('spawn', onSpawn);
          closed = true;
          const hint = error.code === 'ENOENT' ? ' (command not found)' : error.code === 'EACCES' ? ' (permission denied)' : '';
          reject(new McpError(LocalErrorCode.NotConnected, `cannot start server process "${options.command}": ${error.message}${hint}`, { cause: error }));
        };
        proc.once('spawn', onSpawn);
        proc.once('error', onSpawnError);
      });

      handlers = h;
      const stdin = proc.stdin!;
      const stdout = proc.stdout!;
      write = createLineWriter(stdin, closeSignal.signal);
      /** The line over the limit being dropped, routed by its shape. */
      let oversize: OversizeLine | undefined;
      /** The server's stdout ended: a line the decoder still delivers had no newline. */
      let outputEnded = false;
      /** stdout is paused until stdin drains (the server is not reading what we send). */
      let inputBlocked = false;
      /** The decoder's events while the oversize routing loads; stdout is paused meanwhile (held-events.ts: the bound). */
      const held = createHeldEvents(stdout, () => !inputBlocked && !finished, (error) => h.onError(asError(error)));
      /** Run `event` now, or after the load under way. */
      const inOrder = (event: () => void): void => (held.holding ? held.add(event) : event());
      const strayLineSink: StrayLineSink = {
        command: options.command, maxJsonDepth, maxReports: maxStrayLineReports,
        onError: (error) => h.onError(error),
        onRequestFailed: (id, error, method) => h.onRequestFailed?.(id, error, method),
      };
      let strayLine: ((line: string) => void) | undefined;
      /** Stray lines and refused bytes in order of arrival, until their module has loaded. */
      let strayQueue: Array<(module: typeof import('./stray-line.ts')) => void> | undefined;
      const stray = (report: (module: typeof import('./stray-line.ts')) => void): void => {
        if (strayLines.loaded && !strayQueue) return report(strayLines.loaded);
        if (strayQueue) return void strayQueue.push(report);
        strayQueue = [report];
        strayLines.load().then((module) => {
          const queued = strayQueue ?? [];
          strayQueue = undefined;
          for (const each of queued) if (!finished) each(module);
        }, (error: unknown) => {
          strayQueue = undefined;
          h.onError(asError(error));
        });
      };
      const onLine = (line: string): void => {
        if (finished) return;
        try {
          const message = parseJson(line, maxJsonDepth);
          // A last line that does not parse was cut by the server's end (a crash mid-write):
          // reported as that, once, and not answered -32700 on a pipe nobody reads any more.
          if (outputEnded && message instanceof UnparsablePayload) {
            h.onError(new McpError(LocalErrorCode.Protocol, `the server's output ended inside a message (${Buffer.byteLength(line)} bytes dropped): ${message.detail}`));
            return;
          }
          if (message instanceof UnparsablePayload && !(message instanceof OversizePayload)) {
            options.onStrayLine?.(line);
            return stray((module) => (strayLine ??= module.createStrayLines(strayLineSink))(line));
          }
          h.onMessage(message, ONE_CHANNEL);
        } catch (error) {
          h.onError(asError(error));
        }
      };
      const decoder = createLineDecoder({
        maxLineBytes,
        // One check a line: only while the oversize routing loads are lines held.
        onLine: (line) => (held.holding ? held.add(() => onLine(line)) : onLine(line)),
        onNotUtf8: (error, lossy) => inOrder(() => {
          if (finished) return;
          // Cut inside a character by the server's end, as a cut line above.
          if (outputEnded) h.onError(new McpError(LocalErrorCode.Protocol, `the server's output ended inside a message (${error.byteLength} bytes dropped): ${error.message}`));
          else stray((module) => module.refuseNotUtf8(strayLineSink, error, lossy));
        }),
        // Routed by its shape (client-oversize.ts), loaded on the first such line.
        onOversize() {
          if (finished) return;
          const begin = (): void => void (oversize = oversizeLines.loaded?.createOversizeLine(h, maxLineBytes));
          if (!oversizeLines.loaded && !held.holding) held.until(oversizeLines.load());
          inOrder(begin);
        },
        onOversizeBytes: (bytes) => inOrder(() => oversize?.bytes(bytes)),
        onOversizeEnd: (bytesSeen) => inOrder(() => {
          const line = oversize;
          oversize = undefined;
          if (!finished) line?.end(bytesSeen);
        }),
      });
      const onDrain = (): void => {
        inputBlocked = false;
        if (!finished && !held.holding) stdout.resume();
      };
      stdout.on('data', (chunk: Buffer) => {
        decoder.push(chunk);
        // Flow control: answers to the server's requests pile up in stdin's buffer when the
        // server does not read them; read no more of its requests until it has. Past the
        // high-water mark a write has returned false, so 'drain' is due.
        if (!inputBlocked && stdin.writableLength > maxBufferedBytes && !finished) {
          inputBlocked = true;
          stdout.pause();
          stdin.once('drain', onDrain);
        }
      });
      stdout.on('end', () => {
        outputEnded = true;
        decoder.end();
      });
      stdout.on('error', (error) => h.onError(asError(error)));
      // EPIPE and the like when the server goes away: its exit is what closes the transport,
      // naming the cause, so the pipe's error is reported only when no exit follows soon
      // (a server that closed its stdin and runs on).
      stdin.on('error', (error) => {
        setTimeout(() => {
          if (!closeRequested && !exited) h.onError(asError(error));
        }, STDIO_SETTLE_MS).unref();
      });
      if (typeof stderrOption === 'function') {
        proc.stderr!.setEncoding('utf8');
        proc.stderr!.on('data', (chunk: string) => stderrOption(chunk));
      }
      proc.on('error', (error) => h.onError(asError(error)));

      let expected = false;
      const settle = (): void => {
        finish(expected ? undefined : new McpError(LocalErrorCode.Closed,
          `server process "${options.command}" ${describeExit(exitCode, exitSignal)}`));
      };
      proc.once('exit', (code, signal) => {
        expected = closeRequested;
        exited = true;
        exitCode = code;
        exitSignal = signal;
        closed = true;
        markExited();
        // 'close' follows once stdout is drained; a grandchild holding the pipes open must
        // not keep the transport open, so stop waiting for it after a while.
        setTimeout(() => {
          if (finished) return;
          stdout.destroy();
          proc.stderr?.destroy();
          settle();
        }, STDIO_SETTLE_MS).unref();
      });
      proc.once('close', settle);
    },

    // Not an async function: the writer's promise is returned as it is, one fewer per message.
    send(message: JsonRpcMessage | JsonRpcMessage[], _options?: SendOptions) {
      if (exited && !closeRequested) return failedWrite(new McpError(LocalErrorCode.Closed, 'stdio transport is closed'));
      if (closed || !write) {
        return Promise.reject(new McpError(closed ? LocalErrorCode.Closed : LocalErrorCode.NotConnected,
          closed ? 'stdio transport is closed' : 'stdio transport is not started'));
      }
      try {
        const written = write(encodeLine(message));
        // Accepted at once (the common case): passed on as it is, no promise more.
        return written === WRITTEN ? written : written.catch(failedWrite);
      } catch (error) {
        return Promise.reject(error); // a message that cannot be encoded: the server's state has nothing to do with it
      }
    },

    async close() {
      if (closeRequested || finished) return whenFinished;
      closeRequested = true;
      closed = true;
      const proc = child;
      if (!proc || !started || proc.pid === undefined) {
        finish();
        return;
      }
      closeSignal.abort(new McpError(LocalErrorCode.Closed, 'stdio transport closed'));
      proc.stdin?.end();
      if (!(await waitExit(closeGraceMs))) {
        proc.kill('SIGTERM');
        if (!(await waitExit(closeGraceMs))) proc.kill('SIGKILL');
      }
      await whenFinished;
    },
  };
  return transport;
}
