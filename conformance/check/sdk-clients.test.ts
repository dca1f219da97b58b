// `mcpwire check --client` against the official TypeScript SDK's clients (devDependencies): the
// 1.32 examples that need no input, and a 2.4 client written as its documentation shows
// (test/sdk2-example-client.ts). Pins the client rows of the README's "What it found in other
// implementations" table, each verified by hand against the spec text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientCheck } from './client-check.ts';
import type { CheckReport } from './report.ts';

const sdk = suite('check --client against the official SDK clients');

function failures(report: CheckReport): string[] {
  return report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => f.id);
}

function sdk1Examples(): string {
  const require = createRequire(import.meta.url);
  const resolved = require.resolve('@modelcontextprotocol/sdk/package.json');
  const root = resolved.slice(0, resolved.lastIndexOf(join('@modelcontextprotocol', 'sdk')) + join('@modelcontextprotocol', 'sdk').length);
  return join(root, 'dist', 'esm', 'examples', 'client');
}

// These call the SDK's own example tools, which the scripted server lacks (exit 1 is info);
// what they send on the way is what is checked.
for (const name of ['streamableHttpWithSseFallbackClient', 'parallelToolCallsClient', 'multipleClientsParallel']) {
  sdk(`SDK 1.32 example ${name}: no MUST or SHOULD failure`, async () => {
    const report = await runClientCheck({ command: [process.execPath, join(sdk1Examples(), `${name}.js`), '{url}'], timeoutMs: 60_000 });
    assert.equal(failures(report), [], JSON.stringify(report.findings.filter((f) => f.outcome === 'fail'), null, 1));
    for (const id of ['client.schema', 'client.accept', 'client.session-id', 'client.protocol-version-header', 'client.initialize-first']) {
      assert.ok(report.findings.some((f) => f.id === id && f.outcome === 'pass'), `${id} checked and passed`);
    }
  });
}

sdk('SDK 2.4 client with default options: after a 404 for its session it does not initialize anew (MUST)', async () => {
  const script = fileURLToPath(new URL('../../test/sdk2-example-client.ts', import.meta.url));
  const report = await runClientCheck({ command: [process.execPath, '--conditions=mcpwire-source', '--import', 'tsx', script, '{url}'], timeoutMs: 60_000 });
  assert.equal(failures(report), ['client.reinitialize'], JSON.stringify(report.findings.filter((f) => f.outcome === 'fail'), null, 1));
  assert.ok(report.findings.some((f) => f.id === 'client.resume' && f.outcome === 'pass'), 'it resumed the cut stream');
});

// Session 33: a client on either SDK that declares sampling without tools hands a request that
// offers tools to its sampling handler, and the handler's answer goes back: nothing refuses it.
for (const which of ['sdk1', 'sdk2-legacy'] as const) {
  sdk(`${which === 'sdk1' ? 'SDK 1.32' : 'SDK 2.4'} client declaring sampling without tools answers a sampling request that offers tools (MUST)`, async () => {
    const script = fileURLToPath(new URL('../../test/sdk-sampling-walk18-client.ts', import.meta.url));
    const report = await runClientCheck({ command: [process.execPath, '--conditions=mcpwire-source', '--import', 'tsx', script, which, 'no-tools', '{url}'], timeoutMs: 60_000 });
    assert.equal(failures(report), ['client.sampling-tools-undeclared', 'client.reinitialize'], JSON.stringify(report.findings.filter((f) => f.outcome === 'fail'), null, 1));
    const found = report.findings.find((f) => f.id === 'client.sampling-tools-undeclared')!;
    assert.match(found.exchange ?? '', /"tools":\[\{"name":"check_weather".*"got":\{.*"tool_use"/);
  });
}

sdk.run();
