/**
 * `mcpwire trace -- <server command...>`: sit between a client and a stdio server, pass
 * every byte unchanged, and explain each message (to stderr: stdout is the protocol's).
 */
import { closeSync, createWriteStream, openSync, writeFileSync } from 'node:fs';
import { createJsonlSink, formatRecord, renderTraceHtml, TraceCorrelator, traceHttp, traceStdio, type TraceRecord } from 'mcpwire/conformance';
import { parseCommandArgs, parsePort, UsageError } from './args.ts';

const HELP = `Usage: mcpwire trace [options] -- <server command> [args...]
       mcpwire trace [options] --target URL [--listen HOST:PORT]

stdio: the client launches \`mcpwire trace -- real-server ...\` in place of
\`real-server ...\`; the live view goes to stderr (stdout carries the protocol).
HTTP: point the client at the printed URL; every POST, GET and DELETE goes on to the
target and every response (SSE streamed as it comes) comes back; the live view goes to
stdout. Stop with Ctrl+C.

Every byte of the messages passes unchanged both ways; each message is explained (what it
is, what it answers, which call it belongs to, the spec section) and checked against the
spec's schema, with rule breaks flagged inline.

Options:
  --target URL          HTTP mode: the MCP endpoint to pass requests to
  --listen HOST:PORT    HTTP mode: where the tracer listens (default 127.0.0.1:0, a free port)
  --jsonl FILE          also write one JSON record per message to FILE
  --html FILE           when the trace ends, write a self-contained sequence diagram to FILE
  --log FILE            write the live view to FILE instead of stderr
  --quiet               no live view (with --jsonl)
  --no-color            no ANSI colours (also NO_COLOR; the default when the view is not a terminal)
  --max-line-bytes N    largest line (stdio) or body (HTTP) shown in full; larger ones pass, reported by size; default 4194304
  --max-queued-bytes N  bytes passed on but not yet analysed, at most; past it messages pass
                        unanalysed and the trace says "analysis skipped N messages"; default 16777216
  -h, --help            this help
`;

/**
 * Colours in the live view: only on a terminal, and never with `--no-color` or a non-empty
 * `NO_COLOR` (no-color.org), which the other commands honour and trace did not.
 */
export function viewInColor(noColorFlag: boolean, env: NodeJS.ProcessEnv, onTerminal: boolean): boolean {
  return !noColorFlag && !env.NO_COLOR && onTerminal;
}

export async function traceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    target: { type: 'string' }, listen: { type: 'string' }, jsonl: { type: 'string' }, html: { type: 'string' }, log: { type: 'string' }, quiet: { type: 'boolean' }, 'no-color': { type: 'boolean' },
    'max-line-bytes': { type: 'string' }, 'max-queued-bytes': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...args] = positionals;
  const http = values.target !== undefined;
  if (http && command !== undefined) throw new UsageError('give either --target URL (HTTP) or a server command after -- (stdio), not both');
  if (!http && values.listen !== undefined) throw new UsageError('--listen needs --target URL');
  if (!http && command === undefined) throw new UsageError('name the server to trace after --, e.g. mcpwire trace -- node server.js, or give --target URL');
  const maxLineBytes = positiveInt(values['max-line-bytes'], '--max-line-bytes');
  const maxQueuedBytes = positiveInt(values['max-queued-bytes'], '--max-queued-bytes');
  const bounds = { ...(maxLineBytes !== undefined ? { maxLineBytes } : {}), ...(maxQueuedBytes !== undefined ? { maxQueuedBytes } : {}) };
  // Each output file is opened once now: a bad path is a usage error before the trace starts,
  // not an error after it (the --html diagram was lost at the end of a long trace).
  for (const flag of ['jsonl', 'log', 'html'] as const) {
    const path = values[flag];
    if (path !== undefined) checkWritable(`--${flag}`, path);
  }
  const terminal = http ? process.stdout : process.stderr;
  const view = values.quiet ? undefined : values.log ? createWriteStream(values.log, { mode: 0o600 }) : terminal;
  const color = viewInColor(values['no-color'] === true, process.env, view === terminal && terminal.isTTY === true);
  const jsonl = values.jsonl ? createJsonlSink(values.jsonl) : undefined;
  const kept: TraceRecord[] | undefined = values.html ? [] : undefined;
  const sink = (record: TraceRecord) => {
    kept?.push(record);
    jsonl?.sink(record);
    view?.write(formatRecord(record, { color }));
  };
  const correlator = new TraceCorrelator(sink, { onWarning: (text) => view?.write(`trace: ${text}\n`) });
  try {
    if (!http) return await traceStdio({ command: command!, args, correlator, ...bounds });
    return await serveHttpTrace(values.target!, values.listen, correlator, bounds);
  } finally {
    jsonl?.close();
    if (kept && values.html) writeFileSync(values.html, renderTraceHtml(kept, { title: `MCP trace: ${http ? values.target : [command, ...args].join(' ')}` }), { mode: 0o600 });
    if (view && view !== terminal) await new Promise<void>((resolve) => (view as NodeJS.WritableStream).end(resolve));
  }
}

/** Create (or empty) FILE for writing, or fail with a usage error naming the flag and the path. */
function checkWritable(flag: string, path: string): void {
  try {
    closeSync(openSync(path, 'w', 0o600));
  } catch (error) {
    throw new UsageError(`${flag} ${path} cannot be written: ${(error as Error).message}`);
  }
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

interface Bounds {
  readonly maxLineBytes?: number;
  readonly maxQueuedBytes?: number;
}

async function serveHttpTrace(target: string, listen: string | undefined, correlator: TraceCorrelator, bounds: Bounds): Promise<number> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target must be an http(s) URL, got "${target}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be an http(s) URL, got "${target}"`);
  const at = listen?.lastIndexOf(':') ?? -1;
  const host = listen === undefined ? '127.0.0.1' : at > 0 ? listen.slice(0, at).replace(/^\[|\]$/g, '') : listen;
  const port = listen === undefined || at <= 0 ? 0 : parsePort(listen.slice(at + 1), 0);
  const trace = await traceHttp({
    host, port, target: url.href, correlator,
    ...(bounds.maxLineBytes !== undefined ? { maxBodyBytes: bounds.maxLineBytes } : {}),
    ...(bounds.maxQueuedBytes !== undefined ? { maxQueuedBytes: bounds.maxQueuedBytes } : {}),
  });
  // Heard before the listening line, as in serve: a signal sent on reading it must not kill us outright.
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write(`trace: listening on ${trace.url}, passing to ${url.href}\n`);
  await stop;
  await trace.close();
  return 0;
}
