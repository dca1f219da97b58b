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
} as const;
export type StdioClientMode = keyof typeof STDIO_CLIENT_FAULTS;

async function own(modern: boolean, command: string, args: string[]): Promise<void> {
  const client = createClient({ name: 'stdio-client-good', version: '1.0.0' }, {
    onElicit: () => ({ action: 'accept', content: { name: 'check' } }),
    onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'stdio-client' }),
    roots: [{ uri: 'file:///stdio-client', name: 'root' }],
    ...(modern ? { protocolVersion: '2026-07-28', era: 'modern' as const } : {}),
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
