// `mcpwire trace -- <server>` shows how a stdio session ends (2025-11-25 basic/lifecycle,
// shutdown): the client closing the server's stdin, a signal passed on, the server's exit,
// each in order after the messages before it. Over HTTP the DELETE showed the end; over stdio
// nothing did.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, createStdioClientTransport } from 'mcpwire/client';
import type { TraceRecord } from 'mcpwire/conformance';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
let dir: string;

const ends = suite('mcpwire trace over stdio: the end of the session is shown');
ends.before(async () => { dir = await mkdtemp(join(tmpdir(), 'mcpwire-trace-end-')); });
ends.after(async () => { await rm(dir, { recursive: true, force: true }); });

async function readJsonl(path: string): Promise<TraceRecord[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceRecord);
}
const shape = (records: TraceRecord[]) => records.map((r) => `${r.direction === 'client-to-server' ? '>' : '<'} ${r.kind} ${r.method ?? r.answers ?? ''}`.trimEnd());

ends('the client closes: its stdin close, then the server exit with its code, after every message', async () => {
  const jsonl = join(dir, 'close.jsonl');
  const client = createClient({ name: 'trace-end', version: '1' });
  await client.connect(createStdioClientTransport({
    command: process.execPath, args: [bin, 'trace', '--quiet', '--jsonl', jsonl, '--', process.execPath, bin, 'serve', '--stdio'],
  }));
  await client.ping();
  await client.close();
  const records = await readJsonl(jsonl);
  assert.equal(shape(records), [
    '> request initialize', '< response initialize', '> notification notifications/initialized', '> request ping', '< response ping',
    '> stdio', '< stdio',
  ]);
  const [closed, exited] = records.slice(-2) as [TraceRecord, TraceRecord];
  assert.match(closed.explain, /the client closed the server's stdin: it ends the session/);
  assert.match(exited.explain, /the server exited with code 0 after the client closed its stdin: the session is over/);
  assert.is(exited.spec, '2025-11-25 basic/lifecycle');
  assert.is(exited.transport, 'stdio');
});

/** Run the tracer over `server` (node -e code); `drive` gets the tracer process. */
async function traceOf(server: string, name: string, drive: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; records: TraceRecord[]; view: string }> {
  const jsonl = join(dir, `${name}.jsonl`);
  const child = spawn(process.execPath, [bin, 'trace', '--no-color', '--jsonl', jsonl, '--', process.execPath, '-e', server], { stdio: ['pipe', 'pipe', 'pipe'] });
  let view = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { view += d; });
  child.stdout.resume();
  drive(child);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, records: await readJsonl(jsonl), view };
}

ends('the server exits on its own: its exit code, and that the client had not closed', async () => {
  const r = await traceOf(`process.stdout.write('{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"bye"}}\\n', () => process.exit(4))`, 'own', () => { /* stdin stays open */ });
  assert.is(r.code, 4);
  assert.equal(shape(r.records), ['< notification notifications/message', '< stdio']);
  assert.match(r.records[1]!.explain, /the server exited with code 4 while the client still had its stdin open: the session is over/);
  assert.match(r.view, /C ← S stdio\n +the server exited with code 4/, 'the live view shows it');
});

ends('a SIGTERM to the tracer is shown as passed on, and the server as ended by it', async () => {
  const r = await traceOf(`process.stdout.write('ready\\n'); setInterval(() => {}, 1000)`, 'term', (child) => {
    child.stdout!.once('data', () => child.kill('SIGTERM'));
  });
  assert.is(r.code, 143);
  assert.equal(shape(r.records), ['< invalid', '> stdio', '< stdio']);
  assert.match(r.records[1]!.explain, /the tracer received SIGTERM and passed it to the server/);
  assert.match(r.records[2]!.explain, /the server was ended by SIGTERM while the client still had its stdin open/);
});

ends.run();

const shapes = suite('mcpwire trace over stdio: what a message is');

shapes('`{}` is shown as an invalid message, not as "a response with no id"', async () => {
  const dir2 = await mkdtemp(join(tmpdir(), 'mcpwire-trace-shape-'));
  try {
    const jsonl = join(dir2, 'shape.jsonl');
    const child = spawn(process.execPath, [bin, 'trace', '--quiet', '--jsonl', jsonl, '--', process.execPath, bin, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.resume();
    child.stdin.end('{}\n');
    await new Promise((resolve) => child.once('close', resolve));
    const records = await readJsonl(jsonl);
    const first = records[0]!;
    assert.is(first.kind, 'invalid', JSON.stringify(first));
    assert.match(first.explain, /neither a request, a notification nor a response/);
    assert.ok(first.findings.length > 0, 'the schema finding stays');
    assert.is(records.find((r) => r.direction === 'server-to-client' && r.kind === 'error')?.explain.includes('no request id'), true);
  } finally {
    await rm(dir2, { recursive: true, force: true });
  }
});

shapes.run();
