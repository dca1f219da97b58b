/**
 * The sixth peer walk's server (session 27), for peers' clients in other processes: resources
 * (a template with a unicode value and completion, a binary blob, one to subscribe to and a
 * tool that changes it), a prompt with arguments and completion, a tool that logs at each level,
 * progress with total and message, a tool named with astral and combining characters' text,
 * 1 MB of text, a quick tool for a cancel that races its result; every list in pages of two.
 * `stdio` serves both eras on stdin/stdout; `http [modern]` listens on a loopback port and prints
 * `listening on URL`. Test-only.
 */
import { createServer } from 'mcpwire/server';
import { servePeer } from './support/peer-serve.ts';

const server = createServer({ name: 'walk6', version: '1.0.0' }, { pageSize: 2 });
const BLOB = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256));
server.resource({ uri: 'data://blob', name: 'blob', mimeType: 'application/octet-stream' }, (uri) => ({ uri, mimeType: 'application/octet-stream', blob: BLOB.toString('base64') }));
let version = 1;
server.resource({ uri: 'data://watched', name: 'watched', mimeType: 'text/plain' }, () => `version ${version}`);
for (let i = 0; i < 3; i++) server.resource({ uri: `data://r${i}`, name: `r${i}` }, () => `r${i}`);
server.resourceTemplate(
  { uriTemplate: 'data://items/{name}', name: 'item', mimeType: 'text/plain', complete: { name: (v) => ['α', 'β', 'e\u0301', '𝔘'].filter((o) => o.startsWith(v)) } },
  (uri, { name }) => ({ uri, mimeType: 'text/plain', text: `item=${String(name)}` }),
);
server.prompt(
  {
    name: 'poem', arguments: [{ name: 'theme', required: true }, { name: 'style' }],
    complete: { theme: (v) => ['nature', 'naïve', 'nuit 🌙', 'love'].filter((o) => o.startsWith(v)), style: (v, { arguments: a }) => [`${a.theme ?? ''}:${v}`] },
  },
  ({ theme, style }) => `Write a ${style ?? 'free'} poem about ${theme}`,
);
server.tool({ name: 'touch', description: 'Changes data://watched.' }, async () => {
  version += 1;
  await server.resourceUpdated('data://watched');
  return `version ${version}`;
});
server.tool({ name: 'logs', description: 'Logs once at each level.' }, async (_args, ctx) => {
  for (const level of ['debug', 'info', 'warning', 'error'] as const) await ctx.log(level, `${level}-msg`);
  return 'logged';
});
server.tool({ name: 'steps', description: 'n progress steps.', inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
  async (args: { n: number }, ctx) => {
    for (let i = 1; i <= args.n; i++) await ctx.progress(i, args.n, `étape ${i} 𝄞`);
    return `did ${args.n}`;
  });
server.tool({ name: 'echo', description: 'Echoes texte.', inputSchema: { type: 'object', properties: { texte: { type: 'string' } }, required: ['texte'] } },
  (args: { texte: string }) => args.texte);
server.tool({ name: 'big', description: 'n code points of text.', inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
  (args: { n: number }) => [...'é😀a'.repeat(Math.ceil(args.n / 3))].slice(0, args.n).join(''));
server.tool({ name: 'quick', description: 'Returns x.', inputSchema: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] } },
  (args: { x: number }) => String(args.x));

await servePeer(server);
