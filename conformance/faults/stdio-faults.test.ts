// stdio framing: each broken stdio server is found with exactly its seeded rule (mcpwire's own
// stdio server, clean, is in stdio-clean.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import { STDIO_FAULT_TIMEOUT_MS, stdioFaultTarget } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import type { Finding } from '../check/findings.ts';
import { STDIO_FAULTS, STDIO_CANCEL_ZERO_MODES, STDIO_CRASH_MODES, STDIO_ID_MODES, STDIO_INPUT_MODES, STDIO_JSONRPC_MODES, STDIO_LISTEN_MODES, STDIO_MODERN_MODES, STDIO_PROGRESS_MODES, STDIO_FIELDS_MODES, STDIO_REQUEST_MODES, STDIO_DRIVEN_MODES, STDIO_TASK_PUSH_MODES, type StdioMode } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio framing fault');

async function findings(mode: StdioMode): Promise<readonly Finding[]> {
  const target = await stdioFaultTarget(mode);
  const report = await runCheck({ target, timeoutMs: STDIO_FAULT_TIMEOUT_MS, stdioExitMs: 3_000 });
  return report.findings;
}

const failed = (all: readonly Finding[]) => all.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);

// The stdin-reading faults run in stdio-input-faults.test.ts (session 19: with the listen, task and
// cancellation probes one file of five took 199 s at load average 10), the JSON-RPC faults in
// stdio-jsonrpc-faults.test.ts, the listen faults in stdio-listen-faults.test.ts,
// the task and cancellation ones in stdio-modern-faults.test.ts, the id fault in stdio-id-faults.test.ts,
// the progress fault in stdio-progress-faults.test.ts, the clean servers in stdio-clean.test.ts: one
// file for all took longer than the runner's bound per file on a loaded machine. (Until session 23
// the id and progress faults also ran here, twice per full run; the id fault alone waits out a
// whole exchange bound for the ping it never answers.) Session 27: the field faults in
// stdio-fields-faults.test.ts, server requests and outside-listen notifications in
// stdio-request-faults.test.ts, task pushes in stdio-task-push-faults.test.ts.
const elsewhere = [STDIO_JSONRPC_MODES, STDIO_MODERN_MODES, STDIO_FIELDS_MODES, STDIO_REQUEST_MODES, STDIO_DRIVEN_MODES, STDIO_TASK_PUSH_MODES, STDIO_LISTEN_MODES, STDIO_INPUT_MODES, STDIO_ID_MODES, STDIO_PROGRESS_MODES, STDIO_CANCEL_ZERO_MODES, STDIO_CRASH_MODES];
const here = (Object.entries(STDIO_FAULTS) as [StdioMode, string | undefined][]).filter(([mode, rule]) => rule !== undefined && !elsewhere.some((modes) => modes.has(mode)));
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(here.map(([mode]) => mode), findings);
for (const [mode, rule] of here) {
  stdio(`${mode} is found as ${rule}, and nothing else`, async () => {
    const got = failed(await checked(mode));
    assert.equal([...new Set(got.map((f) => f.split(':')[0]))], [rule], got.join('\n'));
  });
}

stdio.run();
