/**
 * stdio clients for `mcpwire check --client -- <this> <mode> {server}`: mcpwire's own client
 * (`good`, `modern-good`) and raw broken ones, one defect each. The words after the mode are
 * the server command. Usage: node --import tsx conformance/faults/stdio-client.ts <mode> <command...>.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, createStdioClientTransport } from 'mcpwire/client';

/** Each mode and the rule `mcpwire check --client` must fail for it (none for the good ones). */
export const STDIO_CLIENT_FAULTS = {
  good: undefined,
  'modern-good': undefined,
  /** Sends tools/list before notifications/initialized. */
  'no-initialized': 'client.initialize-first',
  /** Declares roots, then never answers the server's roots/list. */
  'roots-unanswered': 'client.answers',
  /** Sends tools/list twice with the same id (the second after the first was answered). */
  'reuses-ids': 'jsonrpc.id-unique',
  /** Cancels its initialize once answered (a cleanup that cancels every id it sent). */
  'cancels-initialize': 'client.cancel-initialize',
  /** 2026-07-28: answers the InputRequiredResult's roots request as a JSON-RPC response (id: the request's key), as 2025-11-25 answered roots/list. */
  'modern-answers-input': 'client.modern-response',
  /** Lists the tools, then GETs each http(s) `$ref` of their schemas (a validator with remote references on). */
  'fetches-network-ref': 'client.network-ref',
} as const;
export type StdioClientMode = keyof typeof STDIO_CLIENT_FAULTS;

async function own(modern: boolean, command: string, args: string[]): Promise<void> {
  const client = createClient({ name: 'stdio-client-good', version: '1.0.0' }, {
    onElicit: () => ({ action: 'accept', content: { name: 'check' } }),
    // A model that uses the first offered tool unless toolChoice is "none" (2026-07-28 declares sampling.tools: client.sampling-tool-choice).
    onSample: (params) => (params.tools?.[0] !== undefined && params.toolChoice?.mode !== 'none'
      ? { role: 'assistant', content: { type: 'tool_use', id: 'stdio-use-1', name: params.tools[0].name, input: {} }, model: 'stdio-client', stopReason: 'toolUse' }
      : { role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'stdio-client' }),
    roots: [{ uri: 'file:///stdio-client', name: 'root' }],
    ...(modern ? { protocolVersion: '2026-07-28', era: 'modern' as const, sampling: { tools: true } } : {}),
  });
  await client.connect(createStdioClientTransport({ command, args, stderr: 'ignore' }));
  for (const tool of await client.listTools()) await client.callTool(tool.name, {}, { onProgress: () => undefined, timeoutMs: 10_000 });
  await client.close();
}

/** A raw client: writes `script` one line at a time, each after the answer (or request) it waits for. */
async function raw(mode: StdioClientMode, command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const next = (test: (m: Record<string, unknown>) => boolean) => new Promise<void>((resolve) => {
    const on = (line: string) => { if (test(JSON.parse(line) as Record<string, unknown>)) { lines.off('line', on); resolve(); } };
    lines.on('line', on);
  });
  const send = (m: unknown) => child.stdin!.write(`${JSON.stringify(m)}\n`);
  if (mode === 'modern-answers-input') {
    await answersInput(send, next, lines);
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));
    return;
  }
  const caps = mode === 'roots-unanswered' ? { roots: {} } : {};
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: caps, clientInfo: { name: `stdio-client-${mode}`, version: '1.0.0' } } });
  await next((m) => m.id === 1);
  if (mode === 'reuses-ids') {
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    for (let i = 0; i < 2; i++) {
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      await next((m) => m.id === 2);
    }
  } else if (mode === 'cancels-initialize') {
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'cleanup' } });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await next((m) => m.id === 2);
  } else if (mode === 'fetches-network-ref') {
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const listed = new Promise<string>((resolve) => lines.on('line', (line) => { if ((JSON.parse(line) as { id?: unknown }).id === 2) resolve(line); }));
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    for (const [, url] of (await listed).matchAll(/"\$ref":"(https?:[^"]+)"/g)) await fetch(url!).then((r) => r.text());
  } else if (mode === 'no-initialized') {
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await next((m) => m.id === 2);
  } else {
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'check_ask', arguments: {} } });
    await next((m) => m.method === 'roots/list');
  }
  child.stdin!.end();
  await new Promise((resolve) => child.once('exit', resolve));
}

/** 2026-07-28 with roots declared: check_ask's InputRequiredResult, each input request answered as a response of its own, then the retry. */
async function answersInput(send: (m: unknown) => void, next: (test: (m: Record<string, unknown>) => boolean) => Promise<void>, lines: ReturnType<typeof createInterface>): Promise<void> {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { roots: {} }, 'io.modelcontextprotocol/clientInfo': { name: 'stdio-client-modern-answers-input', version: '1.0.0' } };
  send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } });
  await next((m) => m.id === 1);
  let asked: Record<string, unknown> = {};
  let state: unknown;
  lines.on('line', (line) => {
    const m = JSON.parse(line) as { id?: unknown; result?: { inputRequests?: Record<string, unknown>; requestState?: unknown } };
    if (m.id === 2 && m.result?.inputRequests !== undefined) asked = m.result.inputRequests;
    if (m.id === 2) state = m.result?.requestState;
  });
  send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { _meta: meta, name: 'check_ask', arguments: {} } });
  await next((m) => m.id === 2);
  const answers = Object.fromEntries(Object.keys(asked).map((key) => [key, { roots: [{ uri: 'file:///stdio-client', name: 'root' }] }]));
  for (const [key, result] of Object.entries(answers)) send({ jsonrpc: '2.0', id: key, result });
  send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { _meta: meta, name: 'check_ask', arguments: {}, inputResponses: answers, ...(state === undefined ? {} : { requestState: state }) } });
  await next((m) => m.id === 3);
}

/** Run as a script (the test imports only the table above). */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, command, ...args] = process.argv.slice(2);
  if (mode === undefined || command === undefined || !(mode in STDIO_CLIENT_FAULTS)) {
    process.stderr.write(`usage: stdio-client.ts <${Object.keys(STDIO_CLIENT_FAULTS).join('|')}> <server command...>\n`);
    process.exit(2);
  }
  const m = mode as StdioClientMode;
  if (m === 'good' || m === 'modern-good') await own(m === 'modern-good', command, args);
  else await raw(m, command, args);
}
