// `mcpwire serve --http --host 0.0.0.0` serves clients that reach it as 127.0.0.1 or by one of
// the machine's own addresses (sent as the Host header over 127.0.0.1), takes more names and
// origins from --allowed-hosts / --allowed-origins, and still answers 403 to any other Host
// or Origin (DNS-rebinding defence; issue #10, item 10). Tests connect to 127.0.0.1 only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { killed, startServe, type ServeProcess } from './serve-process.ts';

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

/** POST initialize to 127.0.0.1:`port` with the given Host (and Origin); resolves with the status. */
async function initializeWith(port: number, host: string, origin?: string): Promise<number> {
  const res = await request(`http://127.0.0.1:${port}/mcp`, {
    method: 'POST',
    headers: { host, accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: initialize,
    headersTimeout: 10_000,
  });
  await res.body.text();
  return res.statusCode;
}

/** A non-loopback IPv4 address of this machine, if it has one. */
function ownAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}

const bind = suite('serve --http --host 0.0.0.0');
let serve: ServeProcess | undefined;
let port = 0;

bind.before(async () => {
  serve = await startServe(['--host', '0.0.0.0', '--allowed-hosts', 'mcp.example,Other.Example:8443', '--allowed-origins', 'https://app.example']);
  port = Number(new URL(serve.url).port);
});
bind.after(async () => {
  if (serve) await killed(serve.child);
});

bind('reached as 127.0.0.1 and localhost, it answers', async () => {
  assert.is(await initializeWith(port, `127.0.0.1:${port}`), 200);
  assert.is(await initializeWith(port, `localhost:${port}`), 200);
});

bind('a Host naming one of the machine\'s own addresses is accepted', async () => {
  const own = ownAddress();
  if (!own) {
    console.log('  (skipped: this machine has no non-loopback IPv4 address)');
    return;
  }
  assert.is(await initializeWith(port, `${own}:${port}`), 200);
});

bind('--allowed-hosts adds names (a name alone means the server\'s own port)', async () => {
  assert.is(await initializeWith(port, `mcp.example:${port}`), 200);
  assert.is(await initializeWith(port, 'other.example:8443'), 200);
  assert.is(await initializeWith(port, 'mcp.example:1'), 403, 'another port of an allowed name');
});

bind('any other Host is still refused with 403', async () => {
  assert.is(await initializeWith(port, `evil.example:${port}`), 403);
  assert.is(await initializeWith(port, `0.0.0.0.evil.example:${port}`), 403);
});

bind('--allowed-origins adds origins; any other Origin is refused with 403', async () => {
  assert.is(await initializeWith(port, `127.0.0.1:${port}`, 'https://app.example'), 200);
  assert.is(await initializeWith(port, `127.0.0.1:${port}`, `http://127.0.0.1:${port}`), 200);
  assert.is(await initializeWith(port, `127.0.0.1:${port}`, 'https://evil.example'), 403);
});

bind.run();
