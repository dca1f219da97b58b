/**
 * The fourth peer walk's server (session 25), for peers' clients in other processes: tools
 * listed in pages of two (a cursor across pages), progress, a JSON-RPC error carrying data,
 * two input rounds in a row. `stdio` serves both eras on stdin/stdout; `http [modern]` listens
 * on a loopback port and prints `listening on URL`. Test-only (test/interop-python/py_client_walk4.py).
 */
import { createServer } from 'mcpwire/server';
import { RpcError } from 'mcpwire/protocol';
import { servePeer } from './support/peer-serve.ts';

const FORM = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;
const server = createServer({ name: 'walk4', version: '1.0.0' }, { pageSize: 2 });
server.tool({ name: 'steps', description: 'Reports n progress steps.', inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
  async (args: { n: number }, ctx) => {
    for (let i = 1; i <= args.n; i++) await ctx.progress(i, args.n, `step ${i}`);
    return `did ${args.n}`;
  });
server.tool({ name: 'fails', description: 'Fails with a JSON-RPC error carrying data.' }, () => {
  throw new RpcError(4001, 'the gauge is broken', { gauge: 7, why: ['cold', 'ünïcode'] });
});
server.tool({ name: 'twice', description: 'Asks a name, then another: two rounds.' }, async (_args, ctx) => {
  const first = await ctx.elicit({ message: 'First?', requestedSchema: FORM }, { key: 'first' });
  const second = await ctx.elicit({ message: 'Second?', requestedSchema: FORM }, { key: 'second' });
  return `${String(first.content?.name)}+${String(second.content?.name)}`;
});
server.tool({ name: 't4', description: 'Filler for the pages.' }, () => 't4');
server.tool({ name: 't5', description: 'Filler for the pages.' }, () => 't5');

await servePeer(server);
