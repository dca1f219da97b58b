// The answer re-send of the HTTP client transport (option answerRetry) against an in-process
// server, faults injected in the fetch: only answers are sent again, other traffic goes on
// meanwhile, a 404 for the session is not taken for a network failure, and a duplicated
// answer (a re-send whose first try did arrive) completes the call once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike, type HttpClientTransportOptions } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { McpError } from 'mcpwire/protocol';
import { within } from './answer-outage.ts';

const URL_BASE = 'http://127.0.0.1:3000/mcp';
const textOf = (result: { content: Array<{ type: string; text?: string }> }) => result.content.map((c) => c.text ?? '').join('');

/** What undici's fetch rejects with when nothing listens. */
function refused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3000'), { code: 'ECONNREFUSED' }) });
}

/** A server whose `confirm` asks a form and returns the answer; its errors are kept. */
function makeServer() {
  const errors: string[] = [];
  const server = createServer({ name: 'resend', version: '1' }, { onError: (e) => errors.push(e.message) });
  server.tool({ name: 'confirm', description: 'asks, then says the answer' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Go?', requestedSchema: { type: 'object', properties: { go: { type: 'string' } }, required: ['go'] } });
    return `answer: ${JSON.stringify(answer.content ?? {})}`;
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], onError: (e) => errors.push(e.message) });
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { ...init.headers, host: '127.0.0.1:3000' } }));
  return { handler, fetch, errors };
}

/** The JSON-RPC messages of a POST body, or [] for none. */
function messagesIn(body: string | undefined): Array<Record<string, unknown>> {
  if (body === undefined) return [];
  const parsed = JSON.parse(body) as unknown;
  return (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
}
const isAnswer = (body: string | undefined) => messagesIn(body).some((m) => !('method' in m));

/** A client through `fetch`, answering the form with `go: yes`. */
async function connect(fetch: FetchLike, options: Partial<HttpClientTransportOptions> = {}, onElicit?: () => void) {
  const client = createClient({ name: 't', version: '1' }, {
    era: 'legacy', eraCache: false,
    onElicit: () => { onElicit?.(); return { action: 'accept', content: { go: 'yes' } }; },
  });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch, transportCache: false, answerRetry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options }));
  return client;
}

/** A promise and its resolve. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

const resend = suite('client: what is sent again, and what is not');

resend('other traffic goes on while an answer waits to be sent again', async () => {
  const s = makeServer();
  const failed = signal();
  let pinged = false;
  let answerPosts = 0;
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST' && isAnswer(init.body)) {
      answerPosts++;
      if (!pinged) { failed.resolve(); throw refused(); }
    }
    return s.fetch(url, init);
  };
  const client = await connect(fetch);
  try {
    const call = client.callTool('confirm', {});
    await failed.promise;
    await client.ping(); // the answer is between two tries
    pinged = true;
    assert.is(textOf(await within(call, 'the call')), 'answer: {"go":"yes"}');
    assert.ok(answerPosts >= 2, `tries: ${answerPosts}`);
    assert.equal(s.errors, []);
  } finally {
    await client.close();
    await s.handler.close();
  }
});

resend('a request that meets a network failure is not sent again: it fails at once', async () => {
  const s = makeServer();
  let listPosts = 0;
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST' && messagesIn(init.body).some((m) => m.method === 'tools/list')) {
      listPosts++;
      throw refused();
    }
    return s.fetch(url, init);
  };
  const client = await connect(fetch);
  try {
    const error = await client.listTools().then(() => undefined, (e: unknown) => e);
    assert.instance(error, McpError);
    assert.match((error as Error).message, /POST failed: fetch failed/);
    assert.is(listPosts, 1);
  } finally {
    await client.close();
    await s.handler.close();
  }
});

resend('a 404 for the session is not taken for a network failure: the answer is sent once', async () => {
  const s = makeServer();
  const restarted = makeServer(); // a server restarted without its state: the session is unknown
  let answerPosts = 0;
  const expired = signal();
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST' && isAnswer(init.body)) {
      answerPosts++;
      return restarted.fetch(url, init);
    }
    return s.fetch(url, init);
  };
  const client = createClient({ name: 't', version: '1' }, { era: 'legacy', eraCache: false, onElicit: () => ({ action: 'accept', content: { go: 'yes' } }) });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch, transportCache: false, answerRetry: { initialDelayMs: 5 }, onSessionExpired: () => expired.resolve() }));
  try {
    const stop = new AbortController();
    const call = client.callTool('confirm', {}, { signal: stop.signal }).then(() => undefined, (e: unknown) => e);
    await within(expired.promise, 'the session\'s expiry');
    stop.abort();
    assert.instance(await call, Error);
    assert.is(answerPosts, 1);
  } finally {
    await client.close();
    await s.handler.close();
    await restarted.handler.close();
  }
});

resend('a duplicated answer (the first try arrived, its reply was lost) completes the call once', async () => {
  const s = makeServer();
  let answerPosts = 0;
  const second = signal();
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST' && isAnswer(init.body) && ++answerPosts === 1) {
      const reply = await s.fetch(url, init);
      await reply.arrayBuffer();
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }); // the reply never reached us
    }
    const reply = await s.fetch(url, init);
    if (answerPosts === 2) second.resolve();
    return reply;
  };
  let asked = 0;
  const client = await connect(fetch, {}, () => { asked++; });
  try {
    assert.is(textOf(await within(client.callTool('confirm', {}), 'the call')), 'answer: {"go":"yes"}');
    await within(second.promise, 'the second try');
    assert.is(answerPosts, 2);
    assert.is(asked, 1);
    assert.equal(s.errors, [], 'the duplicate is taken quietly');
  } finally {
    await client.close();
    await s.handler.close();
  }
});

resend('a 503 (the server restoring its state) is taken like a network failure: the answer is sent again', async () => {
  const s = makeServer();
  let answerPosts = 0;
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST' && isAnswer(init.body) && ++answerPosts === 1) {
      return new Response('starting', { status: 503, headers: { 'content-type': 'text/plain', 'retry-after': '1' } });
    }
    return s.fetch(url, init);
  };
  const client = await connect(fetch);
  try {
    assert.is(textOf(await within(client.callTool('confirm', {}), 'the call')), 'answer: {"go":"yes"}');
    assert.is(answerPosts, 2);
  } finally {
    await client.close();
    await s.handler.close();
  }
});

resend('cancelling the call ends the re-sends of its answer', async () => {
  const s = makeServer();
  let answerPosts = 0;
  const failed = signal();
  const fetch: FetchLike = async (url, init) => {
    if (init.method === 'POST' && isAnswer(init.body)) {
      answerPosts++;
      failed.resolve();
      throw refused();
    }
    return s.fetch(url, init);
  };
  const ended = signal();
  const client = createClient({ name: 't', version: '1' }, {
    era: 'legacy', eraCache: false, onElicit: () => ({ action: 'accept', content: { go: 'yes' } }),
    onError: (e) => { if ((e.cause as McpError | undefined)?.code === 'MCP_ERR_ABORTED') ended.resolve(); },
  });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch, transportCache: false, answerRetry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } }));
  try {
    const stop = new AbortController();
    const call = client.callTool('confirm', {}, { signal: stop.signal }).then(() => undefined, (e: unknown) => e);
    await within(failed.promise, 'the first try');
    stop.abort();
    assert.instance(await within(call, 'the call\'s rejection'), Error);
    await within(ended.promise, 'the re-send\'s end (a minute away if the cancel did not end it)', 5_000);
    assert.is(answerPosts, 1);
  } finally {
    await client.close();
    await s.handler.close();
  }
});

resend('bad answerRetry values are refused when the transport is made', () => {
  assert.throws(() => createHttpClientTransport({ url: URL_BASE, answerRetry: { maxAttempts: 0 } }), /answerRetry\.maxAttempts must be an integer >= 1/);
  assert.throws(() => createHttpClientTransport({ url: URL_BASE, answerRetry: { initialDelayMs: 10, maxDelayMs: 5 } }), /answerRetry\.maxDelayMs/);
  assert.throws(() => createHttpClientTransport({ url: URL_BASE, answerRetry: { initialDelayMs: -1 } }), /answerRetry\.initialDelayMs/);
});

resend.run();
