// The report as a user reads it when the command is not an MCP server, or stops being one:
// a program that prints a usage text and exits, one that prints a banner and waits, and a
// server that crashes on its first tools/call. Each run says what happened, once per era,
// and ends in bounded time: no wait runs to the 60 s start bound once the process has written
// to stdout or exited, and no rule is failed for requests made to a process that is gone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import type { CheckReport } from '../check/report.ts';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';

const stdio = suite('check: a stdio command that is not an MCP server, or crashes mid-check');

/** A node program given as source; the check runs with a 3 s exchange bound and the default 60 s start bound. */
async function check(source: string): Promise<{ report: CheckReport; failed: string[]; ms: number }> {
  const started = Date.now();
  const report = await runCheck({ target: { kind: 'stdio', command: process.execPath, args: ['-e', source] }, timeoutMs: 3_000, stdioExitMs: 3_000 });
  return { report, failed: report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id} [${f.era}]: ${f.detail}`), ms: Date.now() - started };
}

// Before: the check itself crashed (EPIPE written to the exited process), and each probe waited
// the whole 60 s start bound (131 s at --timeout 5000).
stdio('a program that prints a usage text and exits: run.reachable says it exited and what it wrote; no crash; well under one start bound', async () => {
  const { failed, ms } = await check("console.log('usage: foo [options]'); process.exit(1)");
  // Whether the write of initialize or the read of the close comes first is the machine's
  // race (a loaded CI saw the write fail with EPIPE): either way the finding names the exit,
  // its code and what the program wrote.
  assert.ok(failed.some((f) => /^run\.reachable \[legacy\]: initialize failed: (connection closed|the message could not be written): .*exited with code 1; stdout had 1 line\(s\) that are not JSON-RPC/.test(f)), failed.join('\n'));
  assert.ok(failed.some((f) => f.startsWith('stdio.stdout-messages')), failed.join('\n'));
  assert.ok(ms < 45_000, `took ${ms} ms`);
});

// Before: 184 s at --timeout 5000, and "initialize timed out after 60000 ms".
stdio('a program that prints a banner and waits: run.reachable asks whether it is an MCP server, after the exchange bound, not the start bound', async () => {
  const { failed, ms } = await check("console.log('Welcome to FooTool v1.2'); process.stdin.resume()");
  assert.ok(failed.some((f) => /^run\.reachable \[legacy\]: initialize got no answer within 3000 ms of the first line on stdout; .*is the command an MCP server\?$/.test(f)), failed.join('\n'));
  assert.ok(ms < 45_000, `took ${ms} ms`);
});

// Before: 80 s, the listen and cancellation probes and three tool rules failed for requests to
// the exited process, and the legacy era was never driven ("stdio checks stopped: cannot send
// resources/list: session is closed").
stdio('a server that exits on its first tools/call: found as run.reachable alone, in both eras, with its exit code', async () => {
  const started = Date.now();
  const { failedRules, details } = await checkStdioFault('crashes-on-call');
  assert.equal(failedRules, ['run.reachable'], details);
  assert.match(details, /the server process exited \(3\) during the 2026-07-28 probes, after tools\/call/);
  // The request in flight is named (before: only the error).
  assert.match(details, /stdio checks stopped: during tools\/call \(id \d+\): connection closed: server process .* exited with code 3/);
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});

stdio.run();
