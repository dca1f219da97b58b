/** SDK 2.x's bench client (`@modelcontextprotocol/client`), in the legacy era (its default). */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { elicitAnswer, firstText, sampleAnswer, toolSession, type ToolCaller, type BenchSession, type ClientAdapter, type ClientCounters } from './types.ts';

function benchClient(counters: ClientCounters): Client {
  const client = new Client({ name: 'bench-sdk2', version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler('elicitation/create', async () => { counters.elicited += 1; return elicitAnswer(); });
  client.setRequestHandler('sampling/createMessage', async () => { counters.sampled += 1; return sampleAnswer(); });
  return client;
}

function session(client: Client, close: () => Promise<void>): BenchSession {
  const call: ToolCaller = async (name, args, onProgress) => {
    const result = await client.callTool({ name, arguments: args }, {
      timeout: 600_000, ...(onProgress ? { onprogress: (p: { progress: number }) => onProgress(p.progress) } : {}),
    });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return firstText(result as { content?: unknown });
  };
  return toolSession(call, close);
}

export const client: ClientAdapter = {
  async connectHttp(url, counters) {
    const c = benchClient(counters);
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await c.connect(transport);
    return session(c, async () => {
      await transport.terminateSession().catch(() => {});
      await c.close();
    });
  },
  async connectStdio(command, counters) {
    const c = benchClient(counters);
    await c.connect(new StdioClientTransport({ command: command.command, args: command.args, stderr: 'inherit' }));
    return session(c, () => c.close());
  },
};
