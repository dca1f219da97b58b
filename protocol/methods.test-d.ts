/**
 * Compile-only checks of the typed method maps: `npm run typecheck` (and the typecheck test)
 * fails if inference regresses. Each `@ts-expect-error` line must stay an error.
 */
import { createPeer } from './peer.ts';
import type { ClientSide, ServerSide } from './methods.ts';
import type { CallToolResult, CreateTaskResult, InitializeResult, ListToolsResult } from './types/index.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(_value?: T): void {}

export async function clientSideInference(): Promise<void> {
  const client = createPeer<ClientSide>();
  const init = await client.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } });
  expectType<Equal<typeof init, InitializeResult>>();
  const list = await client.request('tools/list', undefined);
  expectType<Equal<typeof list, ListToolsResult>>();
  const call = await client.request('tools/call', { name: 'echo', arguments: { text: 'hi' } });
  expectType<Equal<typeof call, CallToolResult | CreateTaskResult>>();

  // @ts-expect-error a server-to-client method is not a client request
  await client.request('sampling/createMessage', { messages: [], maxTokens: 1 });
  // @ts-expect-error tools/call needs a name
  await client.request('tools/call', { arguments: {} });
  // @ts-expect-error unknown method
  await client.request('tools/explode', {});
  // @ts-expect-error wrong notification params
  await client.notify('notifications/progress', { progress: 1 });
}

export function serverSideHandlers(): void {
  const server = createPeer<ServerSide>();
  server.onRequest('tools/list', () => ({ tools: [] }));
  server.onRequest('tools/call', (params) => ({ content: [{ type: 'text', text: params.name }] }));
  // @ts-expect-error a tools/list handler must return { tools }
  server.onRequest('tools/list', () => ({ items: [] }));
  // @ts-expect-error content blocks must be well-typed
  server.onRequest('tools/call', () => ({ content: [{ type: 'txt', text: 'x' }] }));
  // @ts-expect-error a server does not handle elicitation/create
  server.onRequest('elicitation/create', () => ({ action: 'accept' }));
}
