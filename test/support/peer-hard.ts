/**
 * The hard walk's server (session 20, peerwalk): what peers' clients meet beyond the basics.
 * Lists paged by 3 (12 resources, 7 prompts, 6 tools), a result of 1 MB of multibyte text,
 * unicode titles and arguments, a long call with progress and a form asked mid-run, short calls
 * to run many at once, a call that waits to be cancelled. Test-only: the node interop tests
 * use it in process, test/peer-hard-server.ts serves it to the Python walk.
 */
import { createServer, type McpServer } from 'mcpwire/server';

/** 95,000 times 11 UTF-8 bytes: 1,045,000 bytes, with 4-byte characters across every chunk. */
export const BIG = 'αβγ😀x'.repeat(95_000);
/** Unicode a peer must carry unchanged: CJK, an emoji, a combining accent, U+2028, quotes. */
export const UNICODE = '日本語 😀 é\u0301 \u2028 "q" \\';

/** The hard walk's server; `cancelled` resolves when `slow` sees its abort. */
export function hardServer(): { server: McpServer; cancelled: Promise<void> } {
  const server = createServer({ name: 'hard', version: '1.0.0' }, { pageSize: 3 });
  let sawAbort!: () => void;
  const cancelled = new Promise<void>((resolve) => { sawAbort = resolve; });
  let cancels = 0;
  server.tool({
    name: 'echo', title: 'Écho ✓ 工具', description: 'Echoes unicode.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  }, async ({ text }) => `«${text}»`);
  server.tool({ name: 'big', description: 'A 1 MB multibyte text.' }, async () => BIG);
  server.tool({
    name: 'long', description: 'Progress each step; halfway it asks whether to go on.',
    inputSchema: { type: 'object', properties: { steps: { type: 'integer', minimum: 2 } }, required: ['steps'] },
  }, async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      await ctx.progress(i, steps, `step ${i} ✓`);
      if (i === Math.floor(steps / 2)) {
        const answer = await ctx.elicit({ message: 'Go on? ¿Seguir?', requestedSchema: { type: 'object', properties: { go: { type: 'boolean' } }, required: ['go'] } }, { key: 'go' });
        if (answer.action !== 'accept' || answer.content?.go !== true) return `stopped at ${i}`;
      }
    }
    return `done ${steps}`;
  });
  server.tool({
    name: 'tick', description: 'Two progress steps, then n back.',
    inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  }, async ({ n }, ctx) => {
    await ctx.progress(1, 2, `${n} a`);
    await new Promise((resolve) => setTimeout(resolve, 2 * (n % 5)));
    await ctx.progress(2, 2, `${n} b`);
    return String(n);
  });
  server.tool({ name: 'slow', description: 'Waits until cancelled.' }, (_args, ctx) => new Promise<string>((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => { cancels++; sawAbort(); reject(new Error('cancelled')); }, { once: true });
  }));
  server.tool({ name: 'ping_me', description: 'Answers pong and how many `slow` calls saw their cancel.' }, async () => ({
    content: [{ type: 'text', text: 'pong' }], structuredContent: { cancels },
  }));
  for (let i = 0; i < 12; i++) server.resource({ uri: `data://r/${i}`, name: `r${i}-ñ`, mimeType: 'text/plain' }, () => `resource ${i}`);
  for (let i = 0; i < 7; i++) {
    server.prompt({ name: `p${i}`, title: `Prompt ${i} ✓`, arguments: [{ name: 'topic', required: true }] }, (args) => `${i}: ${String(args.topic)}`);
  }
  return { server, cancelled };
}
