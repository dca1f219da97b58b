// `mcpwire trace --target URL` when the client goes away before the server answered: in
// 2026-07-28 that is how a client cancels a request over HTTP (basic/transports: closing the
// request's stream cancels it), and the official Python SDK does it to a call whose server has
// sent nothing yet. The trace must still show the request, and say the client closed it, not
// that the target was unreachable. The body is the Python SDK 2.3 client's, byte for byte.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TraceCorrelator, traceHttp, type TraceRecord } from 'mcpwire/conformance';

const PYTHON_CALL = '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"count","arguments":{"steps":10,"delayMs":500},'
  + '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"mcp","version":"0.1.0"},'
  + '"io.modelcontextprotocol/clientCapabilities":{"elicitation":{"form":{},"url":{}}}}}}';
const PYTHON_HEADERS = {
  accept: 'application/json, text/event-stream', 'content-type': 'application/json',
  'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'count',
};

const early = suite('mcpwire trace over HTTP: a client that leaves before the server answers');

early('the request is shown, and the client closing it is said as such, not as an unreachable target', async () => {
  let arrived!: () => void;
  const bodyArrived = new Promise<void>((resolve) => { arrived = resolve; });
  const held: ServerResponse[] = [];
  // A target that reads the call and answers nothing yet (a tool that has not reported anything).
  const target = createNodeServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => { held.push(res); arrived(); });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const records: TraceRecord[] = [];
  let closedSeen!: () => void;
  const closed = new Promise<void>((resolve) => { closedSeen = resolve; });
  const trace = await traceHttp({
    target: `http://127.0.0.1:${(target.address() as AddressInfo).port}/mcp`,
    correlator: new TraceCorrelator((r) => { records.push(r); if (r.kind === 'http') closedSeen(); }),
  });
  try {
    const abort = new AbortController();
    const sent = fetch(trace.url, { method: 'POST', body: PYTHON_CALL, headers: PYTHON_HEADERS, signal: abort.signal });
    await bodyArrived;
    abort.abort();
    await sent.catch(() => undefined);
    await closed;
  } finally {
    await trace.close(); // runs what is left of the analysis
    for (const res of held) res.destroy();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
  const call = records.find((r) => r.kind === 'request' && r.method === 'tools/call');
  assert.ok(call, `the tools/call is shown: ${records.map((r) => `${r.kind} ${r.method ?? ''} ${r.explain}`).join(' | ')}`);
  assert.is(call!.id, 6);
  assert.is(call!.era, 'modern');
  assert.is(call!.http?.headers?.['mcp-method'], 'tools/call');
  assert.equal(call!.findings, [], 'nothing flagged in the Python client\'s call');
  const end = records.find((r) => r.kind === 'http')!;
  assert.match(end.explain, /the client closed the request before the server answered/);
  assert.not.match(end.explain, /could not reach/);
  assert.is(end.http?.exchange, call!.http?.exchange, 'said of the same exchange');
});

early.run();
