// stdio servers that lose input (each read split on newlines with its tail dropped; only a read's
// first line handled): each is found as stdio.framing-input, and nothing else. The other framing
// faults are in stdio-faults.test.ts; one file for all took 199 s at load average 10, near the runner's 240 s bound.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../check/runner.ts';
import { STDIO_FAULTS, STDIO_INPUT_MODES } from './stdio-server.ts';

const script = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));
const stdio = suite('check finds each seeded stdio input fault');

for (const mode of STDIO_INPUT_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const target = { kind: 'stdio' as const, command: process.execPath, args: ['--conditions=source', '--import', 'tsx', script, mode] };
    const report = await runCheck({ target, timeoutMs: 15_000, stdioExitMs: 3_000 });
    const got = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
    assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
  });
}

stdio.run();
