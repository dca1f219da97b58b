/**
 * Client leg of the official conformance suite: run `conformance client --requirements
 * <revision>` (or `--spec-version <revision>`, as the server leg) with our client (`mcpwire conformance-client`, which the suite launches once
 * per scenario against its mock servers) and judge every check against
 * `baseline-client-<revision>.yml`. Scored and not-scored scenarios both count, WARNING
 * counts as failing, and the client's exit codes are checked too (the suite ignores them in
 * this mode): a scenario not excused by the baseline must end with exit 0. Only auth/*
 * scenarios may stand in the baseline. The last line is "N passed, M failed" (checks).
 * Exit 1 on a regression, a stale baseline entry, a scenario without a result or with
 * nothing exercised, a failing client exit, or a suite run that failed.
 *
 * Usage (after `npm run build`):
 *   node --import tsx conformance/official/run-client.ts [--requirements 2025-11-25 | --spec-version 2025-06-18] [--baseline FILE] [--out DIR] [--timeout-ms N]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge, type ScenarioResult } from './baseline.ts';
import { legRun } from './leg.ts';
import { parseScenarioList, readResults, runSuite, scenarioOutputTail, tally } from './suite.ts';

/**
 * How long the suite lets one client run before killing it. It starts every scenario's client
 * at once (up to 39 Node processes on 2 cores), so a generous bound keeps a slow start from
 * reading as a failure; a client that hangs is still killed.
 */
const CLIENT_TIMEOUT_MS = 90_000;

/** Scenarios in which the suite itself allows the client to give up with a non-zero exit. */
const MAY_EXIT_NONZERO = new Set([
  'auth/scope-retry-limit', 'auth/resource-mismatch', 'auth/iss-supported-missing', 'auth/iss-wrong-issuer',
  'auth/iss-unexpected', 'auth/iss-normalized', 'auth/metadata-issuer-mismatch', 'http-invalid-tool-headers',
]);

/**
 * The command the suite runs (it appends the URL and splits the string on spaces, so no
 * path in it may contain one). It runs from the checkout's root.
 */
function clientCommand(): string {
  const node = process.execPath.includes(' ') ? 'node' : process.execPath;
  return `${node} bin/mcpwire.js conformance-client`;
}

function line(result: ScenarioResult | undefined, name: string, exit: string | undefined): string {
  const exitNote = exit !== undefined && exit !== '0' ? `, client exit ${exit}` : '';
  if (!result) return `  ✗ ${name}: no result${exitNote}`;
  const t = tally([result]);
  const bad = t.failed + t.warnings;
  const detail = `${t.passed} passed${t.failed ? `, ${t.failed} failed` : ''}${t.warnings ? `, ${t.warnings} warnings` : ''}`;
  return `  ${bad === 0 && t.passed > 0 ? '✓' : '✗'} ${name}: ${detail}${exitNote}`;
}

/** `<scenario> <exit code>` lines our client appended; the last one per scenario wins. */
function readExits(file: string): Map<string, string> {
  const exits = new Map<string, string>();
  if (!existsSync(file)) return exits;
  for (const entry of readFileSync(file, 'utf8').split('\n')) {
    const [name, code] = entry.trim().split(' ');
    if (name && code !== undefined) exits.set(name, code);
  }
  return exits;
}

async function main(): Promise<number> {
  const { revision, selection, listArgs, timeoutMs, baselineFile, baseline, expectedFailures, out, resultsDir } = await legRun('client');
  const problems: string[] = [];
  for (const entry of baseline.client) {
    if (!entry.scenario.startsWith('auth/')) problems.push(`baseline entry ${entry.text}: only auth/* scenarios (waiting for authorization support) may be excused`);
  }

  const listLog = join(out, `list-client-${revision}.txt`);
  if (await runSuite({ args: listArgs, logFile: listLog, timeoutMs: 60_000 }) !== 0) {
    process.stdout.write(`could not list the scenarios of ${revision}; see ${listLog}\n0 passed, 1 failed\n`);
    return 1;
  }
  const required = parseScenarioList(readFileSync(listLog, 'utf8'), 'client');

  // Our client appends "<scenario> <exit code>" here; the suite passes its environment on.
  const exitLog = join(out, `client-exits-${revision}.txt`);
  writeFileSync(exitLog, '');
  process.env.CONFORMANCE_EXIT_LOG = exitLog;
  const suiteLog = join(out, `client-${revision}.txt`);
  const code = await runSuite({
    args: ['client', '--command', clientCommand(), ...selection, ...expectedFailures, '-o', resultsDir, '--timeout', String(CLIENT_TIMEOUT_MS)],
    logFile: suiteLog,
    timeoutMs,
  });

  const results = readResults(resultsDir, '');
  const byName = new Map(results.map((r) => [r.scenario, r]));
  const exits = readExits(exitLog);
  const excused = new Set(baseline.client.filter((e) => e.checkId === undefined).map((e) => e.scenario));
  const report = (title: string, names: readonly string[]) => {
    const group = names.map((n) => byName.get(n)).filter((r): r is ScenarioResult => r !== undefined);
    const t = tally(group);
    process.stdout.write(`${title} (${group.length}/${names.length} ran): ${t.passed} passed, ${t.failed} failed, ${t.warnings} warnings\n`);
    for (const n of names) process.stdout.write(`${line(byName.get(n), n, exits.get(n))}\n`);
    for (const n of names) {
      const r = byName.get(n);
      const exit = exits.get(n);
      if (!r) problems.push(`${n}: no result`);
      else if (!r.checks.some((c) => c.status === 'SUCCESS' || c.status === 'FAILURE' || c.status === 'WARNING')) problems.push(`${n}: nothing exercised (only SKIPPED/INFO checks)`);
      if (excused.has(n) || MAY_EXIT_NONZERO.has(n)) continue;
      if (exit === undefined) problems.push(`${n}: the client recorded no exit code (did it run, or was it killed?)`);
      else if (exit !== '0') problems.push(`${n}: the client exited ${exit}`);
    }
  };
  process.stdout.write(`official conformance suite, client leg, revision ${revision}\n`);
  report('scored', required.scored);
  report('not scored', required.notScored);
  const known = new Set([...required.scored, ...required.notScored]);
  const extra = results.filter((r) => !known.has(r.scenario));
  if (extra.length > 0) report('other', extra.map((r) => r.scenario));

  const verdict = judge(results, baseline.client);
  for (const r of verdict.regressions) problems.push(`regression: ${r}`);
  for (const s of verdict.stale) problems.push(`stale baseline entry (it passes now; remove it): ${s}`);
  const expectedScenarios = new Set(verdict.expected.map((e) => e.split(':')[0]));
  if (expectedScenarios.size > 0) process.stdout.write(`  ~ expected failures (baseline): ${verdict.expected.length} checks in ${expectedScenarios.size} scenarios\n`);
  if (code !== 0) problems.push(`the suite exited with ${code === null ? 'a timeout' : `code ${code}`}; see ${suiteLog}`);

  for (const p of problems) process.stdout.write(`PROBLEM ${p}\n`);
  // What the client printed in each failing scenario, so a CI log alone explains the failure.
  const failing = new Set(problems.map((p) => p.replace(/^regression: /, '').split(/[:]/)[0]!).filter((n) => known.has(n) || byName.has(n)));
  for (const name of failing) {
    const tail = scenarioOutputTail(resultsDir, name);
    if (tail.length > 0) process.stdout.write(`--- ${name}, the client's last output:\n${tail.map((l) => `    ${l}`).join('\n')}\n`);
  }
  process.stdout.write(`results: ${out}\n`);
  const all = tally(results);
  const otherProblems = problems.length - verdict.regressions.length; // regressions are already counted as checks
  // Checks the baseline expects to fail (auth/*, waiting for authorization support) are
  // reported above and left out of the closing count, which counts what is wrong.
  const unexpected = all.failed + all.warnings - verdict.expected.length;
  if (verdict.expected.length > 0) process.stdout.write(`${verdict.expected.length} checks failed as the baseline expects (not counted below)\n`);
  process.stdout.write(`${all.passed} passed, ${unexpected + otherProblems} failed\n`);
  return problems.length > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stdout.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n0 passed, 1 failed\n`);
  process.exitCode = 1;
});
