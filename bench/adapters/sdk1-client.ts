/** SDK 1.x's bench client: `Client` over `StreamableHTTPClientTransport` or `StdioClientTransport`. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { elicitAnswer, firstText, sampleAnswer, toolSession, type ToolCaller, type BenchSession, type ClientAdapter, type ClientCounters } from './types.ts';

function benchClient(counters: ClientCounters): Client {
  const client = new Client({ name: 'bench-sdk1', version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => { counters.elicited += 1; return elicitAnswer(); });
  client.setRequestHandler(CreateMessageRequestSchema, async () => { counters.sampled += 1; return sampleAnswer(); });
  return client;
}

function session(client: Client, close: () => Promise<void>): BenchSession {
  // No request timeout: the long calls (50 000 progress notifications, 1 000 elicitations)
  // would hit the SDK's default 60 s on a slow machine; the bench bounds each run instead.
  const call: ToolCaller = async (name, args, onProgress) => {
    const result = await client.callTool({ name, arguments: args }, undefined, {
      timeout: 600_000, ...(onProgress ? { onprogress: (p) => onProgress(p.progress) } : {}),
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
    // The SDK's close() only drops connections; end the session on the server as mcpwire's close() does.
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
