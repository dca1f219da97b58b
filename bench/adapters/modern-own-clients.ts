/**
 * The 2026-07-28 rows with each implementation's own client (issue #14's bench lines): the
 * mcpwire client pinned to 2026-07-28 against the mcpwire server, the SDK 2.x client pinned to
 * 2026-07-28 (`versionNegotiation: { mode: { pin } }`) against SDK 2.x's stateless handler.
 * Both clients answer a multi round trip's elicitation with their usual elicitation callback
 * (mcpwire `onElicit`, SDK `setRequestHandler('elicitation/create')`), which their MRTR loops
 * call. Each module is loaded only by the process that measures it.
 */
import { elicitAnswer, firstText, toolSession, type BenchSession, type ClientCounters, type ToolCaller } from './types.ts';

const VERSION = '2026-07-28';

/** A session of `impl`'s own client in the 2026-07-28 era (connect sends `server/discover`). */
export async function connectOwnModern(impl: string, url: string, counters: ClientCounters): Promise<BenchSession> {
  if (impl === 'mcpwire') return mcpwireSession(url, counters);
  if (impl === 'sdk2') return sdk2Session(url, counters);
  throw new Error(`${impl} has no 2026-07-28 client`);
}

/** `rounds` calls of `ask` (one question each) as the m rows count them, over `call`. */
function modernSession(call: ToolCaller, close: () => Promise<void>): BenchSession {
  const session = toolSession(call, close);
  return {
    ...session,
    async elicit(rounds) {
      let answered = 0;
      for (let i = 0; i < rounds; i++) answered += Number(await call('ask', {}));
      return String(answered);
    },
  };
}

async function mcpwireSession(url: string, counters: ClientCounters): Promise<BenchSession> {
  const { createClient, createHttpClientTransport } = await import('mcpwire/client');
  const client = createClient({ name: 'bench-mcpwire', version: '1.0.0' }, {
    protocolVersion: VERSION,
    onElicit: () => { counters.elicited += 1; return elicitAnswer(); },
  });
  await client.connect(createHttpClientTransport({ url }));
  return modernSession(async (name, args) => {
    const result = await client.callTool(name, args, { timeoutMs: 600_000 });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return firstText(result);
  }, () => client.close());
}

async function sdk2Session(url: string, counters: ClientCounters): Promise<BenchSession> {
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const client = new Client({ name: 'bench-sdk2', version: '1.0.0' }, {
    capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: VERSION } },
  });
  client.setRequestHandler('elicitation/create', async () => { counters.elicited += 1; return elicitAnswer(); });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return modernSession(async (name, args) => {
    const result = await client.callTool({ name, arguments: args }, { timeout: 600_000 });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return firstText(result as { content?: unknown });
  }, () => client.close());
}
