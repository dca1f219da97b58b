// A Streamable HTTP server for the answer re-send tests, kept on disk like `serve --http
// --state`: `confirm` asks a form and returns the answer, in both eras (2026-07-28: a
// multi round-trip request, its requestState signed with a fixed key so it outlives a
// restart). Usage: node --conditions=mcpwire-source --import tsx test/answer-outage-server.ts DIR PORT
// (PORT given, not 0: the server comes back on it).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createFileEventStore, defaultAllowedHosts, listen } from 'mcpwire/transport';

const [dir = '.', portText = '0'] = process.argv.slice(2);
const server = createServer({ name: 'answer-outage', version: '1.0.0' });
server.tool({ name: 'confirm', description: 'Asks to confirm, then says the answer.' }, async (_args, ctx) => {
  const answer = await ctx.elicit({ message: 'Go ahead?', requestedSchema: { type: 'object', properties: { go: { type: 'string', title: 'Go' } }, required: ['go'] } });
  process.stderr.write('answer-outage: answered\n');
  return `answer: ${answer.action} ${JSON.stringify(answer.content ?? {})}`;
});
await mkdir(join(dir, 'events'), { recursive: true });
const eventStore = await createFileEventStore({ dir: join(dir, 'events'), onError: (e) => process.stderr.write(`answer-outage: event store: ${e.message}\n`) });
const port = Number(portText);
const key = new TextEncoder().encode('answer-outage-test-key-32-bytes!');
const handler = createMcpHttpHandler(server, {
  allowedHosts: defaultAllowedHosts('127.0.0.1', port),
  eventStore, recoverInflight: true, modern: { inputRounds: { key } },
  onError: (e) => process.stderr.write(`answer-outage: error: ${e.message}\n`),
});
await handler.restore();
const listening = await listen(handler, { host: '127.0.0.1', port });
process.stderr.write(`answer-outage: listening on http://127.0.0.1:${listening.port}/mcp\n`);
