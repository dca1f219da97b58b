// `mcpwire trace --target URL` passes a request body on as it comes: the target gets the first
// bytes of an upload before the client has sent its last, and the tracer keeps no more than
// `maxBodyBytes` of it. It used to read each body whole before sending it on (held back, and
// all in memory). In process, on 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { TraceCorrelator, traceHttp, type TraceRecord } from 'mcpwire/conformance';

const upload = suite('mcpwire trace over HTTP: a request body goes on as it comes');

upload('the target reads the first half of a body while the client still holds the second half', async () => {
  let firstBytes!: () => void;
  const targetGotBytes = new Promise<void>((resolve) => { firstBytes = resolve; });
  const target = createNodeServer((req, res) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => { size += chunk.length; firstBytes(); });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { size } }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const records: TraceRecord[] = [];
  const trace = await traceHttp({ target: `http://127.0.0.1:${(target.address() as AddressInfo).port}/mcp`, correlator: new TraceCorrelator((r) => { records.push(r); }) });
  try {
    const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: { blob: 'a'.repeat(200_000) } } });
    const half = Math.floor(message.length / 2);
    const body = new PassThrough();
    const response = request(trace.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body });
    body.write(message.slice(0, half));
    // The second half is sent only once the target has bytes: a tracer that holds the body
    // until its end never delivers them, and this wait ends on its timeout.
    const timeout = new Promise<'held back'>((resolve) => { const t = setTimeout(() => resolve('held back'), 5000); t.unref(); });
    const got = await Promise.race([targetGotBytes.then(() => 'passed on' as const), timeout]);
    body.end(message.slice(half));
    const answer = await response;
    const text = await answer.body.text();
    assert.is(got, 'passed on', 'the target got the first half before the client sent the rest');
    assert.is(JSON.parse(text).result.size, Buffer.byteLength(message));
    await trace.close();
    const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
    assert.ok(call, 'the whole request is still analysed once it ended');
    assert.ok(records.some((r) => r.kind === 'response' && r.answers === 'tools/call'), 'and paired with its answer');
  } finally {
    await trace.close();
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});

upload('a body over maxBodyBytes passes whole and is reported by its size', async () => {
  let received = 0;
  const target = createNodeServer((req, res) => {
    req.on('data', (chunk: Buffer) => { received += chunk.length; });
    req.on('end', () => { res.writeHead(202); res.end(); });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const records: TraceRecord[] = [];
  const trace = await traceHttp({ target: `http://127.0.0.1:${(target.address() as AddressInfo).port}/mcp`, maxBodyBytes: 1024, correlator: new TraceCorrelator((r) => { records.push(r); }) });
  try {
    const message = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'b'.repeat(10_000) } });
    const answer = await request(trace.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: message });
    await answer.body.dump();
    assert.is(answer.statusCode, 202);
    assert.is(received, Buffer.byteLength(message));
    await trace.close();
    assert.ok(records.some((r) => r.direction === 'client-to-server' && new RegExp(`${Buffer.byteLength(message)} bytes`).test(r.explain)), JSON.stringify(records.map((r) => r.explain)));
  } finally {
    await trace.close();
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});

upload.run();
