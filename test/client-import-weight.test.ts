// What `import('mcpwire/client')` loads (issue #20 item 3): not undici (~110 CommonJS modules,
// ~520 KB minified), which the HTTP client transport loads when it starts. Each probe runs in
// a fresh Node process (test/import-guard.ts) and counts the undici files in require.cache.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runGuarded } from './import-guard.ts';

const UNDICI = /^undici(\/|$)/;
const NOTHING = /^$/;
const countUndici = `
const count = () => Object.keys(Module._cache).filter((f) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(f)).length;
`;

const weight = suite('import weight: mcpwire/client loads undici only with an HTTP transport');

weight('importing mcpwire/client and running a client over memory imports no undici', async () => {
  const run = await runGuarded(`${countUndici}
const { createClient } = await import('mcpwire/client');
const { createServer } = await import('mcpwire/server');
const { createMemoryPair } = await import('mcpwire/transport');
const [a, b] = createMemoryPair();
await createServer({ name: 's', version: '1' }).connect(b);
const client = createClient({ name: 'c', version: '1' });
await client.connect(a);
await client.ping();
await client.close();
process.stdout.write('undici files: ' + count());
`, UNDICI, 'source');
  assert.ok(run.ok, run.stderr);
  assert.is(run.stdout, 'undici files: 0');
});

weight('starting an HTTP client transport loads undici', async () => {
  const run = await runGuarded(`${countUndici}
const { createHttpClientTransport } = await import('mcpwire/client');
const transport = createHttpClientTransport({ url: 'http://127.0.0.1:9/mcp' });
const before = count();
await transport.start({ onMessage() {}, onError() {}, onClose() {} });
process.stdout.write(before + ' then ' + (count() > 0 ? 'some' : 'none'));
await transport.close();
`, NOTHING, 'source');
  assert.ok(run.ok, run.stderr);
  assert.is(run.stdout, '0 then some');
});

weight.run();
