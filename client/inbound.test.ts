import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, type ServerSide } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { createClient, type ClientOptions } from './client.ts';

/** A bare server session linked to a client made with `options`. */
async function linked(options: ClientOptions) {
  const [clientTransport, serverTransport] = createMemoryPair();
  const server = createPeer<ServerSide>();
  server.onRequest('initialize', () => ({ protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'fake', version: '1' } }));
  await server.connect(serverTransport);
  const client = createClient({ name: 't', version: '1' }, options);
  await client.connect(clientTransport);
  return { server, client };
}

const callbacks = suite('client callbacks: the context they receive');

callbacks('the signal a callback destructures aborts when the server cancels its request', async () => {
  let seen!: AbortSignal;
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  const { server, client } = await linked({
    onSample: ({ messages }, { signal }) => {
      seen = signal;
      entered();
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    },
  });
  const controller = new AbortController();
  const asked = server.request('sampling/createMessage', { messages: [], maxTokens: 1 }, { signal: controller.signal }).catch((e: Error) => e);
  await started;
  assert.not.ok(seen.aborted);
  controller.abort();
  assert.is((await asked as { code?: string }).code, 'MCP_ERR_ABORTED');
  // notifications/cancelled reaches the client after the server gave up: await its abort,
  // with a guard so a missing cancellation fails here instead of hanging.
  let guard: ReturnType<typeof setTimeout> | undefined;
  const aborted = await Promise.race([
    new Promise<boolean>((resolve) => (seen.aborted ? resolve(true) : seen.addEventListener('abort', () => resolve(true), { once: true }))),
    new Promise<boolean>((resolve) => { guard = setTimeout(() => resolve(false), 5_000); }),
  ]);
  clearTimeout(guard);
  assert.ok(aborted, 'the server cancelled: the callback signal aborted');
  await client.close();
});

callbacks('a callback that never reads its signal is answered as before', async () => {
  const { server, client } = await linked({ roots: [{ uri: 'file:///a', name: 'a' }], onSample: () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'ok' } }) });
  assert.equal(await server.request('roots/list', undefined), { roots: [{ uri: 'file:///a', name: 'a' }] });
  const sampled = await server.request('sampling/createMessage', { messages: [], maxTokens: 1 });
  assert.is((sampled as { model: string }).model, 'm');
  await client.close();
});

const roots = suite('client roots: each MUST be a file:// URI (2025-11-25 and 2026-07-28 client/roots)');

roots('a root that is not file:// is never sent: roots/list is refused, setRoots throws', async () => {
  const { server, client } = await linked({ roots: [{ uri: 'https://example.com/repo' }] });
  const refused = await server.request('roots/list', {}).then(() => undefined, (e: Error) => e);
  assert.match(refused?.message ?? 'answered', /root "https:\/\/example.com\/repo" is not a file:\/\/ URI/);
  const thrown = await client.setRoots([{ uri: '/home/me' }]).then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(thrown?.code, 'MCP_ERR_VALIDATION');
  await client.setRoots([{ uri: 'file:///home/me', name: 'me' }]);
  assert.equal((await server.request('roots/list', {})).roots, [{ uri: 'file:///home/me', name: 'me' }]);
  await client.close();
});

callbacks.run();
roots.run();
