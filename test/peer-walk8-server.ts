/**
 * The eighth peer walk's server (session 32), for peers' clients in other processes: a URL-mode
 * question, a sampling request offering a tool (the model's tool use answered with a result, a
 * second request for the final text), roots, a structured result with an output schema, and a
 * tool that fails. `stdio` serves both eras on stdin/stdout; `http` listens on a loopback port
 * and prints `listening on URL`. Test-only (test/interop-python/py_client_walk8.py).
 */
import { createServer } from 'mcpwire/server';
import { servePeer } from './support/peer-serve.ts';

const server = createServer({ name: 'walk8', version: '1.0.0' });
server.tool({ name: 'sign_in', description: 'Sends the user to a URL (URL-mode elicitation).' }, async (_a, ctx) => {
  const answer = await ctx.elicit({ mode: 'url', message: 'Sign in at the bank', url: 'https://bank.example/login?x=é' }, { key: 'login' });
  return `sign in: ${answer.action}`;
});
const WEATHER = { name: 'weather', description: 'Weather of a city', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
server.tool({ name: 'plan', description: 'Asks the model with a tool offered, answers its tool use, asks again.' }, async (_a, ctx) => {
  const first = [{ role: 'user' as const, content: { type: 'text' as const, text: 'weather in Paris?' } }];
  const reply = await ctx.sample({ messages: first, maxTokens: 50, tools: [WEATHER], toolChoice: { mode: 'required' } }, { key: 'one' });
  const blocks = Array.isArray(reply.content) ? reply.content : [reply.content];
  const use = blocks.find((b) => b.type === 'tool_use') as { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> } | undefined;
  if (!use) return `no tool use: ${reply.stopReason}`;
  const final = await ctx.sample({ messages: [...first, { role: 'assistant', content: [use] },
    { role: 'user', content: [{ type: 'tool_result', toolUseId: use.id, content: [{ type: 'text', text: 'sunny' }] }] }], maxTokens: 50, tools: [WEATHER] }, { key: 'two' });
  const text = (Array.isArray(final.content) ? final.content[0] : final.content) as { text?: string };
  return `plan: ${use.name}(${JSON.stringify(use.input)}) -> ${text.text} [${final.stopReason}]`;
});
server.tool({ name: 'roots', description: 'The client\'s roots.' }, async (_a, ctx) => `roots: ${(await ctx.listRoots({ key: 'roots' })).map((r) => r.uri).join(',')}`);
server.tool({
  name: 'forecast', description: 'A structured result.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  outputSchema: { type: 'object', properties: { city: { type: 'string' }, degrees: { type: 'number' } }, required: ['city', 'degrees'] },
}, (args: { city: string }) => ({ structuredContent: { city: args.city, degrees: 21.5 }, content: [{ type: 'text', text: `${args.city}: 21.5` }] }));
server.tool({ name: 'broken', description: 'Always fails.' }, () => { throw new Error('out of order é'); });

await servePeer(server, process.argv.slice(2, 3));
