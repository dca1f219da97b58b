/**
 * `check` run on a stdio server seeded with one fault (conformance/faults/stdio-server.ts
 * modes), for the stdio fault test files, split by kind so each stays well inside the test
 * runner's per-file bound. The server runs bundled (bundled-script.ts): a check starts it nine times.
 */
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../conformance/check/runner.ts';
import type { CheckReport } from '../../conformance/check/report.ts';
import type { StdioMode } from '../../conformance/faults/stdio-server.ts';
import { bundledScript } from './bundled-script.ts';

const script = fileURLToPath(new URL('../../conformance/faults/stdio-server.ts', import.meta.url));

/**
 * The check's bound per exchange. A fresh process's first answer has the start bound (60 s);
 * after that the server answers in milliseconds, and a message a fault loses costs this wait,
 * several times a check (15 s made an input fault's file take two minutes).
 */
export const STDIO_FAULT_TIMEOUT_MS = 5_000;

/** The command line that starts the fault server in `mode`. */
export async function stdioFaultTarget(mode: StdioMode): Promise<{ kind: 'stdio'; command: string; args: string[] }> {
  return { kind: 'stdio', command: process.execPath, args: [...await bundledScript(script), mode] };
}

/** The report, the rules failed (MUST or SHOULD, each once, in order) and their details. */
export async function checkStdioFault(mode: StdioMode): Promise<{ report: CheckReport; failedRules: string[]; details: string }> {
  const report = await runCheck({ target: await stdioFaultTarget(mode), timeoutMs: STDIO_FAULT_TIMEOUT_MS, stdioExitMs: 3_000, listenTrigger: 'touch' });
  const failed = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
  return { report, failedRules: [...new Set(failed.map((f) => f.id))], details: failed.map((f) => `${f.id}: ${f.detail}`).join('\n') };
}
