// Our client over the Streamable HTTP client transport against our server, in process (the
// transport's fetch calls the server handler), every message through the schema tap.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type McpClient, type ClientOptions, type FetchLike } from 'mcpwire/client';
import type { RequestId } from 'mcpwire/protocol';
import { makeFixture, URL_BASE, type Fixture } from './http-fixture.ts';
import { tapClient } from './harness.ts';

/** A fetch that calls the handler directly; `crash()` cuts every open body and refuses further calls. */
function inProcessFetch(f: Fixture): FetchLike & { crash(): void } {
  const open = new Set<ReadableStreamDefaultReader<Uint8Array>>();
  let dead = false;
  const fetchLike = (async (url: string, init: Parameters<FetchLike>[1]) => {
    if (dead) throw new Error('connection refused (client process is gone)');
    const response = await f.handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
    if (!response.body) return response;
    const reader = response.body.getReader();
    open.add(reader);
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) { open.delete(reader); c.close(); } else c.enqueue(value);
      },
      cancel() { open.delete(reader); return reader.cancel(); },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  }) as FetchLike & { crash(): void };
  fetchLike.crash = () => {
    dead = true;
    for (const r of open) void r.cancel();
    open.clear();
  };
  return fetchLike;
}

const answers: ClientOptions = {
  onElicit: () => ({ action: 'accept', content: { answer: 'over http' } }),
  onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'm1' }),
};

const e2e = suite('http e2e: our client and server');

for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
  e2e(`tools, progress, elicitation and sampling at ${version}, schema-clean both ways`, async () => {
    const f = makeFixture({ keepAliveMs: 0 });
    const transport = tapClient(createHttpClientTransport({ url: URL_BASE, fetch: inProcessFetch(f) }));
    const client = createClient({ name: 'e2e', version: '1' }, { ...answers, protocolVersion: version });
    try {
      await client.connect(transport);
      assert.is(client.protocolVersion, version);
      assert.ok((await client.listTools()).some((t) => t.name === 'count'));
      const seen: number[] = [];
      await client.callTool('count', { steps: 100 }, { onProgress: (p) => seen.push(p.progress) });
      assert.equal(seen, Array.from({ length: 100 }, (_, i) => i + 1));
      const summary = await client.callTool('summarize', { text: 'x' });
      assert.equal(summary.content, [{ type: 'text', text: 'm1: sampled' }]);
      if (version !== '2025-03-26') {
        assert.equal((await client.callTool('ask_user', { question: 'q' })).content, [{ type: 'text', text: 'the user answered: over http' }]);
      }
    } finally {
      await client.close();
      await f.close();
    }
    transport.assertClean();
  });
}

e2e('an expired session is re-initialized once and the call retried, and the client says so', async () => {
  const f = makeFixture({ keepAliveMs: 0 });
  const reasons: Error[] = [];
  const client = createClient({ name: 'e2e', version: '1' }, { onReinitialized: (e) => reasons.push(e) });
  const transport = createHttpClientTransport({ url: URL_BASE, fetch: inProcessFetch(f), openStandaloneStream: false });
  try {
    await client.connect(transport);
    const first = transport.sessionId!;
    const del = await f.handler.handle(new Request(URL_BASE, { method: 'DELETE', headers: { host: '127.0.0.1:3000', 'mcp-session-id': first, 'mcp-protocol-version': '2025-11-25' } }));
    assert.is(del.status, 200);
    const result = await client.callTool('echo', { text: 'again' });
    assert.equal(result.content, [{ type: 'text', text: 'again' }]);
    assert.is(reasons.length, 1);
    assert.match(reasons[0]!.message, /404|expired/i);
    assert.ok(transport.sessionId && transport.sessionId !== first, 'a new session id');
  } finally {
    await client.close();
    await f.close();
  }
});

e2e('a new client process resumes an in-flight call from its stored token and sees the rest exactly once', async () => {
  const f = makeFixture({ keepAliveMs: 0 });
  const fetchA = inProcessFetch(f);
  const transportA = createHttpClientTransport({ url: URL_BASE, fetch: fetchA, openStandaloneStream: false });
  const clientA = createClient({ name: 'host', version: '1' });
  let requestId: RequestId | undefined;
  let token: string | undefined;
  const seenA: number[] = [];
  let b: McpClient | undefined;
  try {
    await clientA.connect(transportA);
    let cut!: () => void;
    const tenSeen = new Promise<void>((r) => { cut = r; });
    void clientA.callTool('count', { steps: 60, delayMs: 2 }, {
      onRequestId: (id) => { requestId = id; },
      onResumptionToken: (t) => { token = t; },
      onProgress: (p) => { seenA.push(p.progress); if (seenA.length === 10) cut(); },
    }).catch(() => {});
    await tenSeen;
    fetchA.crash(); // the process dies: no DELETE, nothing more read
    const stored = { sessionId: transportA.sessionId!, protocolVersion: clientA.protocolVersion!, requestId: requestId!, token: token! };

    const seenB: number[] = [];
    const transportB = createHttpClientTransport({ url: URL_BASE, fetch: inProcessFetch(f), sessionId: stored.sessionId, protocolVersion: stored.protocolVersion, openStandaloneStream: false });
    b = createClient({ name: 'host', version: '1' }, { firstRequestId: Date.now() * 1000 });
    await b.connect(transportB, { rejoin: { protocolVersion: stored.protocolVersion } });
    const result = await b.resumeCall(stored.requestId, stored.token, { onProgress: (p) => seenB.push(p.progress) });
    assert.equal(result.content, [{ type: 'text', text: 'counted to 60' }]);
    assert.equal([...new Set([...seenA, ...seenB])].sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i + 1), 'nothing lost');
    assert.is(seenA.filter((p) => seenB.includes(p)).length, 0, 'nothing seen twice');
  } finally {
    await clientA.close(); // its call is still pending locally: closing rejects it and clears its timer
    await b?.close();
    await f.close();
  }
});

e2e('when the server closes connections early (2025-11-25 polling), the client resumes each time and loses nothing', async () => {
  const f = makeFixture({ keepAliveMs: 0, maxConnectionMs: 40, retryMs: 5 });
  const client = createClient({ name: 'e2e', version: '1' });
  const inner = inProcessFetch(f);
  let resumes = 0;
  const counting: FetchLike = (url, init) => {
    if (init.method === 'GET' && init.headers['last-event-id'] !== undefined) resumes++;
    return inner(url, init);
  };
  try {
    await client.connect(createHttpClientTransport({ url: URL_BASE, fetch: counting, openStandaloneStream: false }));
    const seen: number[] = [];
    const result = await client.callTool('count', { steps: 40, delayMs: 5 }, { onProgress: (p) => seen.push(p.progress) });
    assert.equal(result.content, [{ type: 'text', text: 'counted to 40' }]);
    assert.equal(seen, Array.from({ length: 40 }, (_, i) => i + 1));
    assert.ok(resumes >= 2, `the client resumed after each early close (${resumes} resumes)`);
  } finally {
    await client.close();
    await f.close();
  }
});

e2e('an idle SSE connection carries keep-alive comments', async () => {
  const f = makeFixture({ keepAliveMs: 20 });
  try {
    const sid = await f.initialize();
    const res = await f.get({ 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 20 && !text.includes(': keep-alive'); i++) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /^: keep-alive$/m);
    await reader.cancel();
  } finally {
    await f.close();
  }
});

e2e.run();
