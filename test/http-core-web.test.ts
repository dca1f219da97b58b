// The Streamable HTTP server core (`handle(Request) -> Response`, for workers, Deno and Bun)
// runs on Web APIs only: Web Crypto, Uint8Array, TextEncoder/TextDecoder, WHATWG streams. A
// child process refuses every `node:` import and bare builtin (ESM and require), records any
// use of the global Buffer by project code (Node's own fetch classes use it, so it cannot be
// deleted), then imports mcpwire/server and serves initialize and tools/call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { builtinModules } from 'node:module';
import { runGuarded } from './import-guard.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ANY_BUILTIN = new RegExp(`^(node:|(${builtinModules.map(escape).join('|')})(/|$))`);

/** Replaces the global Buffer by a proxy that records each use from a project file (not node_modules). */
const WATCH_BUFFER = `
const bufferUses = [];
const root = process.cwd();
const noted = () => {
  const caller = new Error().stack.split('\\n').slice(1).find((l) => !l.includes('[eval'));
  if (caller && caller.includes(root) && !caller.includes('node_modules')) bufferUses.push(caller.trim());
};
globalThis.Buffer = new Proxy(globalThis.Buffer, {
  get(target, key, receiver) { noted(); return Reflect.get(target, key, receiver); },
  apply(target, self, args) { noted(); return Reflect.apply(target, self, args); },
  construct(target, args) { noted(); return Reflect.construct(target, args); },
});
`;

const SERVE = WATCH_BUFFER + `
const { createServer, createMcpHttpHandler } = await import('mcpwire/server');
const server = createServer({ name: 'web-core', version: '1.0.0' });
server.tool({ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  async ({ text }) => 'echo: ' + text);
const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'] });
const post = (body, headers = {}) => handler.handle(new Request('http://127.0.0.1:3000/mcp', {
  method: 'POST', body: JSON.stringify(body),
  headers: { host: '127.0.0.1:3000', accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...headers },
}));
const messages = async (res) => (await res.text()).split('\\n').filter((l) => l.startsWith('data: ') && l.length > 6).map((l) => JSON.parse(l.slice(6)));
const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const sessionId = init.headers.get('mcp-session-id');
const [initialized] = await messages(init);
const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
const ack = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
const [called] = await messages(await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }, session));
await handler.close();
process.stdout.write(JSON.stringify({ sessionId, version: initialized.result.protocolVersion, ack: ack.status, content: called.result.content, bufferUses }));
`;

const core = suite('http core: serves over Request -> Response with no node: module and no Buffer');

core('the guard refuses node: imports (control: the Node adapter imports node:http)', async () => {
  const run = await runGuarded(`await import('./transport/http/node-adapter.ts');`, ANY_BUILTIN, 'source');
  assert.not.ok(run.ok);
  assert.match(run.stderr, /import refused: node:http/);
});

core('the Buffer watcher sees project code using Buffer (control: the SSE decoder)', async () => {
  const run = await runGuarded(WATCH_BUFFER + `
const { createSseDecoder } = await import('./transport/sse/decode.ts');
createSseDecoder({ onEvent() {}, onError() {} }).push(new TextEncoder().encode('data: x\\n\\n'));
process.stdout.write(JSON.stringify(bufferUses));`, /^$/, 'source');
  assert.ok(run.ok, run.stderr);
  assert.match(run.stdout, /transport\/sse\/decode\.ts/);
});

core('initialize and tools/call through handle(Request) with every builtin refused', async () => {
  const run = await runGuarded(SERVE, ANY_BUILTIN, 'source');
  assert.ok(run.ok, run.stderr);
  const out = JSON.parse(run.stdout) as { sessionId: string; version: string; ack: number; content: unknown; bufferUses: string[] };
  assert.equal(out.bufferUses, [], 'Buffer used by the core');
  assert.ok(/^[A-Za-z0-9_-]{32}$/.test(out.sessionId), out.sessionId);
  assert.is(out.version, '2025-11-25');
  assert.is(out.ack, 202);
  assert.equal(out.content, [{ type: 'text', text: 'echo: hi' }]);
});

core.run();
