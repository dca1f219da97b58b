// `mcpwire serve --retry-ms N`: the SSE `retry` the server sends on every stream (2025-11-25
// basic/transports: the client MUST wait that long before it reconnects). Before, serve sent
// the library's 100 ms with no way to change it, and the official SDK clients (TypeScript 2.4,
// Python 2.3) try twice at the server's retry and then give up on the call: a `serve --state`
// killed mid-call and started again in 1-3 s lost every such call, although the server had kept
// the session and the call's stream. The built CLI in child processes; the SDK 2.4 client
// (devDependency) over loopback.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { freePort } from './host-harness.ts';
import { openSession } from './serve-process.ts';
import { killed } from './serve-process.ts';
import { tiedToParent } from './support/tied-child.ts';
import { usageError } from './support/usage-error.ts';
import { serveCommand } from '../bin/serve.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const test = suite('mcpwire serve --retry-ms');

/** `serve --http --port PORT ...args`; resolves once it listens, rejects if it exits first. */
function serve(port: number, args: readonly string[]): Promise<ChildProcess> {
  const [command, argv] = tiedToParent(process.execPath, [bin, 'serve', '--http', '--port', String(port), ...args]);
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      if (/listening on/.test(log)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
  });
}

test('a value that is not a non-negative integer is refused naming the flag', async () => {
  for (const bad of ['-1', 'x', '1.5', '']) {
    assert.is(await usageError(() => serveCommand(['--http', '--port', '0', `--retry-ms=${bad}`])), `--retry-ms must be a non-negative integer, got "${bad}"`);
  }
  assert.is(await usageError(() => serveCommand(['--stdio', '--retry-ms', '5'])), '--retry-ms goes with --http, not --stdio');
});

test('the priming event of a call\'s stream carries the retry given', async () => {
  const port = await freePort();
  const child = await serve(port, ['--retry-ms', '2345']);
  try {
    const session = await openSession(`http://127.0.0.1:${port}/mcp`);
    const res = await session.call({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: 1 } } });
    assert.match(await res.text(), /^id: [^\n]+\nretry: 2345\ndata:\n\n/);
  } finally {
    await killed(child);
  }
});

test('the SDK 2.4 client rides a kill -9 and restart of serve --state mid-call: every progress once, the result, the next call', async () => {
  const port = await freePort();
  const state = await mkdtemp(join(tmpdir(), 'mcpwire-retry-ms-'));
  const args = ['--state', state, '--retry-ms', '4000']; // two tries 4 s apart: a restart here takes 1-3 s under load
  let server = await serve(port, args);
  const client = new Client({ name: 'sdk', version: '2.4.0' }, { capabilities: {}, versionNegotiation: { mode: 'legacy' } });
  client.onerror = () => {}; // the cut stream and the refused reconnect are reported here; the call is what counts
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    const progress: number[] = [];
    let restarted: Promise<void> | undefined;
    const result = await client.callTool({ name: 'count', arguments: { steps: 12, delayMs: 150 } }, {
      timeout: 60_000,
      onprogress: (p) => {
        progress.push(p.progress);
        if (p.progress === 3 && !restarted) restarted = killed(server).then(async () => { server = await serve(port, args); });
      },
    });
    assert.ok(restarted, 'the server was killed mid-call');
    await restarted;
    assert.equal(result.content, [{ type: 'text', text: 'counted to 12' }]);
    assert.equal(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'each progress once, in order, across the restart');
    const after = await client.callTool({ name: 'count', arguments: { steps: 1 } });
    assert.equal(after.content, [{ type: 'text', text: 'counted to 1' }]);
  } finally {
    await client.close().catch(() => {});
    await killed(server);
    await rm(state, { recursive: true, force: true });
  }
});

test.run();
