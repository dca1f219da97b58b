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
  env?: NodeJS.ProcessEnv;
}

/** Run the server under the tracer; resolves with its exit code (128 + signal number when killed). */
export function traceStdio(options: StdioTraceOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const max = options.maxLineBytes ?? 4 * 1024 * 1024;
  const { correlator } = options;
  const child = spawn(options.command, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
  const oversize = (direction: 'client-to-server' | 'server-to-client') => (bytes: number) =>
    correlator.observeOversize(bytes, direction, { transport: 'stdio' });
  const fromClient = new LineSplitter(max, (line) => correlator.observeText(line, 'client-to-server', { transport: 'stdio' }), oversize('client-to-server'));
  const fromServer = new LineSplitter(max, (line) => correlator.observeText(line, 'server-to-client', { transport: 'stdio' }), oversize('server-to-client'));

  // The copy first: pipes are attached before the observers, and observing (parsing,
  // schema checks) runs after the bytes are handed on, in a later turn of the loop.
  input.pipe(child.stdin);
  child.stdin.on('error', () => { /* the server went away; its exit is reported below */ });
  child.stdout.pipe(output, { end: false });
  input.on('data', (chunk: Buffer) => setImmediate(() => fromClient.push(chunk)));
  input.on('end', () => setImmediate(() => fromClient.flush()));
  child.stdout.on('data', (chunk: Buffer) => setImmediate(() => fromServer.push(chunk)));
  child.stdout.on('end', () => setImmediate(() => fromServer.flush()));
  child.stderr.pipe(options.serverStderr ?? process.stderr, { end: false });

  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
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
      resolve(code ?? 128 + signalNumber(signal));
    });
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15;
}
