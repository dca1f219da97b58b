// The embedding footprint's split (issue #20 item 3), checked by structure rather than by a
// byte budget that moves with versions: bundled with esbuild --splitting, the server entry
// holds no undici at all, and what a stdio-only client loads at start holds neither undici
// (loaded by the HTTP client transport) nor ajv (loaded when an output schema is checked).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listEntries, measureEntry, packageOf } from './size.ts';

const names = (inputs: Array<[string, number]>): string[] => inputs.map(([name]) => name);

const split = suite('npm run size: what each entry loads');

split('the entries bundled are the ones under bench/size-entries/', () => {
  const entries = listEntries();
  for (const entry of ['server', 'client-stdio', 'client-http', 'sdk1-client']) assert.ok(entries.includes(entry), `${entry} in ${entries.join(', ')}`);
});

split('inputs are grouped by package, or by the library folder they come from', () => {
  assert.is(packageOf('node_modules/undici/lib/core/util.js'), 'undici');
  assert.is(packageOf('node_modules/@modelcontextprotocol/sdk/dist/esm/client/index.js'), '@modelcontextprotocol/sdk');
  assert.is(packageOf('client/client.ts'), 'mcpwire/client');
  assert.is(packageOf('dist/transport/stdio/client.js'), 'mcpwire/transport');
  assert.is(packageOf('bench/size-entries/server.ts'), '(entry)');
});

split('the server entry (one tool, HTTP on node:http, stdio) holds no undici', async () => {
  const server = await measureEntry('server');
  const all = [...names(server.initialInputs), ...names(server.lazyInputs)];
  assert.ok(all.includes('mcpwire/server') && all.includes('mcpwire/transport'), all.join(', '));
  assert.not.ok(all.includes('undici'), `undici is in the server entry: ${all.join(', ')}`);
});

split('a stdio-only client loads neither undici nor ajv at start; both are in chunks behind import()', async () => {
  const client = await measureEntry('client-stdio');
  const initial = names(client.initialInputs);
  assert.ok(initial.includes('mcpwire/client'), initial.join(', '));
  assert.not.ok(initial.includes('undici'), `undici loads with the stdio client: ${initial.join(', ')}`);
  assert.not.ok(initial.includes('ajv'), `ajv loads with the stdio client: ${initial.join(', ')}`);
  assert.ok(names(client.lazyInputs).includes('ajv'), 'ajv is still there, behind import(), for output schemas');
});

split('the HTTP client entry loads undici only behind import(), from the transport', async () => {
  const client = await measureEntry('client-http');
  assert.not.ok(names(client.initialInputs).includes('undici'), names(client.initialInputs).join(', '));
  assert.ok(names(client.lazyInputs).includes('undici'), names(client.lazyInputs).join(', '));
});

split.run();
