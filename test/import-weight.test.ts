// What `import('mcpwire/server')` loads: a server never needs the HTTP client (undici, ~110
// CommonJS modules) nor the stdio client's child_process. Each probe imports an entry in a
// fresh Node process where importing or requiring undici or child_process fails, and also
// counts the undici files in require.cache.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runGuarded, type GuardedRun } from './import-guard.ts';

const hasDist = existsSync(fileURLToPath(new URL('../dist/server/index.js', import.meta.url)));
const CLIENT_ONLY = /^(node:)?child_process$|^undici(\/|$)/;

function probe(entry: string, from: 'source' | 'dist'): Promise<GuardedRun> {
  return runGuarded(`
await import(${JSON.stringify(entry)});
const cache = Object.keys(Module._cache).filter((f) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(f));
process.stdout.write('undici files: ' + cache.length);
`, CLIENT_ONLY, from);
}

const weight = suite('import weight: mcpwire/server and mcpwire/transport load neither undici nor child_process');

weight('the guard refuses the client transports (control: mcpwire/client imports child_process; undici only when an HTTP transport starts)', async () => {
  const run = await probe('mcpwire/client', 'source');
  assert.not.ok(run.ok, run.stdout);
  assert.match(run.stderr, /import refused: (undici|node:child_process)/);
});

for (const entry of ['mcpwire/server', 'mcpwire/transport']) {
  weight(`${entry} (sources) imports no undici and no child_process`, async () => {
    const run = await probe(entry, 'source');
    assert.ok(run.ok, run.stderr);
    assert.is(run.stdout, 'undici files: 0');
  });
}

weight('mcpwire/server and mcpwire/transport (sources) import no jose: a JWT or DPoP check loads it when it first runs', async () => {
  const run = await runGuarded(`
const { createJwtVerifier } = await import('mcpwire/server');
await import('mcpwire/transport');
createJwtVerifier({ issuer: 'https://issuer.example', audience: 'https://resource.example', jwksUrl: 'https://issuer.example/jwks' });
process.stdout.write('no jose');
`, /^jose(\/|$)/, 'source');
  assert.ok(run.ok, run.stderr);
  assert.is(run.stdout, 'no jose');
});

if (!hasDist) console.log('  (built-package probe skipped: no dist/, run npm run build)');
(hasDist ? weight : weight.skip)('mcpwire/server (built dist/) imports no undici and no child_process', async () => {
  const run = await probe('mcpwire/server', 'dist');
  assert.ok(run.ok, run.stderr);
  assert.is(run.stdout, 'undici files: 0');
});

weight.run();
