// A tiny round-robin HTTP proxy on loopback with no affinity: request k goes to backend
// k mod N whatever its session, as a load balancer without sticky routing would send it.
// A backend that refuses the connection (killed) is skipped for the next one. The Host header
// passes through, as behind a real balancer: instances accept it with --allowed-hosts
// (`proxy.allowedHosts`). Streams
// (SSE) are piped both ways; a client that goes away closes the upstream request.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Served {
  method: string;
  /** Index of the backend that answered. */
  backend: number;
  status: number;
}

export interface RoundRobinProxy {
  readonly url: string;
  /** The `--allowed-hosts` value an instance behind it needs. */
  readonly allowedHosts: string;
  /** The instances' ports (requests before this get 503). */
  setBackends(ports: readonly number[]): void;
  /** Every request answered, in order. */
  readonly served: Served[];
  close(): Promise<void>;
}

/** Start the proxy in front of `ports` (127.0.0.1). */
export async function startProxy(path = '/mcp'): Promise<RoundRobinProxy> {
  let ports: readonly number[] = [];
  let next = 0;
  const served: Served[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tries: number): void => {
    if (ports.length === 0) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('proxy: no backends yet');
    const backend = next++ % ports.length;
    const port = ports[backend]!;
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      served.push({ method: req.method ?? '', backend, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      // A backend that dies mid-stream (kill -9) cuts the client's connection too.
      answer.on('close', () => { if (!answer.complete) res.destroy(); });
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (!res.headersSent && error.code === 'ECONNREFUSED' && tries + 1 < ports.length) return forward(req, res, body, tries + 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.message}`);
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => forward(req, res, Buffer.concat(chunks), 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${path}`,
    allowedHosts: `127.0.0.1:${port},localhost:${port}`,
    setBackends: (list) => { ports = [...list]; },
    served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
