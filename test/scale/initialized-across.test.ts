// 2025-11-25 basic/lifecycle: the server SHOULD NOT send requests (an elicitation) before the
// client's notifications/initialized. Behind a balancer without affinity the initialize, the
// call that asks and that notification may each reach a different instance: the instance
// that hears it saves the session as initialized and tells the others over the relay, so an
// ask held on another instance goes out then, not at its timeout (60 s by default).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { SseReader } from './mcp-http.ts';

const VERSION = '2025-11-25';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
/** Far below the ask's 60 s default timeout: an ask released by its timeout fails this. */
const PROMPT_MS = 10_000;

/** Initialize on `url` without sending notifications/initialized; a poster for any instance. */
async function initializeOnly(url: string) {
  const init = await fetch(url, {
    method: 'POST', headers: HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: VERSION, capabilities: { elicitation: {} }, clientInfo: { name: 'split', version: '1' } } }),
  });
  assert.is(init.status, 200);
  const id = init.headers.get('mcp-session-id')!;
  await new SseReader(init).until((m) => m.id === 0);
  return (at: string, message: Record<string, unknown>) => fetch(at, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': VERSION }, body: JSON.stringify(message) });
}

/**
 * Watch `stream` for the elicitation (one read that loses nothing), and check none came while
 * a ping on `at` was answered and 1 s more (an absence cannot be awaited); resolves with the
 * watch (wrapped, or awaiting this would wait for it), whose `at` tells when it arrived.
 */
async function nothingAskedYet(stream: SseReader, post: Awaited<ReturnType<typeof initializeOnly>>, at: string) {
  let asked = false;
  const question = stream.until((m) => m.method === 'elicitation/create', 30_000).then((arrival) => {
    asked = true;
    return arrival!;
  });
  question.catch(() => {}); // awaited by the caller; this only keeps an early failure handled
  const ping = await post(at, { jsonrpc: '2.0', id: 'ping', method: 'ping' });
  assert.ok(await new SseReader(ping).until((m) => m.id === 'ping'));
  await new Promise<void>((resolve) => setTimeout(resolve, 1_000));
  assert.not.ok(asked, 'asked before notifications/initialized');
  return { question };
}

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: an ask held for notifications/initialized that another instance heard');
  const [a, b] = cluster.instances.map((s) => s.url) as [string, string];

  test('initialize and a call that asks on A, initialized on B: the ask goes out on A promptly, and its answer completes the call', async () => {
    const post = await initializeOnly(a);
    const call = await post(a, { jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'ask_user', arguments: { question: 'Which city?' } } });
    assert.is(call.status, 200);
    const stream = new SseReader(call);
    const { question: asked } = await nothingAskedYet(stream, post, a);
    const since = Date.now();
    const initialized = await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.is(initialized.status, 202);
    const arrival = await asked;
    assert.ok(arrival.at - since < PROMPT_MS, `asked ${arrival.at - since} ms after initialized`);
    const question = arrival.message!;
    const answer = await post(b, { jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'Lima' } } });
    assert.is(answer.status, 202);
    const result = await stream.until((m) => m.id === 'call-1');
    assert.match(JSON.stringify(result?.message?.result?.content), /Lima/, JSON.stringify(result?.message));
  });

  test('initialize on A, a call that asks on B before initialized: B holds it (the saved session says so), initialized on A lets it go', async () => {
    const post = await initializeOnly(a);
    const call = await post(b, { jsonrpc: '2.0', id: 'call-2', method: 'tools/call', params: { name: 'ask_user', arguments: { question: 'Which river?' } } });
    assert.is(call.status, 200);
    const stream = new SseReader(call);
    const { question: asked } = await nothingAskedYet(stream, post, b);
    const since = Date.now();
    const initialized = await post(a, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.is(initialized.status, 202);
    const arrival = await asked;
    assert.ok(arrival.at - since < PROMPT_MS, `asked ${arrival.at - since} ms after initialized`);
    const question = arrival.message!;
    const answer = await post(a, { jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { answer: 'Rimac' } } });
    assert.is(answer.status, 202);
    const result = await stream.until((m) => m.id === 'call-2');
    assert.match(JSON.stringify(result?.message?.result?.content), /Rimac/, JSON.stringify(result?.message));
  });

  test.after(() => cluster.stop());
  test.run();
}
