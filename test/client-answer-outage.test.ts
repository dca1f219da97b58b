// An `mcpwire/client` embedder (no host) whose answer to the server's question is POSTed
// while the server is down: the HTTP client transport sends it again until the server,
// restarted on its state, takes it, and the call completes once (session 11 fixed this only
// in the host's fetch; the library dropped the answer and the call hung). Both eras: the
// 2026-07-28 answers travel in the retried request (basic/patterns/mrtr). A real server
// (test/answer-outage-server.ts) on a file store, killed with SIGKILL mid-question; while it
// is down a gate on its port drops each connection, so the test knows the answer was tried.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createHttpClientTransport, type ClientOptions, type HttpClientTransportOptions, type McpClient } from 'mcpwire/client';
import { McpError } from 'mcpwire/protocol';
import { freePort, killOutageServers, openGate, startOutageServer, within, type Gate, type OutageServer } from './answer-outage.ts';

let dir: string;
const outage = suite('client: an answer POSTed while the server is down');

outage.before(async () => { dir = await mkdtemp(join(tmpdir(), 'mcpwire-answer-outage-')); });
outage.after(async () => {
  await killOutageServers();
  await rm(dir, { recursive: true, force: true });
});

const textOf = (result: { content: Array<{ type: string; text?: string }> }) => result.content.map((c) => c.text ?? '').join('');

/**
 * A client on a fresh server whose form is answered only after the server was killed and a
 * gate took its port; `transport` options are added to quick reconnections.
 */
async function setUp(name: string, era: 'legacy' | 'modern', transport: Partial<HttpClientTransportOptions> = {}) {
  const state = join(dir, name);
  const port = await freePort();
  let server: OutageServer = await startOutageServer(state, port);
  let gate: Gate | undefined;
  let asked = 0;
  const options: ClientOptions = {
    era, eraCache: false,
    onElicit: async () => {
      asked++;
      await server.kill9();
      gate = await openGate(port);
      return { action: 'accept', content: { go: 'yes' } };
    },
  };
  const client: McpClient = createClient({ name: 'embedder', version: '1' }, options);
  await client.connect(createHttpClientTransport({
    url: server.url, transportCache: false,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 1_000 },
    answerRetry: { initialDelayMs: 50, maxDelayMs: 200 },
    ...transport,
  }));
  return {
    client,
    get gate() { return gate!; },
    get asked() { return asked; },
    get server() { return server; },
    /** The gate dropped the answer's POST: let the server come back on its state. */
    async restart() {
      await within(waitFor(() => gate), 'the question');
      await within(gate!.post(1), 'the answer\'s first POST');
      await gate!.close();
      server = await startOutageServer(state, port);
    },
  };
}

/** Resolves once `get()` returns something (polled on the event loop's turns, bounded by the caller). */
async function waitFor<T>(get: () => T | undefined): Promise<T> {
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

for (const era of ['legacy', 'modern'] as const) {
  outage(`${era}: the answer is sent again once the server is back; the call completes once, asked once`, async () => {
    const t = await setUp(`resent-${era}`, era);
    try {
      const call = t.client.callTool('confirm', {});
      call.catch(() => {}); // awaited below, after the restart
      await t.restart();
      const result = await within(call, 'the call after the restart');
      assert.is(textOf(result), 'answer: accept {"go":"yes"}');
      assert.is(t.asked, 1, 'the form was filled in once');
      assert.not.match(t.server.log(), /error:/, 'the restarted server took the answer without a complaint');
    } finally {
      await t.client.close();
    }
  });
}

outage('legacy: after maxAttempts the call fails with a clear error, not a hang', async () => {
  const t = await setUp('given-up', 'legacy', { answerRetry: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 } });
  try {
    const error = await within(t.client.callTool('confirm', {}).then(() => undefined, (e: unknown) => e), 'the call\'s failure');
    assert.instance(error, McpError);
    assert.is((error as McpError).code, 'MCP_ERR_HTTP');
    assert.match((error as Error).message, /answer to the server's question failed \(sent 3 times/);
    assert.is(t.gate.posts, 3, 'three tries, no more');
  } finally {
    await t.client.close();
    await t.gate.close();
  }
});

outage('legacy: closing the transport ends the re-sends at once', async () => {
  const t = await setUp('closed', 'legacy', { answerRetry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
  try {
    const call = t.client.callTool('confirm', {}).then(() => undefined, (e: unknown) => e);
    await within(waitFor(() => (t.asked > 0 ? true : undefined)), 'the question');
    await within(waitFor(() => t.gate), 'the gate');
    await within(t.gate.post(1), 'the first try');
    await within(t.client.close(), 'close, while an answer waits a minute for its next try', 5_000);
    assert.instance(await call, McpError);
    assert.is(t.gate.posts, 1);
  } finally {
    await t.gate.close();
  }
});

outage('answerRetry false: the answer is sent once (the earlier behaviour)', async () => {
  const t = await setUp('off', 'legacy', { answerRetry: false });
  try {
    const call = t.client.callTool('confirm', {}).then(() => undefined, (e: unknown) => e);
    await within(waitFor(() => t.gate), 'the gate');
    await within(t.gate.post(1), 'the first try');
    await t.client.close();
    assert.instance(await call, McpError);
    assert.is(t.gate.posts, 1);
  } finally {
    await t.gate.close();
  }
});

outage.run();
