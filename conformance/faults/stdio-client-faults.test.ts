// `mcpwire check --client` for stdio clients ({server} in the command): our own client passes in
// both eras, each broken raw client is found with exactly its seeded rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runClientCheck } from '../check/client-check.ts';
import { bundledScript } from '../../test/support/bundled-script.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_CLIENT_FAULTS, type StdioClientMode } from './stdio-client.ts';

const script = fileURLToPath(new URL('./stdio-client.ts', import.meta.url));
const clients = suite('check --client over stdio');

const check = async (mode: StdioClientMode) => runClientCheck({ command: [process.execPath, ...await bundledScript(script), mode, '{server}'], timeoutMs: 60_000 });

for (const [mode, era] of [['good', '2025-11-25'], ['modern-good', '2026-07-28']] as const) {
  clients(`mcpwire's own stdio client (${era}) fails no rule and its messages were seen`, async () => {
    const report = await check(mode);
    assert.equal(report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`), []);
    assert.equal(report.eras, [era]);
    assert.ok(report.findings.some((f) => f.id === 'client.schema' && f.outcome === 'pass'));
    assert.ok(report.findings.some((f) => f.id === 'client.session-id' && f.outcome === 'skip'), 'HTTP rules skipped over stdio');
    if (mode === 'modern-good') assert.ok(report.findings.some((f) => f.id === 'client.modern-response' && f.outcome === 'pass' && f.era === 'modern'), 'client.modern-response judged');
    if (mode === 'good') assert.ok(report.findings.some((f) => f.id === 'client.cancel-initialize' && f.outcome === 'pass'), 'client.cancel-initialize judged');
    // Session 33: sampling with tools over stdio, refused when undeclared (2025-11-25), honoured when declared (2026-07-28).
    const sampling = mode === 'good' ? 'client.sampling-tools-undeclared' : 'client.sampling-tool-choice';
    assert.ok(report.findings.some((f) => f.id === sampling && f.outcome === 'pass'), `${sampling} judged`);
    // Session 38: check_schema_ref's network $ref listed over stdio, never fetched.
    assert.ok(report.findings.some((f) => f.id === 'client.network-ref' && f.outcome === 'pass'), 'client.network-ref judged');
  });
}

const seeded = (Object.entries(STDIO_CLIENT_FAULTS) as [StdioClientMode, string | undefined][]).filter(([, rule]) => rule !== undefined);
/** The checks mostly wait (the client's steps and exits): they run two at a time from the start. */
const checked = overlapped(seeded.map(([mode]) => mode), check);
for (const [mode, rule] of seeded) {
  clients(`${mode} is found as ${rule}, and nothing else`, async () => {
    const report = await checked(mode);
    const got = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
    assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
  });
}

clients.run();
