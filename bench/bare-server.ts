/**
 * A bare node:http server that speaks just enough of the 2025-11-25 HTTP transport for
 * `bench/client-loop.ts --url` (initialize with a session id, 202 to notifications, an echo
 * tool's result to every other request), in JSON bodies or, with `--sse`, as the bench's
 * mcpwire server writes SSE replies (a priming event, then the response). Its CPU per call is
 * near raw's server, so a client measured against it is not paying for a slow server's
 * wake-ups (bench/README, session 10: c's client CPU follows the server's speed).
 *
 *   node --import tsx bench/bare-server.ts [--port 0] [--sse]
 *
 * Prints the URL it listens on.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, sse: { type: 'boolean', default: false } } });
let sessions = 0;
let token = 0;

const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => { body += chunk; });
  req.on('end', () => {
    const message = JSON.parse(body) as { id?: number; method: string; params?: { arguments?: { text?: string } } };
    if (message.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const result = message.method === 'initialize'
      ? { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'bare', version: '1.0.0' } }
      : { content: [{ type: 'text', text: message.params?.arguments?.text ?? '' }] };
    const out = JSON.stringify({ jsonrpc: '2.0', id: message.id, result });
    const headers: Record<string, string | number> = message.method === 'initialize' ? { 'mcp-session-id': `session-${++sessions}` } : {};
    if (!values.sse) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
      return;
    }
    const stream = `stream${++token}`;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' });
    res.end(`id: ${stream}.0\nretry: 100\ndata:\n\nid: ${stream}.1\ndata: ${out}\n\n`);
  });
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`http://127.0.0.1:${address.port}/mcp\n`);
});
