/**
 * `mcpwire trace -- <server command...>`: the client starts the tracer in place of its
 * server; the tracer starts the real server and copies bytes both ways unchanged (pipes,
 * with their backpressure), observing a copy of each line. Its own output never goes to
 * stdout, which belongs to the protocol.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from './lines.ts';
import type { TraceCorrelator } from './correlate.ts';
import { DeferredAnalysis } from './deferred.ts';
import { DeferredStream, type Framing } from './deferred-stream.ts';
import type { TraceDirection } from './record.ts';

export interface StdioTraceOptions {
  command: string;
  args: readonly string[];
  correlator: TraceCorrelator;
  /** The client's side. Default: this process's stdin / stdout. */
  input?: Readable;
  output?: Writable;
  /** Where the server's stderr goes. Default: this process's stderr. */
  serverStderr?: Writable;
  /** Largest line observed in full (larger ones pass unchanged, reported by size). Default 4 MiB. */
  maxLineBytes?: number;
  /** Bytes waiting for analysis at most; past it, lines pass unanalysed and are counted. Default 16 MiB. */
  maxQueuedBytes?: number;
  env?: NodeJS.ProcessEnv;
}

/** Run the server under the tracer; resolves with its exit code (128 + signal number when killed). */
export function traceStdio(options: StdioTraceOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const max = options.maxLineBytes ?? 4 * 1024 * 1024;
  const { correlator } = options;
  const child = spawn(options.command, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
  const queue = new DeferredAnalysis({
    ...(options.maxQueuedBytes !== undefined ? { maxQueuedBytes: options.maxQueuedBytes } : {}),
    onSkipped: (count, direction) => correlator.observeSkipped(count, direction, { transport: 'stdio' }),
  });
  const fromClient = new DeferredStream(queue, 'client-to-server', lineFraming(max, correlator, 'client-to-server'));
  const fromServer = new DeferredStream(queue, 'server-to-client', lineFraming(max, correlator, 'server-to-client'));

  // The copy first: pipes are attached before the observers, so each chunk is handed on
  // before its analysis (framing, parsing, schema checks) is queued for a later turn.
  input.pipe(child.stdin);
  child.stdin.on('error', () => { /* the server went away; its exit is reported below */ });
  child.stdout.pipe(output, { end: false });
  input.on('data', (chunk: Buffer) => fromClient.write(chunk));
  let clientClosed = false;
  /** A stdio event, queued behind the messages before it (or counted as skipped when the queue is full). */
  const event = (direction: TraceDirection, explain: string) => {
    if (!queue.enqueue(0, () => correlator.observeStdio(direction, explain))) queue.skip(1, direction);
  };
  input.on('end', () => {
    clientClosed = true;
    fromClient.end();
    // 2025-11-25 basic/lifecycle (shutdown, stdio): the client closes the server's input first.
    event('client-to-server', "the client closed the server's stdin: it ends the session (stdio shutdown: close stdin, wait for the exit, then SIGTERM, then SIGKILL)");
  });
  child.stdout.on('data', (chunk: Buffer) => fromServer.write(chunk));
  child.stdout.on('end', () => fromServer.end());
  child.stderr.pipe(options.serverStderr ?? process.stderr, { end: false });

  const forward = (signal: NodeJS.Signals) => () => {
    event('client-to-server', `the tracer received ${signal} and passed it to the server${signal === 'SIGTERM' ? ' (stdio shutdown: what a client sends when the server does not exit once its stdin is closed)' : ''}`);
    child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`could not start the server "${options.command}": ${error.message}`)));
    child.once('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      input.unpipe(child.stdin);
      queue.drain();
      // Last, after every message: how the session ended on the server's side.
      correlator.observeStdio('server-to-client', serverEnd(code, signal, clientClosed));
      resolve(code ?? 128 + signalNumber(signal));
    });
  });
}

/** stdio framing (2025-11-25 basic/transports: one message per line), analysed by the correlator. */
function lineFraming(max: number, correlator: TraceCorrelator, direction: TraceDirection): Framing {
  const ctx = { transport: 'stdio' as const };
  const lines = new LineSplitter(max, (line) => correlator.observeText(line, direction, ctx), (bytes) => correlator.observeOversize(bytes, direction, ctx));
  return {
    countEnds: (chunk) => countByte(chunk, 10),
    endsAtBoundary: (chunk) => chunk.length === 0 || chunk[chunk.length - 1] === 10,
    analyse: (chunk, resync) => {
      if (resync) lines.resync(resync.midFrame);
      lines.push(chunk);
    },
    end: () => lines.flush(),
  };
}

function countByte(chunk: Buffer, byte: number): number {
  let count = 0;
  for (let at = chunk.indexOf(byte); at !== -1; at = chunk.indexOf(byte, at + 1)) count++;
  return count;
}

/**
 * How the server ended, said against the stdio shutdown of 2025-11-25 basic/lifecycle: after
 * the client closed its stdin (the normal end), or on its own (a server MAY end the session by
 * closing its stdout and exiting; an exit with an error code is a crash).
 */
function serverEnd(code: number | null, signal: NodeJS.Signals | null, clientClosed: boolean): string {
  const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
  if (clientClosed) return `the server ${how} after the client closed its stdin: the session is over`;
  return `the server ${how} while the client still had its stdin open: the session is over${code === 0 && !signal ? ' (a server may end it so)' : ''}`;
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15;
}
