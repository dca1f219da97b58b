// A 2025-03-26 batch that names one request id twice, over stdio: refused whole with one
// -32600 error and nothing in it run, as the Streamable HTTP server refuses the same POST
// with 400 (test/http-server.test.ts). 2025-03-26 basic: a request id "MUST NOT have been
// previously used by the requestor within the same session". Before, stdio ran both items
// and answered an array holding two responses under id 5 (the tool's and "already in
// flight"), which the client cannot tell apart.
import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

async function stdioServer() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let runs = 0;
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'tick', description: 'Counts its runs.' }, () => String(++runs));
  await server.connect(createStdioServerTransport({ stdin, stdout, onDiagnostic: () => {} }));
  let buffered = '';
  const lines: unknown[] = [];
  const waiters: Array<() => void> = [];
  stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  /** Write `message` as one line; resolve with the next line the server writes. */
  const exchange = async (message: unknown): Promise<unknown> => {
    const before = lines.length;
    stdin.write(`${JSON.stringify(message)}\n`);
    while (lines.length === before) await new Promise<void>((wake) => waiters.push(wake));
    return lines[before];
  };
  await exchange({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return { exchange, runs: () => runs, close: () => server.close() };
}

const call = (id: number | string, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

const stdio = suite('stdio: a 2025-03-26 batch naming one request id twice');

stdio('is refused whole with one -32600 error (no id), nothing run, as HTTP answers 400', async () => {
  const s = await stdioServer();
  try {
    const reply = await s.exchange([call(5, 'tick'), { jsonrpc: '2.0', id: 5, method: 'ping' }, { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'x', progress: 1 } }]);
    assert.equal(reply, { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request: request id 5 appears twice in the batch' } });
    assert.is(s.runs(), 0);
    // The session goes on: the next batch, whose ids differ (5 and "5" are two ids), is served.
    const fine = await s.exchange([call(5, 'tick'), { jsonrpc: '2.0', id: '5', method: 'ping' }]) as Array<{ id: unknown }>;
    assert.ok(Array.isArray(fine));
    assert.equal(fine.map((r) => r.id).sort(), [5, '5']);
    assert.is(s.runs(), 1);
  } finally { await s.close(); }
});

stdio.run();
