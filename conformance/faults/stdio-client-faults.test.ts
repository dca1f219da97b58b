// `mcpwire check --client` for stdio clients ({server} in the command): our own client passes in
// both eras, each broken raw client is found with exactly its seeded rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runClientCheck } from '../check/client-check.ts';
import { STDIO_CLIENT_FAULTS, type StdioClientMode } from './stdio-client.ts';

const script = fileURLToPath(new URL('./stdio-client.ts', import.meta.url));
const clients = suite('check --client over stdio');

const check = (mode: StdioClientMode) => runClientCheck({ command: [process.execPath, '--conditions=mcpwire-source', '--import', 'tsx', script, mode, '{server}'], timeoutMs: 60_000 });

for (const [mode, era] of [['good', '2025-11-25'], ['modern-good', '2026-07-28']] as const) {
  clients(`mcpwire's own stdio client (${era}) fails no rule and its messages were seen`, async () => {
    const report = await check(mode);
    assert.equal(report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`), []);
    assert.equal(report.eras, [era]);
    assert.ok(report.findings.some((f) => f.id === 'client.schema' && f.outcome === 'pass'));
    assert.ok(report.findings.some((f) => f.id === 'client.session-id' && f.outcome === 'skip'), 'HTTP rules skipped over stdio');
    if (mode === 'modern-good') assert.ok(report.findings.some((f) => f.id === 'client.modern-response' && f.outcome === 'pass' && f.era === 'modern'), 'client.modern-response judged');
    if (mode === 'good') assert.ok(report.findings.some((f) => f.id === 'client.cancel-initialize' && f.outcome === 'pass'), 'client.cancel-initialize judged');
  });
}

for (const [mode, rule] of Object.entries(STDIO_CLIENT_FAULTS)) {
  if (rule === undefined) continue;
  clients(`${mode} is found as ${rule}, and nothing else`, async () => {
    const report = await check(mode as StdioClientMode);
    const got = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
    assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
  });
}

clients.run();
