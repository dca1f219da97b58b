// One suite for every web framework recipe (examples/recipes/): over loopback, mcpwire's
// client initializes, calls a tool with progress, answers an elicitation, and resumes a
// call whose SSE connection the server cut (Last-Event-ID through the framework).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { registerDemoTools } from 'mcpwire/examples';
import type { Mounted } from '../examples/recipes/mounted.ts';

export type Mount = (handler: McpHttpHandler, options: { port: number }) => Promise<Mounted>;

interface Running { handler: McpHttpHandler; mounted: Mounted; client: McpClient; elicited: string[] }

async function start(mount: Mount): Promise<Running> {
  const server = createServer({ name: 'recipe', version: '1.0.0' });
  registerDemoTools(server);
  let handler: McpHttpHandler | undefined;
  server.tool({ name: 'cut', description: 'Ends its own SSE connection, then reports progress and answers.' }, async (_args, ctx) => {
    const closed = handler!.closeConnection(ctx.sessionId, ctx.requestId);
    await ctx.progress(1, 1, 'after the cut');
    return `closed=${closed}`;
  });
  // Host checks off: the port is known only once the framework listens (see the guards test).
  handler = createMcpHttpHandler(server, { disableHostChecks: true, closableConnections: true, retryMs: 10, keepAliveMs: 0 });
  const mounted = await mount(handler, { port: 0 });
  const elicited: string[] = [];
  const client = createClient({ name: 'recipe-client', version: '1' }, {
    onElicit: async (params) => {
      elicited.push(params.message);
      return { action: 'accept', content: { answer: 'yes' } };
    },
  });
  await client.connect(createHttpClientTransport({ url: mounted.url, reconnect: { initialDelayMs: 10 } }));
  return { handler, mounted, client, elicited };
}

async function stop(run: Running): Promise<void> {
  await run.client.close();
  await run.handler.close();
  await run.mounted.close();
}

const text = (result: { content?: Array<{ type: string; text?: string }> }) => result.content?.map((c) => c.text ?? '').join('');

/** Register and run the recipe suite for `name`. */
export function recipeSuite(name: string, mount: Mount): void {
  const test = suite(`recipe ${name}: initialize, progress, elicitation, resume`);
  test('initialize negotiates a session', async () => {
    const run = await start(mount);
    try {
      assert.is(run.client.serverInfo?.name, 'recipe');
      assert.ok(run.client.protocolVersion);
    } finally { await stop(run); }
  });
  test('a tool call streams its progress, then its result', async () => {
    const run = await start(mount);
    try {
      const progress: number[] = [];
      const result = await run.client.callTool('count', { steps: 3 }, { onProgress: (p) => progress.push(p.progress), timeoutMs: 5_000 });
      assert.equal(progress, [1, 2, 3]);
      assert.is(text(result), 'counted to 3');
    } finally { await stop(run); }
  });
  test('an elicitation reaches the client mid-call and its answer comes back', async () => {
    const run = await start(mount);
    try {
      const result = await run.client.callTool('ask_user', { question: 'Proceed?' }, { timeoutMs: 5_000 });
      assert.equal(run.elicited, ['Proceed?']);
      assert.is(text(result), 'the user answered: yes');
    } finally { await stop(run); }
  });
  test('a call whose connection the server cut resumes with Last-Event-ID and gets its result', async () => {
    const run = await start(mount);
    try {
      const progress: string[] = [];
      const result = await run.client.callTool('cut', {}, { onProgress: (p) => progress.push(p.message ?? ''), timeoutMs: 5_000 });
      assert.is(text(result), 'closed=true');
      assert.equal(progress, ['after the cut']);
    } finally { await stop(run); }
  });
  test.run();
}
