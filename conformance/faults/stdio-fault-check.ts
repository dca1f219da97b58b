/**
 * `check` run on a stdio server seeded with one fault (stdio-server.ts modes), for the stdio
 * fault test files, split by kind so each stays well inside the test runner's per-file bound.
 */
import { fileURLToPath } from 'node:url';
import { runCheck } from '../check/runner.ts';
import type { CheckReport } from '../check/report.ts';
import type { StdioMode } from './stdio-server.ts';

const script = fileURLToPath(new URL('./stdio-server.ts', import.meta.url));

/** The report, the rules failed (MUST or SHOULD, each once, in order) and their details. */
export async function checkStdioFault(mode: StdioMode): Promise<{ report: CheckReport; failedRules: string[]; details: string }> {
  const target = { kind: 'stdio' as const, command: process.execPath, args: ['--conditions=mcpwire-source', '--import', 'tsx', script, mode] };
  const report = await runCheck({ target, timeoutMs: 15_000, stdioExitMs: 3_000, listenTrigger: 'touch' });
  const failed = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
  return { report, failedRules: [...new Set(failed.map((f) => f.id))], details: failed.map((f) => `${f.id}: ${f.detail}`).join('\n') };
}
