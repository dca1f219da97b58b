// `mcpwire trace --target URL` passes a server's crash on as a crash: a response body the
// server cut (SSE or JSON) reaches the client cut, never as a clean end it would take for a
// whole body. 2025-11-25 basic/transports (resumability): a client resumes a cut stream, and
// it can only do so if it sees the cut. In process, on 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TraceCorrelator, traceHttp, type TraceRecord } from 'mcpwire/conformance';

/** A target that sends a head and part of a body, then drops the connection. */
async function crashingTarget(start: (res: ServerResponse) => void) {
  const server = createNodeServer((_req, res) => {
    start(res);
    // Once the first bytes are out, the server process "dies": its socket is destroyed.
    setImmediate(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** Read the whole body: 'complete' with the text, or 'cut' when the read failed. */
async function readBody(url: string): Promise<{ outcome: 'complete' | 'cut'; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}', signal: AbortSignal.timeout(10_000) });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { outcome: 'complete', text };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { outcome: 'cut', text };
  }
}

async function throughTracer(targetUrl: string, fn: (url: string) => Promise<void>, records: TraceRecord[]): Promise<void> {
  const trace = await traceHttp({ target: targetUrl, correlator: new TraceCorrelator((r) => { records.push(r); }) });
  try { await fn(trace.url); } finally { await trace.close(); }
}

const cut = suite('mcpwire trace over HTTP: a body the server cut reaches the client cut');

cut('an SSE stream the server dropped mid-way: cut without the tracer, cut with it, and shown as a cut', async () => {
  const target = await crashingTarget((res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('id: e1\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}\n\n');
  });
  try {
    const direct = await readBody(target.url);
    assert.is(direct.outcome, 'cut', 'the fixture cuts the stream');
    const records: TraceRecord[] = [];
    await throughTracer(target.url, async (url) => {
      const traced = await readBody(url);
      assert.is(traced.outcome, 'cut', 'the client must see the cut, not a clean end of the stream');
      assert.match(traced.text, /id: e1/, 'the event before the cut still arrives');
    }, records);
    assert.ok(records.some((r) => r.kind === 'http' && /the SSE stream was cut/.test(r.explain)), 'the trace says it was cut');
  } finally { await target.close(); }
});

cut('a JSON body the server dropped mid-way: the client gets a cut body, not a short one that looks whole', async () => {
  const target = await crashingTarget((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"jsonrpc":"2.0","id":1,"result":{"pa');
  });
  try {
    const direct = await readBody(target.url);
    assert.is(direct.outcome, 'cut', 'the fixture cuts the body');
    const records: TraceRecord[] = [];
    await throughTracer(target.url, async (url) => {
      const traced = await readBody(url);
      assert.is(traced.outcome, 'cut', 'the client must see the cut, not a clean end of the body');
    }, records);
    assert.ok(records.some((r) => r.kind === 'http' && /the server cut the response body after \d+ bytes/.test(r.explain)), JSON.stringify(records.map((r) => r.explain)));
  } finally { await target.close(); }
});

cut.run();
