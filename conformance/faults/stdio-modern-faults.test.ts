// stdio servers that break the tasks extension's terminal status, or cancellation (in both eras):
// each is found with exactly its seeded rule. The listen faults are in stdio-listen-faults.test.ts,
// the framing ones in stdio-faults.test.ts, the JSON-RPC ones in stdio-jsonrpc-faults.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../check/runner.ts';
import { STDIO_FAULTS, STDIO_MODERN_MODES } from './stdio-server.ts';

const script = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));
const stdio = suite('check finds each seeded stdio task and cancellation fault');

for (const mode of STDIO_MODERN_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const target = { kind: 'stdio' as const, command: process.execPath, args: ['--conditions=source', '--import', 'tsx', script, mode] };
    const report = await runCheck({ target, timeoutMs: 15_000, stdioExitMs: 3_000 });
    const got = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
    assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
    // Cancellation is probed in both eras over stdio: a server that loses notifications/cancelled fails both.
    if (mode === 'late-answer-after-cancel') assert.equal(new Set(report.findings.filter((f) => f.id === rule && f.outcome === 'fail').map((f) => f.era)), new Set(['legacy', 'modern']));
  });
}

stdio.run();
