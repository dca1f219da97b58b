// close() with a call pending, in both eras over stdio. The client cancels the pending calls
// before it closes the server's stdin (2025-11-25 basic/utilities/cancellation; 2026-07-28
// basic/patterns/cancellation, notifications/cancelled over stdio), so the server's handler
// aborts and the server exits by itself: close() no longer waits `closeGraceMs` and then
// sends SIGTERM. The pending call rejects with MCP_ERR_CLOSED saying the client closed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport } from '../client/index.ts';
import { createMemoryPair, listen } from '../transport/index.ts';
import { createMcpHttpHandler, createServer, serveEras } from '../server/index.ts';
import { LocalErrorCode, McpError } from '../protocol/index.ts';

const test = suite('client: close() cancels the calls still pending');
const script = fileURLToPath(new URL('./close-pending-server.ts', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

for (const era of ['legacy', 'modern'] as const) {
  test(`${era} over stdio: the server's handler aborts, close is prompt, the call says the client closed`, async () => {
    let stderr = '';
    let started!: () => void;
    const running = new Promise<void>((resolve) => { started = resolve; });
    const transport = createStdioClientTransport({
      command: process.execPath, args: ['--conditions=mcpwire-source', '--import', 'tsx', script], cwd: root,
      // Long enough that a close which waits for it is told apart from one that does not, on any load.
      closeGraceMs: 20_000,
      stderr: (chunk) => { stderr += chunk; if (stderr.includes('started\n')) started(); },
    });
    const client = createClient({ name: 'c', version: '1' }, { era });
    await client.connect(transport);
    const call = client.callTool('wait', {}).then(() => undefined, (e: unknown) => e);
    await running;
    const t0 = Date.now();
    await client.close();
    const took = Date.now() - t0;
    assert.ok(took < 10_000, `close took ${took} ms (closeGraceMs is 20 000: the server was not told)`);
    assert.match(stderr, /aborted: /, stderr);
    const error = await call;
    assert.ok(error instanceof McpError && error.code === LocalErrorCode.Closed, String(error));
    assert.is((error as McpError).message, 'tools/call cancelled: client closed while it was pending');
  });
}

/** A server whose tool "wait" runs until aborted; `started` resolves when it runs. */
function waitingServer(seen: string[]) {
  let running!: () => void;
  const started = new Promise<void>((resolve) => { running = resolve; });
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'wait' }, (_args, ctx) => new Promise<string>((resolve) => {
    seen.push('started');
    running();
    ctx.signal.addEventListener('abort', () => { seen.push('aborted'); resolve('x'); }, { once: true });
  }));
  server.tool({ name: 'ping' }, () => 'pong');
  return { server, started };
}

test('memory pair, await using: the same error and abort', async () => {
  const seen: string[] = [];
  const { server, started } = waitingServer(seen);
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
  const [a, b] = createMemoryPair();
  void serveEras(server, b);
  await client.connect(a);
  const call = client.callTool('wait', {}).then(() => undefined, (e: unknown) => e);
  {
    await using _client = client;
    await started;
  }
  assert.is(((await call) as McpError).message, 'tools/call cancelled: client closed while it was pending');
  assert.equal(seen, ['started', 'aborted']);
  await server.close();
});

test('HTTP, close({ terminate: false }): the session keeps its call running (nothing is cancelled)', async () => {
  const seen: string[] = [];
  const { server, started } = waitingServer(seen);
  const handler = createMcpHttpHandler(server, { disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  const url = `http://127.0.0.1:${listening.port}/mcp`;
  try {
    const first = createClient({ name: 'a', version: '1' }, { era: 'legacy' });
    await first.connect(createHttpClientTransport({ url }));
    const call = first.callTool('wait', {}).then(() => undefined, (e: unknown) => e);
    await started;
    await first.close({ terminate: false });
    const error = await call;
    assert.is((error as McpError).message, 'tools/call: client closed while it was pending');
    // A later client on the same session: its call's answer comes after anything the first sent.
    const second = createClient({ name: 'a', version: '1' }, { reinitializeOnExpiry: false });
    await second.connect(createHttpClientTransport({ url, sessionId: first.sessionId! }), { rejoin: { protocolVersion: first.protocolVersion! } });
    await second.callTool('ping', {});
    assert.equal(seen, ['started'], 'the kept session\'s call was not cancelled');
    await second.close();
    assert.equal(seen, ['started', 'aborted'], 'a plain close ends the session and its call');
  } finally { await handler.close(); await listening.close(); }
});

test.run();
