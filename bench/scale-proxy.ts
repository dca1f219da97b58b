/**
 * The round-robin proxy of bench row s, in its own process (a load balancer is not the
 * client's event loop): request k goes to backend k mod N whatever its session, no
 * affinity. Streams are piped both ways; the Host header passes through (instances accept it
 * with --allowed-hosts). Every answer carries `x-bench-backend: <index>` so the client can
 * tell which instance served it.
 *
 * Control on stdin, one line each, answered on stdout: `use PORT,PORT...` (the backends for
 * what follows) -> `ok`. It prints `proxy http://127.0.0.1:PORT` once listening and exits
 * when stdin ends (so it never outlives the bench).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

let ports: number[] = [];
let next = 0;

const server = createServer((req, res) => {
  if (ports.length === 0) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('bench proxy: no backends');
  const backend = next++ % ports.length;
  const upstream = request({ host: '127.0.0.1', port: ports[backend], method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-bench-backend': String(backend) });
    answer.pipe(res);
    answer.on('close', () => { if (!answer.complete) res.destroy(); });
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`bench proxy: ${error.message}`);
    else res.destroy();
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`proxy http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const match = /^use ([\d,]+)$/.exec(line.trim());
  if (!match) return void process.stdout.write(`error: unknown command ${JSON.stringify(line)}\n`);
  ports = match[1]!.split(',').map(Number);
  next = 0;
  process.stdout.write('ok\n');
}).on('close', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
