/** mcpwire's bench client: `createClient` over HTTP or stdio, through the public exports only. */
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { elicitAnswer, sampleAnswer, firstText, toolSession, type ToolCaller, type BenchSession, type ClientAdapter, type ClientCounters } from './types.ts';

function session(client: McpClient): BenchSession {
  const call: ToolCaller = async (name, args, onProgress) => {
    // Long calls (50 000 progress notifications, 1 000 elicitations) get the same 600 s bound as the SDK's.
    const result = await client.callTool(name, args, {
      timeoutMs: 600_000, maxTotalTimeoutMs: 600_000, ...(onProgress ? { onProgress: (p) => onProgress(p.progress) } : {}),
    });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return firstText(result);
  };
  return toolSession(call, () => client.close());
}

function benchClient(counters: ClientCounters): McpClient {
  return createClient({ name: 'bench-mcpwire', version: '1.0.0' }, {
    onElicit: () => { counters.elicited += 1; return elicitAnswer(); },
    onSample: () => { counters.sampled += 1; return sampleAnswer(); },
  });
}

export const client: ClientAdapter = {
  async connectHttp(url, counters) {
    const c = benchClient(counters);
    await c.connect(createHttpClientTransport({ url }));
    return session(c);
  },
  async connectStdio(command, counters) {
    const c = benchClient(counters);
    await c.connect(createStdioClientTransport({ command: command.command, args: command.args, stderr: 'inherit' }));
    return session(c);
  },
};
