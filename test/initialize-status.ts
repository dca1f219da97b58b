// A raw 2025-11-25 initialize POSTed to a loopback listen with a chosen Host header, for the
// tests of the handlers' Host checks (which a client library's own Host would hide).
import { request } from 'node:http';

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** POST initialize to 127.0.0.1:`port`/mcp with the Host header `host`; resolves with the status. */
export function initializeStatus(port: number, host = `127.0.0.1:${port}`): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/mcp', method: 'POST',
      headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(INIT);
  });
}
