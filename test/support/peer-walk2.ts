/**
 * The second peer walk's server (session 23): several inputs asked at once (one
 * InputRequiredResult), two rounds in a row (requestState), a resource to watch and a tool that
 * changes it and the tool list, a call that waits to be cancelled, and a tool whose arguments
 * are mirrored into `Mcp-Param-Region` / `Mcp-Param-N` headers. Served to peers' clients in other
 * processes by test/peer-walk2-server.ts, and in process by test/peer-walk2-sdk.test.ts. Test-only.
 */
import { createServer, type McpServer } from 'mcpwire/server';

const FORM = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;

export function walk2Server(): McpServer {
  const server = createServer({ name: 'walk2', version: '1.0.0' });
  let cancels = 0;
  let added = 0;
  server.tool({ name: 'trio', description: 'Asks a name, the model and the roots at once.' }, async (_args, ctx) => {
    const [who, model, roots] = await Promise.all([
      ctx.elicit({ message: 'Name?', requestedSchema: FORM }, { key: 'who' }),
      ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 }, { key: 'model' }),
      ctx.listRoots({ key: 'roots' }),
    ]);
    const said = model.content as { text?: string };
    return `${String(who.content?.name)}|${said.text}|${roots.length}`;
  });
  server.tool({ name: 'twice', description: 'Asks a name, then another: two rounds.' }, async (_args, ctx) => {
    const first = await ctx.elicit({ message: 'First?', requestedSchema: FORM }, { key: 'first' });
    const second = await ctx.elicit({ message: 'Second?', requestedSchema: FORM }, { key: 'second' });
    return `${String(first.content?.name)}+${String(second.content?.name)}`;
  });
  server.resource({ uri: 'data://watched', name: 'watched', mimeType: 'text/plain' }, () => `version ${added}`);
  server.tool({ name: 'touch', description: 'Changes data://watched and adds a tool.' }, async () => {
    added++;
    server.tool({ name: `added_${added}`, description: 'Added by touch.' }, () => 'ok');
    await server.resourceUpdated('data://watched');
    return `touched ${added}`;
  });
  server.tool({ name: 'slow', description: 'Waits until cancelled.' }, (_args, ctx) => new Promise<string>((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => { cancels++; reject(new Error('cancelled')); }, { once: true });
  }));
  server.tool({ name: 'cancels', description: 'How many calls saw their cancel.' }, () => String(cancels));
  server.tool({
    name: 'routed', description: 'Echoes its region, mirrored into Mcp-Param-Region.',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, n: { type: 'integer', 'x-mcp-header': 'N' } }, required: ['region'] },
  }, (args: { region: string; n?: number }) => `${args.region}/${args.n ?? '-'}`);
  return server;
}
