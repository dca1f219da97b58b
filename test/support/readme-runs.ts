// How package-types runs the README's ```ts snippets once compiled against the packed tarball:
// a snippet keyed by one of its lines gets real values for the names it takes from the page
// (where readme-snippets.ts only declares them) and an epilogue that uses what it built and
// prints one JSON line, compared with `expect`. The stdio server snippet is run as the child of
// a driver instead. A snippet with no entry here is type-checked only, for the reason in SKIPPED.

/** A snippet run in one module: `prelude`, the snippet, `epilogue`; stdout is `expect` as JSON. */
export interface SnippetRun { marker: string; prelude: string; epilogue: string; expect: unknown }

/** Connects a client to `server` over a memory pair in the given era (both eras are served). */
const CONNECT = `
import { serveEras as serveBoth } from 'mcpwire/server';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';
async function connectIn(era: 'legacy' | 'modern', onElicit?: () => { action: 'accept'; content: Record<string, number> }) {
  const [a, b] = createMemoryPair();
  void serveBoth(server, b);
  const client = createClient({ name: 'readme', version: '1' }, { era, ...(onElicit ? { onElicit } : {}) });
  await client.connect(a);
  return client;
}
const textOf = (r: { content: Array<{ type: string; text?: string }> }) => r.content.map((c) => c.text ?? c.type).join('');`;

export const RUNS: SnippetRun[] = [
  {
    marker: "import * as z from 'zod';",
    prelude: "import { createServer } from 'mcpwire/server';\nconst server = createServer({ name: 'zod', version: '1' });",
    epilogue: `${CONNECT}
const out: unknown[] = [];
for (const era of ['legacy', 'modern'] as const) {
  await using client = await connectIn(era, () => ({ action: 'accept', content: { seats: 2 } }));
  const booked = await client.callTool('book', { city: 'Oslo' });
  const prompt = await client.getPrompt('review', { path: 'a.ts' });
  out.push([era, booked.structuredContent, prompt.messages[0]?.content]);
}
process.stdout.write(JSON.stringify(out));`,
    expect: ['legacy', 'modern'].map((era) => [era, { reference: 'Oslo-1-2' }, { type: 'text', text: 'Review a.ts.' }]),
  },
  {
    marker: "import * as v from 'valibot';",
    prelude: "import { createServer } from 'mcpwire/server';\nconst info = { name: 'valibot', version: '1' };",
    epilogue: `${CONNECT}
const out: unknown[] = [];
for (const era of ['legacy', 'modern'] as const) {
  await using client = await connectIn(era);
  const good = await client.callTool('find', { city: 'Oslo' });
  const bad = await client.callTool('find', { city: 'O' });
  out.push([era, textOf(good), bad.isError === true, textOf(bad).includes('/city')]);
}
process.stdout.write(JSON.stringify(out));`,
    expect: ['legacy', 'modern'].map((era) => [era, 'Oslo', true, true]),
  },
  {
    marker: "server.resource({ uri: 'docs://guide'",
    prelude: [
      "import { createServer } from 'mcpwire/server';",
      "const server = createServer({ name: 'resources', version: '1' });",
      "const userIds = ['ada', 'alan', 'grace'];",
      "const users = new Map([['ada', JSON.stringify({ name: 'Ada' })]]);",
      "function files(typed: string, _chosen: Record<string, string> | undefined): string[] { return ['a.ts', 'b.ts'].filter((f) => f.startsWith(typed)); }",
    ].join('\n'),
    epilogue: `${CONNECT}
const out: unknown[] = [];
for (const era of ['legacy', 'modern'] as const) {
  await using client = await connectIn(era);
  const guide = await client.readResource('docs://guide');
  const ada = await client.readResource('users://ada/profile');
  const ids = await client.complete({ type: 'ref/resource', uri: 'users://{id}/profile' }, { name: 'id', value: 'a' });
  const paths = await client.complete({ type: 'ref/prompt', name: 'review' }, { name: 'path', value: 'b' });
  const missing = await client.readResource('users://nobody/profile').then(() => 'read', (e: Error) => e.message);
  out.push([era, guide.contents[0], (ada.contents[0] as { text?: string }).text, ids.values, paths.values, missing]);
}
process.stdout.write(JSON.stringify(out));`,
    expect: ['legacy', 'modern'].map((era) => [era, { uri: 'docs://guide', mimeType: 'text/markdown', text: '# Guide' }, '{"name":"Ada"}', ['ada', 'alan'], ['b.ts'], 'Resource not found']),
  },
  {
    marker: "const guard = createProtectedResource({",
    prelude: '',
    epilogue: `
const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } };
const reply = await handler.handle(new Request('http://127.0.0.1/mcp', { method: 'POST', body: JSON.stringify(init), headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }));
const metadata = await handler.handle(new Request('http://127.0.0.1/.well-known/oauth-protected-resource/mcp'));
await handler.close();
process.stdout.write(JSON.stringify([reply.status, /^Bearer /.test(reply.headers.get('www-authenticate') ?? ''), metadata.status, (await metadata.json() as { resource?: string }).resource]));`,
    expect: [401, true, 200, 'https://mcp.example/mcp'],
  },
];

/**
 * The stdio server snippet, run as a child process of this driver (its compiled path is
 * `SNIPPET`): a client of each era calls `count` with progress and answers its question.
 */
export const STDIO_RUN = {
  marker: 'await serveEras(server, createStdioServerTransport());',
  driver: `
import { createClient, createStdioClientTransport } from 'mcpwire/client';
const out: unknown[] = [];
for (const era of ['legacy', 'modern'] as const) {
  const client = createClient({ name: 'driver', version: '1' }, { era, onElicit: () => ({ action: 'accept', content: { yes: true } }) });
  await client.connect(createStdioClientTransport({ command: process.execPath, args: [SNIPPET] }));
  const steps: number[] = [];
  const result = await client.callTool('count', { steps: 3 }, { onProgress: (p) => { steps.push(p.progress); } });
  await client.close();
  out.push([era, result.content[0], steps]);
}
process.stdout.write(JSON.stringify(out));`,
  expect: ['legacy', 'modern'].map((era) => [era, { type: 'text', text: 'counted to 3 (accept)' }, [1, 2, 3]]),
};

/** Why a snippet is type-checked and not run, keyed by one of its lines. */
export const SKIPPED: Array<{ marker: string; reason: string }> = [
  { marker: 'app.use(express.json());', reason: 'mounts one handler in five frameworks, Bun and Deno' },
  { marker: 'const auth = createOAuthClient({', reason: 'needs an authorization server and a browser to sign in' },
];
