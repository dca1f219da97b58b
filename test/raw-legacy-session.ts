/**
 * A raw 2025 client for spec tests: every message through the schema tap of the version it
 * negotiates; it answers the server's elicitation and sampling asks with fixed answers.
 */
import type { McpServer } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';
import { createSchemaTap } from '../conformance/tap.ts';

export type Msg = Record<string, any>;

/** A raw client at `version`: every message through the schema tap; it answers the server's asks. */
export async function rawSession(server: McpServer, version: string) {
  const [clientEnd, serverEnd] = createMemoryPair();
  const tap = createSchemaTap(clientEnd, { side: 'client', record: true });
  await server.connect(serverEnd);
  const results = new Map<unknown, Msg>();
  const asked: Msg[] = [];
  let wake: (() => void) | undefined;
  const replies: Record<string, unknown> = {
    'elicitation/create': { action: 'accept', content: { seat: 'a' } },
    'sampling/createMessage': { role: 'assistant', content: { type: 'text', text: 'x' }, model: 'm' },
  };
  await tap.start({
    onMessage(value) {
      const m = value as Msg;
      if (m.method && m.id !== undefined) {
        asked.push(m);
        void tap.send({ jsonrpc: '2.0', id: m.id, result: replies[m.method] ?? {} } as never);
      } else if (m.id !== undefined) { results.set(m.id, m); wake?.(); }
    },
    onClose() {}, onError() {},
  });
  let id = 0;
  const call = async (method: string, params: Record<string, unknown> = {}): Promise<Msg> => {
    const i = ++id;
    await tap.send({ jsonrpc: '2.0', id: i, method, params } as never);
    while (!results.has(i)) await new Promise<void>((resolve) => { wake = resolve; });
    return results.get(i)!;
  };
  const init = await call('initialize', { protocolVersion: version, capabilities: { elicitation: {}, sampling: {}, roots: {} }, clientInfo: { name: 'raw', version: '1' } });
  await tap.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as never);
  return { tap, call, asked, init: init.result as Msg, close: () => tap.close() };
}
