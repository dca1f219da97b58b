/**
 * One suite of seeded stdio server faults (stdio-server.ts modes): each mode must be found with
 * exactly its own rule, and nothing else. The stdio fault files share it, split by kind so each
 * file stays well inside the test runner's per-file time bound.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../check/runner.ts';
import type { CheckReport } from '../check/report.ts';
import { STDIO_FAULTS, type StdioMode } from './stdio-server.ts';

const script = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));

/** Run `check` on a stdio server seeded with each of `modes`; `more` adds a mode's own assertions. */
export function runStdioFaultSuite(title: string, modes: Iterable<StdioMode>, more?: (mode: StdioMode, report: CheckReport) => void): void {
  const stdio = suite(title);
  for (const mode of modes) {
    const rule = STDIO_FAULTS[mode];
    stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
      const target = { kind: 'stdio' as const, command: process.execPath, args: ['--conditions=source', '--import', 'tsx', script, mode] };
      const report = await runCheck({ target, timeoutMs: 15_000, stdioExitMs: 3_000 });
      const got = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
      assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
      more?.(mode, report);
    });
  }
  stdio.run();
}
