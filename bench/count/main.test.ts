import { spawnSync } from 'node:child_process';
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

test.run();
