// A Streamable HTTP server for host restart tests, kept on disk like `serve --http --state`:
// `confirm_once` asks a form and `summarise_once` asks the model; the first time each got its
// answer the process dies (exit 1) before it can use it, as a server killed at that moment
// would. Restarted on the same state it re-runs the call (recoverInflight), which asks the
// same question again. Usage: node --conditions=mcpwire-source --import tsx test/ask-server.ts DIR PORT
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createFileEventStore, defaultAllowedHosts, listen, type ExchangeServable } from 'mcpwire/transport';

const [dir = '.', portText = '0'] = process.argv.slice(2);
const server = createServer({ name: 'ask-server', version: '1.0.0' });
/** Die once, right after the answer to `what` arrived (a marker file says it happened). */
function dieOnce(what: string): void {
  const marker = join(dir, `${what}.died`);
  if (existsSync(marker)) return;
  writeFileSync(marker, 'x');
  process.stderr.write(`ask-server: dying after the answer to ${what}\n`);
  process.exit(1);
}
server.tool({ name: 'confirm_once', description: 'Asks to confirm, once.' }, async (_args, ctx) => {
  const answer = await ctx.elicit({ message: 'Go ahead?', requestedSchema: { type: 'object', properties: { go: { type: 'boolean', title: 'Go' } }, required: ['go'] } });
  dieOnce('confirm');
  return `confirmed: ${answer.action} ${JSON.stringify(answer.content ?? {})}`;
});
server.tool({ name: 'summarise_once', description: 'Asks the model once.' }, async (_args, ctx) => {
  const answer = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Summarise: heat pumps move heat. They are efficient.' } }], maxTokens: 50 });
  dieOnce('sample');
  const block = Array.isArray(answer.content) ? answer.content[0] : answer.content;
  return `model said: ${block?.type === 'text' ? block.text : '?'}`;
});
await mkdir(join(dir, 'events'), { recursive: true });
const eventStore = await createFileEventStore({ dir: join(dir, 'events'), onError: (e) => process.stderr.write(`ask-server: event store: ${e.message}\n`) });
const ref: ExchangeServable = { exchange: () => Promise.resolve({ status: 503, headers: {}, body: 'starting' }) };
const listening = await listen(ref, { host: '127.0.0.1', port: Number(portText) });
const handler = createMcpHttpHandler(server, { allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port), eventStore, recoverInflight: true });
await handler.restore();
ref.exchange = handler.exchange;
process.stderr.write(`ask-server: listening on http://127.0.0.1:${listening.port}/mcp\n`);
