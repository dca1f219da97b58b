// A stdio MCP server for host tests: one tool that asks the client for its roots
// (2025-11-25 client/roots) and returns them. Run with node --conditions=source --import tsx.
import { createServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

const server = createServer({ name: 'roots-probe', version: '1.0.0' });
server.tool({ name: 'show_roots', description: 'Lists the roots the client offers.' }, async (_args, ctx) => {
  const roots = await ctx.listRoots();
  return roots.map((r) => `${r.name ?? ''} ${r.uri}`).join('\n');
});
await new Promise<void>((resolve, reject) => {
  server.connect(createStdioServerTransport(), { onClose: () => resolve() }).catch(reject);
});
