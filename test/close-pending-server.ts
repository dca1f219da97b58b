// A stdio MCP server in both eras (`serveEras`) whose tool "wait" runs until its signal aborts,
// then says so on stderr ("aborted: <reason>"). For test/client-close-pending.test.ts.
// Run with node --conditions=mcpwire-source --import tsx.
import { createServer, serveEras } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

const server = createServer({ name: 'close-pending', version: '1.0.0' });
server.tool({ name: 'wait', description: 'Runs until cancelled.' }, (_args, ctx) => new Promise<string>((resolve) => {
  process.stderr.write('started\n');
  ctx.signal.addEventListener('abort', () => {
    process.stderr.write(`aborted: ${String((ctx.signal.reason as Error | undefined)?.message ?? ctx.signal.reason)}\n`);
    resolve('never sent');
  }, { once: true });
}));
await serveEras(server, createStdioServerTransport());
