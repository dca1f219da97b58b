// A stdio MCP server whose tool writes to stdout the ways careless code does: console.log,
// console.info, console.debug, console.table and process.stdout.write, before and after an
// await. MCPWIRE_TEST_GUARD=off passes `guardStdout: false`. When the connection ends it says
// on stderr whether process.stdout.write was put back. Run with node --conditions=mcpwire-source --import tsx.
import { createServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

const ownWrite = Object.hasOwn(process.stdout, 'write');
const server = createServer({ name: 'console-log', version: '1.0.0' });
server.tool({ name: 'chatty', description: 'Logs to the console while it works.' }, async () => {
  console.log('log: starting');
  console.info('info: %d items', 3);
  await new Promise((resolve) => setImmediate(resolve));
  console.debug('debug: halfway');
  console.table([{ a: 1 }]);
  process.stdout.write('raw write\n');
  return 'done';
});
const guardStdout = process.env.MCPWIRE_TEST_GUARD !== 'off';
await new Promise<void>((resolve, reject) => {
  server.connect(createStdioServerTransport({ guardStdout }), { onClose: () => resolve() }).catch(reject);
});
process.stderr.write(`closed; stdout.write restored: ${Object.hasOwn(process.stdout, 'write') === ownWrite}\n`);
