// `mcpwire trace -- <server>` (issue #21): the tracer passes every byte unchanged both ways,
// and its JSONL shows every message once, in order, each response paired with its request
// and each progress notification with its call. Real processes over pipes.
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

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-trace-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

async function readJsonl(path: string): Promise<TraceRecord[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceRecord);
}

const traced = suite('mcpwire trace over stdio: mcpwire client and server');

traced('a call with progress: every message once, in order, paired with its request and call', async () => {
  await inTempDir(async (dir) => {
    const jsonl = join(dir, 'trace.jsonl');
    const client = createClient({ name: 'trace-test', version: '1' });
    await client.connect(createStdioClientTransport({
      command: process.execPath, args: [bin, 'trace', '--quiet', '--jsonl', jsonl, '--', process.execPath, bin, 'serve', '--stdio'],
    }));
    const progress: number[] = [];
    const result = await client.callTool('count', { steps: 5 }, { onProgress: (p) => { progress.push(p.progress); } });
    await client.close();
    assert.equal(result.content, [{ type: 'text', text: 'counted to 5' }]);
    const records = await readJsonl(jsonl);
    const shape = records.map((r) => `${r.direction === 'client-to-server' ? '>' : '<'} ${r.kind} ${r.method ?? r.answers ?? ''}`);
    assert.equal(shape, [
      '> request initialize', '< response initialize', '> notification notifications/initialized', '> request tools/call',
      ...progress.map(() => '< notification notifications/progress'), '< response tools/call',
      '> stdio ', '< stdio ', // the client closed the server's stdin; the server exited
    ]);
    assert.equal(records.map((r) => r.seq), records.map((_, i) => i + 1), 'numbered in order');
    const call = records.find((r) => r.method === 'tools/call')!;
    for (const p of records.filter((r) => r.method === 'notifications/progress')) assert.equal(p.call, call.id, 'progress tied to its call');
    assert.is(records.at(-3)!.id, call.id);
    assert.ok(records.every((r) => r.version === '2025-11-25' && r.era === 'legacy' && r.findings.length === 0), 'version known, no findings');
    assert.match(call.explain, /calls a tool/);
    assert.is(call.spec, '2025-11-25 server/tools');
  });
});

traced.run();

const bytes = suite('mcpwire trace over stdio: the bytes pass unchanged');

// A stand-in server: records what it receives, writes back fixed bytes (odd whitespace, a
// line that is not JSON, a last line without a newline, multi-byte text), then exits.
const FAKE_SERVER = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  require('node:fs').writeFileSync(process.argv[1], Buffer.concat(chunks));
  process.stdout.write(Buffer.from(process.argv[2], 'base64'), () => process.exit(3));
});
`;

bytes('client-to-server and server-to-client bytes are identical with and without the tracer; the exit code passes through', async () => {
  await inTempDir(async (dir) => {
    const sent = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}\r\n  {"jsonrpc": "2.0", "method":"notifications/x", "params":{"t":"é✓"}}\nnot json\n{"jsonrpc":"2.0","id":2,"method":"ping"}', 'utf8');
    const reply = Buffer.from('{"jsonrpc":"2.0","id":1,"result":{}}\n\n{ "jsonrpc" : "2.0", "id" : 2, "result" : {"x":"ü"} }\ntrailing', 'utf8');
    const run = async (viaTrace: boolean) => {
      const received = join(dir, `received-${viaTrace}`);
      const server = [process.execPath, '-e', FAKE_SERVER, received, reply.toString('base64')];
      const argv = viaTrace ? [bin, 'trace', '--quiet', '--jsonl', join(dir, 'bytes.jsonl'), '--', ...server] : server.slice(1);
      const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stdin.end(sent);
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      return { code, out: Buffer.concat(out), received: await readFile(received) };
    };
    const direct = await run(false);
    const traced = await run(true);
    assert.ok(direct.received.equals(sent) && direct.out.equals(reply), 'the stand-in works without the tracer');
    assert.ok(traced.received.equals(direct.received), 'client-to-server bytes unchanged');
    assert.ok(traced.out.equals(direct.out), 'server-to-client bytes unchanged');
    assert.is(traced.code, 3, "the server's exit code");
    const records = await readJsonl(join(dir, 'bytes.jsonl'));
    assert.equal(records.map((r) => `${r.direction === 'client-to-server' ? '>' : '<'} ${r.kind}`), [
      '> request', '> notification', '> invalid', '> request', '> stdio', '< response', '< response', '< invalid', '< stdio',
    ]);
    assert.ok(records.find((r) => r.kind === 'invalid')!.findings.some((f) => f.definition === 'rule:json' && f.id === 'schema.message'));
    assert.ok(records.findLast((r) => r.kind === 'invalid')!.findings.some((f) => f.id === 'stdio.stdout-messages'), 'not JSON on the server\'s stdout');
  });
});

bytes.run();
