/**
 * `mcpwire trace -- <server command...>`: sit between a client and a stdio server, pass
 * every byte unchanged, and explain each message (to stderr: stdout is the protocol's).
 */
import { createWriteStream } from 'node:fs';
import { createJsonlSink, formatRecord, TraceCorrelator, traceStdio, type TraceRecord } from 'mcpwire/conformance';
import { parseCommandArgs, UsageError } from './args.ts';

const HELP = `Usage: mcpwire trace [options] -- <server command> [args...]

Start the server under the tracer: the client launches \`mcpwire trace -- real-server ...\`
in place of \`real-server ...\`. Every byte passes unchanged both ways; each message is
explained (what it is, what it answers, which call it belongs to, the spec section) and
checked against the spec's schema, with rule breaks flagged inline.

Options:
  --jsonl FILE          also write one JSON record per message to FILE
  --log FILE            write the live view to FILE instead of stderr
  --quiet               no live view (with --jsonl)
  --no-color            no ANSI colours (the default when the view is not a terminal)
  --max-line-bytes N    largest line shown in full (larger ones pass, reported by size); default 4194304
  -h, --help            this help
`;

export async function traceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    jsonl: { type: 'string' }, log: { type: 'string' }, quiet: { type: 'boolean' }, 'no-color': { type: 'boolean' },
    'max-line-bytes': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...args] = positionals;
  if (command === undefined) throw new UsageError('name the server to trace after --, e.g. mcpwire trace -- node server.js');
  const maxLineBytes = values['max-line-bytes'] === undefined ? undefined : Number(values['max-line-bytes']);
  if (maxLineBytes !== undefined && (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1)) {
    throw new UsageError(`--max-line-bytes must be a positive integer, got "${values['max-line-bytes']}"`);
  }
  const view = values.quiet ? undefined : values.log ? createWriteStream(values.log, { mode: 0o600 }) : process.stderr;
  const color = !values['no-color'] && view === process.stderr && process.stderr.isTTY === true;
  const jsonl = values.jsonl ? createJsonlSink(values.jsonl) : undefined;
  const sink = (record: TraceRecord) => {
    jsonl?.sink(record);
    view?.write(formatRecord(record, { color }));
  };
  const correlator = new TraceCorrelator(sink, { onWarning: (text) => view?.write(`trace: ${text}\n`) });
  try {
    return await traceStdio({ command, args, correlator, ...(maxLineBytes !== undefined ? { maxLineBytes } : {}) });
  } finally {
    jsonl?.close();
    if (view && view !== process.stderr) await new Promise<void>((resolve) => (view as NodeJS.WritableStream).end(resolve));
  }
}
