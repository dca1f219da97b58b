// Helpers of the answer re-send tests: test/answer-outage-server.ts as a child process on a
// fixed loopback port, killed with SIGKILL and started again on the same state, and a "gate"
// that holds the port while the server is down: it takes each connection, reads its request
// line and drops it unanswered (a reset to the client), telling the test which POSTs came.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const live = new Set<ChildProcess>();

/** A free loopback port (the server restarts on the same one, so the client's URL holds). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A running test/answer-outage-server.ts. */
export interface OutageServer {
  url: string;
  /** Its stderr so far. */
  log(): string;
  kill9(): Promise<void>;
}

/** Start the server on `state` and `port`; resolves once it listens (20 s at most). */
export async function startOutageServer(state: string, port: number): Promise<OutageServer> {
  const child = spawn(process.execPath, ['--conditions=mcpwire-source', '--import', 'tsx', join(root, 'test/answer-outage-server.ts'), state, String(port)], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 20_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${log}`)); });
  });
  return {
    url,
    log: () => log,
    kill9: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}

/** Kill every server a test left running. */
export async function killOutageServers(): Promise<void> {
  await Promise.all([...live].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

/** The port held while the server is down (see the module comment). */
export interface Gate {
  /** POSTs dropped so far. */
  readonly posts: number;
  /** Resolves when the `n`th POST was dropped. */
  post(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Hold `port` with a {@link Gate}. */
export async function openGate(port: number): Promise<Gate> {
  let posts = 0;
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let head = '';
    socket.setEncoding('latin1');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      head += chunk;
      if (!head.includes('\r\n')) return;
      if (head.startsWith('POST ')) {
        posts++;
        for (const w of waiting.filter((w) => w.n <= posts)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(); }
      }
      socket.resetAndDestroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    get posts() { return posts; },
    post: (n) => (posts >= n ? Promise.resolve() : new Promise<void>((resolve) => { waiting.push({ n, resolve }); })),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.resetAndDestroy();
    }),
  };
}

/** `p`, or a rejection naming `what` after `ms`. */
export async function within<T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer!: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms); });
  try { return await Promise.race([p, late]); } finally { clearTimeout(timer); }
}
