import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const main = join(import.meta.dirname, 'main.ts');

/** The counter's exit code and stderr for `args` (it stops at the first wrong option, before any run). */
function count(...args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stderr: run.stderr };
}

test('count stdio takes its own options (--sessions is http\'s; given no value it is not given)', () => {
  // Session 33's merge gave --sessions a parseArgs default, so every stdio command was refused with it.
  const { status, stderr } = count('stdio', '--side', 'client', '--impl', 'nosuch');
  assert.is(status, 2);
  assert.not.match(stderr, /--sessions is not an option/);
  assert.match(stderr, /nosuch/);
});

test('count http --side client checks its implementations and its modes', () => {
  const impl = count('http', '--side', 'client', '--impl', 'nosuch', '--sessions', '5');
  assert.is(impl.status, 2);
  assert.match(impl.stderr, /nosuch/);
  const mode = count('http', '--side', 'client', '--mode', 'raw');
  assert.is(mode.status, 2);
  assert.match(mode.stderr, /--mode of --side client takes sse or json \(raw is --impl raw\), got raw/);
});

test('count http (the server side) refuses --impl, and stdio refuses --sessions, naming the command', () => {
  const server = count('http', '--impl', 'mcpwire');
  assert.is(server.status, 2);
  assert.match(server.stderr, /--impl is not an option of http --side server/);
  const stdio = count('stdio', '--sessions', '2');
  assert.is(stdio.status, 2);
  assert.match(stdio.stderr, /--sessions is not an option of stdio/);
});

test('count http --workload takes the round-trip and notification shapes, SSE only, one session', () => {
  const unknown = count('http', '--workload', 'c');
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /--workload takes b, f-elicit, f-sample, d, m-f, got c/);
  const json = count('http', '--workload', 'f-elicit', '--mode', 'json');
  assert.is(json.status, 2);
  assert.match(json.stderr, /--workload f-elicit runs with 2025-11-25 SSE replies only \(sse or raw\), got --mode json/);
  const modern = count('http', '--workload', 'd', '--mode', 'modern-sse');
  assert.is(modern.status, 2);
  assert.match(modern.stderr, /--workload d runs with 2025-11-25 SSE replies only \(sse or raw\), got --mode modern-sse/);
  const client = count('http', '--side', 'client', '--workload', 'd', '--mode', 'json');
  assert.is(client.status, 2);
  assert.match(client.stderr, /--workload d runs with SSE replies only, got --mode json/);
  const sessions = count('http', '--workload', 'f-sample', '--sessions', '4');
  assert.is(sessions.status, 2);
  assert.match(sessions.stderr, /--sessions is not an option of --workload f-sample/);
  const stdio = count('stdio', '--workload', 'd');
  assert.is(stdio.status, 2);
  assert.match(stdio.stderr, /--workload is not an option of stdio/);
});

test('count http --workload m-f counts the 2026-07-28 round trip: modern modes on the server, JSON and own clients on the client', () => {
  const legacy = count('http', '--workload', 'm-f', '--mode', 'sse');
  assert.is(legacy.status, 2);
  assert.match(legacy.stderr, /--workload m-f runs with 2026-07-28 replies only \(modern-json or modern-sse\), got --mode sse/);
  const back = count('http', '--workload', 'f-elicit', '--mode', 'modern-json');
  assert.is(back.status, 2);
  assert.match(back.stderr, /--workload f-elicit runs with 2025-11-25 SSE replies only/);
  const sse = count('http', '--side', 'client', '--workload', 'm-f', '--mode', 'sse');
  assert.is(sse.status, 2);
  assert.match(sse.stderr, /--workload m-f runs with JSON replies only \(the m-f row's\), got --mode sse/);
  const sessions = count('http', '--workload', 'm-f', '--sessions', '2');
  assert.is(sessions.status, 2);
  assert.match(sessions.stderr, /--sessions is not an option of --workload m-f/);
  // The defaults (modern-json; mcpwire,sdk2) pass every option check: the first fault found is
  // --from's folder, or the compiled scripts where the bench was not built.
  for (const args of [['http', '--workload', 'm-f'], ['http', '--side', 'client', '--workload', 'm-f']]) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', main, ...args, '--from', join(import.meta.dirname, 'no-such-folder')], { encoding: 'utf8', timeout: 60_000 });
    assert.is(run.status, 2);
    assert.match(run.stderr, /^count: (--from \S+no-such-folder: no such folder|\S+ is missing: run)/);
  }
});

test('count http --mode raw-json is the raw server answering in JSON: a mode of its own, refused where SSE is needed', async () => {
  // Session 36 could not count raw's JSON server (the c-json row's ceiling): server.ts served raw in SSE only.
  const workload = count('http', '--workload', 'f-elicit', '--mode', 'raw-json');
  assert.is(workload.status, 2);
  assert.match(workload.stderr, /--workload f-elicit runs with 2025-11-25 SSE replies only \(sse or raw\), got --mode raw-json/);
  const checked = count('http', '--mode', 'raw-json,raw', '--from', join(import.meta.dirname, 'no-such-folder'));
  assert.is(checked.status, 2);
  assert.match(checked.stderr, /^count: (--from \S+no-such-folder: no such folder|\S+ is missing: run)/);
  // The counted server itself, as the counter starts it (here under tsx): a tools/call answered
  // in JSON with its Content-Length, where --mode raw answers the same call in SSE.
  for (const [mode, type] of [['raw-json', 'application/json'], ['raw', 'text/event-stream']] as const) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'server.ts'), '--mode', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${mode}: no ready line within 30 s`)), 30_000);
        let seen = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const match = /ready (\S+)\n/.exec(seen += chunk);
          if (match) { clearTimeout(timer); resolve(match[1]!); }
        });
        child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${mode}: the server exited (${code}) before it was ready`)); });
      });
      const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
      const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body, signal: AbortSignal.timeout(10_000) });
      const text = await reply.text();
      assert.is(reply.headers.get('content-type'), type, mode);
      const payload = JSON.parse(type === 'application/json' ? text : text.replace(/^data: /, '')) as { id?: number; result?: { arguments?: { text?: string } } };
      assert.is(payload.id, 7, mode);
      assert.is(payload.result?.arguments?.text, 'hi', mode);
      if (mode === 'raw-json') assert.is(reply.headers.get('content-length'), String(Buffer.byteLength(text)));
    } finally {
      child.kill('SIGTERM');
    }
  }
});

test.run();
