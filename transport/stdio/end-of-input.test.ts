// The stdio server transport at the end of stdin (issue #10, item 9): it closes only once
// the answers it owes are written (or after endGraceMs), fails at once the requests it sent,
// refuses new ones, and does not wait for a request the client cancelled.
import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, type RequestId, type TransportHandlers } from '../../protocol/index.ts';
import { createStdioServerTransport } from './server.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(endGraceMs?: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const diagnostics: string[] = [];
  const transport = createStdioServerTransport({ stdin, stdout, onDiagnostic: (t) => diagnostics.push(t), ...(endGraceMs !== undefined ? { endGraceMs } : {}) });
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => { markClosed = resolve; });
  const r = { messages: [] as unknown[], closes: 0, failed: [] as Array<{ id: RequestId; error: Error }>, closed };
  const handlers: TransportHandlers = {
    onMessage: (m) => r.messages.push(m),
    onClose: () => { r.closes++; markClosed(); },
    onError: () => {},
    onRequestFailed: (id, error) => r.failed.push({ id, error }),
  };
  const lines = () => String(stdout.read() ?? '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stdin, stdout, transport, handlers, r, diagnostics, lines };
}

const eof = suite('stdio server transport: end of stdin');

eof('it stays open until the answer owed is written, then closes', async () => {
  const { stdin, transport, handlers, r, lines } = setup();
  await transport.start(handlers);
  stdin.end('{"jsonrpc":"2.0","id":1,"method":"tools/call"}');
  await tick();
  assert.is(r.messages.length, 1, 'the last line without a newline was delivered');
  assert.is(r.closes, 0, 'still open: request 1 is owed an answer');
  await transport.send({ jsonrpc: '2.0', method: 'notifications/progress', params: {} });
  await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
  await tick();
  assert.is(r.closes, 1);
  assert.equal(lines().map((l) => l.id ?? l.method), ['notifications/progress', 1]);
});

eof('requests we sent fail at once, and new ones are refused', async () => {
  const { stdin, transport, handlers, r } = setup();
  await transport.start(handlers);
  stdin.write('{"jsonrpc":"2.0","id":1,"method":"tools/call"}\n');
  await tick();
  await transport.send({ jsonrpc: '2.0', id: 's1', method: 'elicitation/create', params: {} });
  stdin.end();
  await tick();
  assert.equal(r.failed.map((f) => f.id), ['s1']);
  assert.is((r.failed[0]!.error as McpError).code, 'MCP_ERR_CLOSED');
  let refused: unknown;
  await transport.send({ jsonrpc: '2.0', id: 's2', method: 'roots/list' }).catch((e: unknown) => { refused = e; });
  assert.is((refused as McpError).code, 'MCP_ERR_CLOSED');
  await transport.send({ jsonrpc: '2.0', id: 1, result: { isError: true } });
  await tick();
  assert.is(r.closes, 1);
});

eof('a request the client cancelled is not waited for', async () => {
  const { stdin, transport, handlers, r } = setup();
  await transport.start(handlers);
  stdin.end('{"jsonrpc":"2.0","id":7,"method":"tools/call"}\n{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}\n');
  await tick();
  assert.is(r.closes, 1);
});

eof('an answer that never comes closes the transport after endGraceMs, with a diagnostic', async () => {
  const { stdin, transport, handlers, r, diagnostics } = setup(50);
  await transport.start(handlers);
  stdin.end('{"jsonrpc":"2.0","id":"slow","method":"tools/call"}\n');
  await tick();
  assert.is(r.closes, 0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([r.closed, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('not closed within 2 s')), 2_000); })]);
  clearTimeout(timer);
  assert.is(r.closes, 1);
  assert.match(diagnostics.join('\n'), /1 request\(s\) still unanswered after 50 ms \(endGraceMs\)/);
});

eof.run();
