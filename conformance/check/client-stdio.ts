/**
 * A stdio client under test (2025-11-25 basic/transports: stdio): the client's command names
 * `{server}` where the server command goes; that becomes a tiny Node relay that joins the
 * child's stdin/stdout to a loopback socket, behind which the scripted server runs in this
 * process (either era, picked by the client's first message). Each connection's messages go
 * through the schema tap; handshake order, capability gating and answers are judged from them.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { serveEras, type McpServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';
import type { JsonRpcMessage, SendOptions, Transport, TransportHandlers } from 'mcpwire/protocol';
import { createSchemaTap, type SchemaTap } from '../tap.ts';
import type { FindingRecorder } from './findings.ts';
import { VALIDATOR_RULE_IDS } from './validator-rules.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The placeholder for the server command in a stdio client's command. */
export const SERVER_PLACEHOLDER = '{server}';
/**
 * Methods of capabilities the scripted server does not declare (it declares tools, and logging
 * for check_progress's log): calling them breaks 2025-11-25 basic/lifecycle (operation).
 */
export const UNDECLARED = /^(prompts|resources|completion)\//;
/** The same in 2026-07-28, where logging/* is no method at all. */
const MODERN_UNDECLARED = /^(prompts|resources|completion|logging)\//;

// The relay: stdin -> socket, socket -> stdout; exits when either side ends.
const RELAY_JS = "const s=require('net').connect(Number(process.argv[1]),'127.0.0.1');process.stdin.pipe(s);s.pipe(process.stdout);s.on('close',()=>process.exit(0));s.on('error',()=>process.exit(1));";

/** The words of the relay command for `port`. */
export function relayCommand(port: number): string[] {
  return [process.execPath, '-e', RELAY_JS, String(port)];
}

/** `command` with `{server}`: a whole argument becomes the relay's words; inside an argument, the shell-quoted command. */
export function expandServer(command: readonly string[], port: number): string[] {
  const words = relayCommand(port);
  const quoted = words.map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(' ');
  return command.flatMap((part) => (part === SERVER_PLACEHOLDER ? words : [part.replaceAll(SERVER_PLACEHOLDER, quoted)]));
}

/**
 * `inner` with each message it sends passed through `rewrite` first (a batch, 2025-03-26 only, as
 * it is), and `heard` told of each message it delivers, as it arrives.
 */
function rewriting(inner: Transport, rewrite: (message: JsonRpcMessage) => JsonRpcMessage, heard: () => void): Transport {
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'send') return (message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions) => target.send(Array.isArray(message) ? message : rewrite(message), options);
      if (key === 'start') return (handlers: TransportHandlers) => target.start({ ...handlers, onMessage: (payload, extra, size) => { heard(); handlers.onMessage(payload, extra, size); } });
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The scripted server behind the relay, with each connection tapped. */
export interface StdioClientHost {
  readonly port: number;
  /** Connections the client opened. */
  readonly taps: readonly SchemaTap[];
  close(): Promise<void>;
}

/**
 * Listen on loopback for relay connections; each gets a fresh scripted server. `rewrite`
 * changes each server message after the tap recorded it, and `heard` is told of each client
 * message as it arrives (client-sampling-tools.ts).
 */
export async function hostStdioClients(makeServer: () => McpServer, rewrite: (message: JsonRpcMessage) => JsonRpcMessage = (m) => m, heard: () => void = () => undefined): Promise<StdioClientHost> {
  const taps: SchemaTap[] = [];
  const sockets = new Set<Socket>();
  const net: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the client went away: what it sent is judged, not how it left
    const stdio = createStdioServerTransport({ stdin: socket, stdout: socket, onDiagnostic: () => undefined });
    const tap = createSchemaTap(rewriting(stdio, rewrite, heard), { side: 'server', record: true });
    taps.push(tap);
    serveEras(makeServer(), tap, { onEnd: () => socket.end() }).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => { net.once('error', reject); net.listen(0, '127.0.0.1', () => resolve()); });
  const address = net.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port, taps,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
    },
  };
}

/** The rules a stdio client is held to on every connection (client.modern-response too, when it spoke 2026-07-28). */
export const STDIO_CLIENT_RULES = ['client.schema', 'client.initialize-first', 'client.capability-gating', 'client.answers', 'client.request-state', 'client.cancel-initialize', 'client.roots-file-uri'] as const;

/** The HTTP client rules a stdio client is not judged by, skipped with that reason. */
export function skipHttpClientRules(rec: FindingRecorder): void {
  for (const id of ['client.accept', 'client.session-id', 'client.protocol-version-header', 'client.reinitialize', 'client.resume'] as const) rec.skip(id, 'an HTTP rule: the client ran over stdio', 'any');
}

/** Judge what the client sent on each connection. */
export function judgeStdioClient(rec: FindingRecorder, taps: readonly SchemaTap[]): void {
  if (taps.length === 0) {
    rec.fail('client.initialize-first', 'the client never started the server command ({server})', undefined, 'any');
    return;
  }
  let modernLines = 0; // client messages on connections that spoke 2026-07-28
  for (const [n, tap] of taps.entries()) {
    const where = `stdio connection ${n + 1}`;
    for (const v of tap.violations) if (v.direction === 'client-to-server') rec.fail(VALIDATOR_RULE_IDS[v.definition] ?? 'client.schema', `${where}: ${v.message} [${v.definition}: ${v.detail}]`, v.raw, 'any');
    const sent = tap.messages.filter((m) => m.direction === 'client-to-server').map((m) => m.message).filter(isObj);
    const first = sent.find((m) => typeof m.method === 'string');
    const modern = first?.method === 'server/discover' || (isObj(first?.params) && isObj(first.params._meta) && 'io.modelcontextprotocol/protocolVersion' in first.params._meta);
    if (modern) modernLines += sent.length;
    if (!modern) judgeHandshake(rec, where, sent);
    if (!modern) judgeCancelledInitialize(rec, where, sent);
    for (const m of sent) {
      // 2025-11-25 basic/lifecycle: the scripted server declares tools and logging (2026-07-28 has no logging/* methods).
      if (typeof m.method === 'string' && (modern ? MODERN_UNDECLARED : UNDECLARED).test(m.method)) rec.fail('client.capability-gating', `${where}: ${m.method} called; the scripted server declares only tools${modern ? '' : ' and logging'}`, m, 'any');
    }
    judgeRequestState(rec, where, tap);
    const answered = new Set(sent.filter((m) => !('method' in m) && 'id' in m).map((m) => String(m.id)));
    const asked = tap.messages.filter((m) => m.direction === 'server-to-client').map((m) => m.message).filter((m): m is Obj => isObj(m) && typeof m.method === 'string' && 'id' in m);
    const left = asked.filter((m) => !answered.has(String(m.id)));
    if (left.length > 0) rec.fail('client.answers', `${where}: ${left.length} server request(s) never answered: ${left.map((m) => String(m.method)).join(', ')}`, left[0], 'any');
  }
  for (const id of STDIO_CLIENT_RULES) {
    if (!rec.findings.some((f) => f.id === id && f.outcome === 'fail')) rec.pass(id, `${taps.length} stdio connection(s) kept the rule`, 'any');
  }
  // 2026-07-28 stdio: "The client MUST NOT write JSON-RPC responses" (a failure comes from the validator).
  if (modernLines > 0 && !rec.findings.some((f) => f.id === 'client.modern-response' && f.outcome === 'fail')) rec.pass('client.modern-response', `none of the client's ${modernLines} 2026-07-28 line(s) was a JSON-RPC response`, 'modern');
  skipHttpClientRules(rec);
}

/** 2025-11-25 schema.json, CancelledNotification: "A client MUST NOT attempt to cancel its `initialize` request." */
function judgeCancelledInitialize(rec: FindingRecorder, where: string, sent: readonly Obj[]): void {
  const key = (id: unknown): string => `${typeof id}:${String(id)}`;
  const ids = new Set(sent.filter((m) => m.method === 'initialize' && 'id' in m).map((m) => key(m.id)));
  const cancel = sent.find((m) => m.method === 'notifications/cancelled' && isObj(m.params) && ids.has(key(m.params.requestId)));
  if (cancel) rec.fail('client.cancel-initialize', `${where}: notifications/cancelled names ${JSON.stringify((cancel.params as Obj).requestId)}, the id of the client's initialize request`, cancel, 'any');
}

/** 2025-11-25 basic/lifecycle: initialize first; only pings before notifications/initialized. */
function judgeHandshake(rec: FindingRecorder, where: string, sent: readonly Obj[]): void {
  const requests = sent.filter((m) => typeof m.method === 'string');
  if (requests[0]?.method !== 'initialize') {
    rec.fail('client.initialize-first', `${where}: the first message was ${String(requests[0]?.method ?? 'none')}, not initialize`, requests[0], 'any');
    return;
  }
  const initialized = requests.findIndex((m) => m.method === 'notifications/initialized');
  const early = requests.slice(1, initialized < 0 ? undefined : initialized).find((m) => 'id' in m && m.method !== 'ping');
  if (early) rec.fail('client.initialize-first', `${where}: ${String(early.method)} before notifications/initialized`, early, 'any');
}

/** 2026-07-28 basic/patterns/mrtr: a retry's requestState is one the server gave, byte for byte. */
function judgeRequestState(rec: FindingRecorder, where: string, tap: SchemaTap): void {
  const issued = new Set<string>();
  for (const { direction, message } of tap.messages) {
    if (!isObj(message)) continue;
    if (direction === 'server-to-client' && isObj(message.result) && typeof message.result.requestState === 'string') issued.add(message.result.requestState);
    const params = direction === 'client-to-server' && isObj(message.params) ? message.params : undefined;
    if (params && 'requestState' in params && (typeof params.requestState !== 'string' || !issued.has(params.requestState))) {
      rec.fail('client.request-state', `${where}: ${String(message.method)} retried with a requestState the server never gave`, message, 'modern');
    }
  }
}
