// A server on an in-process stdio transport (two PassThrough streams), and its answers read
// line by line as they come: for tests that write raw lines and check each reply.
import { PassThrough } from 'node:stream';
import { serveEras, type McpServer } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';

/** One line the server wrote, parsed. */
export interface StdioAnswer {
  id?: number | string;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * Connect `server` to in-process stdio; `line(n)` waits for its n-th output line (1-based),
 * at most 10 s.
 * With `eras`, served as `mcpwire serve --stdio` serves it: the first request decides the era;
 * `eras: 'modern'` serves the 2026-07-28 era only (ServeErasOptions.eras).
 */
export async function stdioLines(server: McpServer, options: { eras?: boolean | 'modern' } = {}): Promise<{ stdin: PassThrough; line(n: number): Promise<StdioAnswer> }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: string[] = [];
  let buffered = '';
  let wake: (() => void) | undefined;
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    wake?.();
  });
  const transport = createStdioServerTransport({ stdin, stdout, onDiagnostic: () => {} });
  if (options.eras) void serveEras(server, transport, { onError: () => {}, ...(options.eras === 'modern' ? { eras: 'modern' as const } : {}) }).catch(() => {});
  else await server.connect(transport);
  return {
    stdin,
    async line(n) {
      // Bounded, so a line that never comes fails the test naming it instead of hanging it.
      while (lines.length < n) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no output line ${n} within 10 s (${lines.length} so far)`)), 10_000);
          wake = () => { clearTimeout(timer); resolve(); };
        });
      }
      return JSON.parse(lines[n - 1]!) as StdioAnswer;
    },
  };
}
