// A form the host cannot show (a nested object, 2025-11-25 client/elicitation: "flat objects
// with primitive properties only") is refused by the client with -32602 before the host sees
// it (hostwalk7, session 24): the person was told nothing, only the tool's result if it echoed
// the error. The client now reports the refusal, and the host names the call, the server and
// the field.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killAll, spawnHost, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const refused = suite('host: a form it cannot show is named, not dropped in silence');

refused.before(async () => { dir = await tempDir('mcpwire-host-form-refused-'); });
refused.after(async () => {
  await killAll();
  await dir.remove();
});

/**
 * A stdio server whose tool `book` asks `method` with `params`, then answers the call with
 * a result that does not echo the client's answer (as many servers do).
 */
const SERVER = (method: string, params: unknown) => `
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
let call;
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') return send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'nested', version: '1' } } });
  if (m.method === 'tools/list') return send({ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'book', inputSchema: { type: 'object' } }] } });
  if (m.method === 'ping' || m.method === 'logging/setLevel') return send({ jsonrpc: '2.0', id: m.id, result: {} });
  if (m.method === 'tools/call') { call = m.id; return send({ jsonrpc: '2.0', id: 'ask-1', method: ${JSON.stringify(method)}, params: ${JSON.stringify(params)} }); }
  if (m.id === 'ask-1') send({ jsonrpc: '2.0', id: call, result: { content: [{ type: 'text', text: 'nothing booked' }] } });
});`;

async function run(name: string, method: string, params: unknown): Promise<string> {
  const config = join(dir.path, `${name}.json`);
  await writeFile(config, JSON.stringify({ mcpServers: { [name]: { command: process.execPath, args: ['-e', SERVER(method, params)] } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, `state-${name}`), '--exec', 'book']);
  assert.is(await host.exited(30_000), 0);
  assert.match(host.out(), /nothing booked/);
  return host.err() + host.out();
}

refused('a nested field: the call, the server and the field are named', async () => {
  const text = await run('hotel', 'elicitation/create', {
    message: 'Who travels?',
    requestedSchema: { type: 'object', properties: { name: { type: 'string' }, travellers: { type: 'object', properties: { adults: { type: 'integer' } } } } },
  });
  // Before: no line at all; the result said "nothing booked" and that was all.
  assert.match(text, /✗ #1 book: hotel sent a form the host cannot show \(property "travellers" has type "object"; forms allow only .*\(no nesting\)\); it was refused \(-32602\)/);
});

refused('a model request the client refuses is named the same way', async () => {
  const text = await run('model', 'sampling/createMessage', { messages: 'not a list', maxTokens: 10 });
  assert.match(text, /✗ #1 book: model sent a model request the host cannot answer \(.+\); it was refused \(-32602\)/);
});

refused.run();
