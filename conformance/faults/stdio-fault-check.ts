/**
 * `check` run on a stdio server seeded with one fault (stdio-server.ts modes), for the stdio
 * fault test files, split by kind so each stays well inside the test runner's per-file bound.
 */
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import type { CheckReport } from '../check/report.ts';
import { STDIO_FAULTS, type StdioMode } from './stdio-server.ts';

const script = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));

/** The report, the rules failed (MUST or SHOULD, each once, in order) and their details. */
export async function checkStdioFault(mode: StdioMode): Promise<{ report: CheckReport; failedRules: string[]; details: string }> {
  const target = { kind: 'stdio' as const, command: process.execPath, args: ['--conditions=mcpwire-source', '--import', 'tsx', script, mode] };
  const report = await runCheck({ target, timeoutMs: 15_000, stdioExitMs: 3_000, listenTrigger: 'touch' });
  const failed = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
  return { report, failedRules: [...new Set(failed.map((f) => f.id))], details: failed.map((f) => `${f.id}: ${f.detail}`).join('\n') };
}

/**
 * A uvu suite with one case per mode: the check of that mode's server fails exactly its seeded
 * rule; `also` asserts more on the details (the finding's words).
 */
export function stdioFaultSuite(title: string, modes: Iterable<StdioMode>, also?: (mode: StdioMode, details: string) => void): void {
  const stdio = suite(title);
  for (const mode of modes) {
    const rule = STDIO_FAULTS[mode];
    stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
      const { failedRules, details } = await checkStdioFault(mode);
      assert.equal(failedRules, [rule], details);
      also?.(mode, details);
    });
  }
  stdio.run();
}
