// stdio servers that break a 2026-07-28 subscriptions/listen rule (the acknowledgement per
// subscription id, a URI not asked for, an ended listen answered): each is found with exactly its
// seeded rule. Tasks and cancellation faults are in stdio-modern-faults.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../check/runner.ts';
import { STDIO_FAULTS, STDIO_LISTEN_MODES } from './stdio-server.ts';

const script = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));
const stdio = suite('check finds each seeded stdio listen fault');

for (const mode of STDIO_LISTEN_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const target = { kind: 'stdio' as const, command: process.execPath, args: ['--conditions=source', '--import', 'tsx', script, mode] };
    const report = await runCheck({ target, timeoutMs: 15_000, stdioExitMs: 3_000 });
    const got = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
    assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
  });
}

stdio.run();
