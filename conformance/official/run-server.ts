/**
 * Server leg of the official conformance suite: start our fixture server
 * (`mcpwire serve --http --fixtures`) on 127.0.0.1 and a free port, run
 * `conformance server --requirements <revision>` against it (or `--spec-version <revision>`:
 * every active scenario of an older revision, which has no frozen list), and judge every
 * check against `baseline-server-<revision>.yml` (none: every check must pass). Scored and not-scored scenarios both count: the goal is
 * zero failures and zero warnings everywhere. The last line is "N passed, M failed" (checks;
 * warnings count as failed). Exit 1 on a regression, a stale baseline entry, a required
 * scenario without a result, or a suite run that failed.
 *
 * Usage (after `npm run build`):
 *   node --import tsx conformance/official/run-server.ts [--requirements 2025-11-25 | --spec-version 2025-06-18] [--baseline FILE] [--out DIR] [--timeout-ms N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge, type ScenarioResult } from './baseline.ts';
import { legRun } from './leg.ts';
import { parseScenarioList, readResults, ROOT, runSuite, tally } from './suite.ts';

/** How long the fixture server may take to print its address. */
const SERVER_READY_MS = 15_000;

interface StartedServer {
  url: string;
  /** Absent for a server started by someone else (MCPWIRE_OFFICIAL_SERVER_URL). */
  child?: ChildProcess;
  log: () => string;
}

/** Start `mcpwire serve --http --fixtures` on port 0 and read the URL it prints. */
function startServer(): Promise<StartedServer> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mcpwire.js'), 'serve', '--http', '--fixtures', '--host', '127.0.0.1', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${message}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`the fixture server did not report its address within ${SERVER_READY_MS} ms`), SERVER_READY_MS);
    child.once('error', (e) => fail(`could not start the fixture server: ${e.message}`));
    child.once('exit', (code) => fail(`the fixture server exited early (code ${code})`));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: m[1] as string, child, log: () => stderr });
      }
    });
  });
}

/** Stop the server we started (by its own handle), SIGKILL if it lingers. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function line(result: ScenarioResult | undefined, name: string): string {
  if (!result) return `  ✗ ${name}: no result`;
  const t = tally([result]);
  const bad = t.failed + t.warnings;
  const detail = `${t.passed} passed${t.failed ? `, ${t.failed} failed` : ''}${t.warnings ? `, ${t.warnings} warnings` : ''}`;
  return `  ${bad === 0 && t.passed > 0 ? '✓' : '✗'} ${name}: ${detail}`;
}

async function main(): Promise<number> {
  const { revision, selection, listArgs, timeoutMs, baselineFile, baseline, expectedFailures, out, resultsDir } = await legRun('server');

  const listLog = join(out, `list-${revision}.txt`);
  if (await runSuite({ args: listArgs, logFile: listLog, timeoutMs: 60_000 }) !== 0) {
    process.stdout.write(`could not list the scenarios of ${revision}; see ${listLog}\n0 passed, 1 failed\n`);
    return 1;
  }
  const required = parseScenarioList(readFileSync(listLog, 'utf8'), 'server');

  // Another harness (test/scale/official-two.ts: instances behind a proxy) may run the server.
  const external = process.env.MCPWIRE_OFFICIAL_SERVER_URL;
  const server: StartedServer = external ? { url: external, log: () => '' } : await startServer();
  const suiteLog = join(out, `server-${revision}.txt`);
  let code: number | null;
  try {
    code = await runSuite({
      args: ['server', '--url', server.url, ...selection, ...expectedFailures, '-o', resultsDir, '--timeout', '30000'],
      logFile: suiteLog,
      timeoutMs,
    });
  } finally {
    if (server.child) await stopServer(server.child);
  }

  const results = readResults(resultsDir, 'server-');
  const byName = new Map(results.map((r) => [r.scenario, r]));
  const problems: string[] = [];
  // A scenario with only SKIPPED/INFO checks is a problem when scored; a not-scored one
  // (tasks-status-notifications is always skipped) is only reported.
  const report = (title: string, names: readonly string[], gating = true) => {
    const group = names.map((n) => byName.get(n)).filter((r): r is ScenarioResult => r !== undefined);
    const t = tally(group);
    process.stdout.write(`${title} (${group.length}/${names.length} ran): ${t.passed} passed, ${t.failed} failed, ${t.warnings} warnings\n`);
    for (const n of names) process.stdout.write(`${line(byName.get(n), n)}\n`);
    for (const n of names) {
      const r = byName.get(n);
      if (!r) problems.push(`${n}: no result`);
      else if (!r.checks.some((c) => c.status === 'SUCCESS' || c.status === 'FAILURE' || c.status === 'WARNING')) {
        if (gating) problems.push(`${n}: nothing exercised (only SKIPPED/INFO checks)`);
        else process.stdout.write(`  note: ${n}: nothing exercised (only SKIPPED/INFO checks)\n`);
      }
    }
  };
  process.stdout.write(`official conformance suite, server leg, revision ${revision}\n`);
  report('scored', required.scored);
  report('not scored', required.notScored, false);
  const known = new Set([...required.scored, ...required.notScored]);
  const extra = results.filter((r) => !known.has(r.scenario));
  if (extra.length > 0) report('other', extra.map((r) => r.scenario));

  const verdict = judge(results, baseline.server);
  for (const r of verdict.regressions) problems.push(`regression: ${r}`);
  for (const s of verdict.stale) problems.push(`stale baseline entry (it passes now; remove it): ${s}`);
  for (const e of verdict.expected) process.stdout.write(`  ~ expected failure (baseline): ${e}\n`);
  if (code !== 0) problems.push(`the suite exited with ${code === null ? 'a timeout' : `code ${code}`}; see ${suiteLog}`);

  const serverErrors = server.log().split('\n').filter((l) => l.trim() !== '' && !l.includes('listening on'));
  if (serverErrors.length > 0) process.stdout.write(`note: the fixture server reported ${serverErrors.length} error line(s), e.g. ${serverErrors[0]}\n`);
  for (const p of problems) process.stdout.write(`PROBLEM ${p}\n`);
  process.stdout.write(`results: ${out}\n`);
  const all = tally(results);
  const otherProblems = problems.length - verdict.regressions.length; // regressions are already counted as checks
  process.stdout.write(`${all.passed} passed, ${all.failed + all.warnings + otherProblems} failed\n`);
  return problems.length > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stdout.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n0 passed, 1 failed\n`);
  process.exitCode = 1;
});
