// A stdio MCP server for host tests. It says its pid on stderr (the host shows it with
// --verbose), and offers `show_roots` (asks the client for its roots, 2025-11-25 client/roots)
// `slow` (progress every 100 ms for a minute, to be killed under), and `warn` (a line on
// stderr after start-up, as a server says before it dies).
// Run with node --conditions=mcpwire-source --import tsx.
import { createServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

process.stderr.write(`probe pid ${process.pid}\n`);
const server = createServer({ name: 'probe', version: '1.0.0' });
server.tool({ name: 'show_roots', description: 'Lists the roots the client offers.' }, async (_args, ctx) => {
  const roots = await ctx.listRoots();
  return roots.map((r) => `${r.name ?? ''} ${r.uri}`).join('\n');
});
server.tool({ name: 'slow', description: 'Runs for a minute.' }, async (_args, ctx) => {
  for (let i = 1; i <= 600 && !ctx.signal.aborted; i++) {
    await ctx.progress(i, 600, `tick ${i}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'done';
});
server.tool({ name: 'warn', description: 'Says on stderr that memory runs low.' }, async () => {
  process.stderr.write('probe: memory runs low\n');
  return 'warned';
});
await new Promise<void>((resolve, reject) => {
  server.connect(createStdioServerTransport(), { onClose: () => resolve() }).catch(reject);
});
