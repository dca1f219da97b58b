/**
 * The outputs of a check run: readable text with a summary table, JSON, and JUnit XML (one
 * test case per finding, a failure per failed MUST or SHOULD).
 */
import { summarize, type Finding, type Severity, type Summary } from './findings.ts';

/** What a run produced. */
export interface CheckReport {
  /** What was checked: the URL, the command line, or the client command. */
  readonly target: string;
  /** The eras the target was found to speak. */
  readonly eras: readonly string[];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly findings: readonly Finding[];
  readonly summary: Summary;
}

/** Assemble a report; the summary is computed from `findings`. */
export function makeReport(target: string, eras: readonly string[], startedAt: Date, findings: readonly Finding[]): CheckReport {
  return { target, eras, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), findings, summary: summarize(findings) };
}

const SEVERITIES: readonly Severity[] = ['MUST', 'SHOULD', 'info'];

/** The summary table: one row per severity, columns pass / fail / skip. */
export function summaryTable(summary: Summary): string {
  const rows = [['severity', 'pass', 'fail', 'skip'], ...SEVERITIES.map((s) => [s, ...(['pass', 'fail', 'skip'] as const).map((o) => String(summary.counts[s][o]))])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return rows.map(line).join('\n');
}

/** Readable text: failures first (MUST, then SHOULD, then info), then a summary table and the verdict. */
export function formatText(report: CheckReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [`mcpwire check: ${report.target}`, `eras: ${report.eras.join(', ') || '(none detected)'}`, ''];
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const failed = report.findings.filter((f) => f.outcome === 'fail').sort((a, b) => rank(a) - rank(b));
  for (const f of failed) {
    out.push(`FAIL ${f.severity.padEnd(6)} ${f.id} [${f.era}] ${f.title}`);
    out.push(`     ${f.detail}`);
    out.push(`     spec: ${f.section}`);
    // A client's output may span lines and end in a newline: each line under "seen:", none empty at the end.
    if (f.exchange !== undefined) out.push(`     seen: ${f.exchange.trimEnd().replaceAll('\n', '\n           ')}`);
    out.push(`     fix:  ${f.fix}`);
  }
  if (options.verbose === true) {
    for (const f of report.findings.filter((x) => x.outcome !== 'fail')) out.push(`${f.outcome.toUpperCase()} ${f.severity.padEnd(6)} ${f.id} [${f.era}] ${f.detail}`);
  }
  const notRun = options.verbose === true ? [] : notRunLines(report.findings);
  out.push(...notRun);
  if (failed.length > 0 || notRun.length > 0 || options.verbose === true) out.push('');
  out.push(summaryTable(report.summary), '');
  const verdict = report.summary.passed ? 'result: no MUST failure' : `result: ${report.summary.counts.MUST.fail} MUST failure(s)`;
  out.push(couldNotRun(report) ? `${verdict}; the check could not run: no era was checked` : verdict);
  return `${out.join('\n')}\n`;
}

/** The detail of a rule the run could not reach (no era checked); `formatText` lists them under one line. */
export const NOT_RUN_PREFIX = 'not run: ';

/**
 * True when no era could be checked: the target was not reached, did not start, or opened no
 * session (`mcpwire check` exits 3). A session that opened and then stopped is a failing
 * server (exit 1), not a check that could not run.
 */
export function couldNotRun(report: CheckReport): boolean {
  const reach = report.findings.filter((f) => f.id === 'run.reachable');
  return report.eras.length === 0 && reach.some((f) => f.outcome === 'fail') && !reach.some((f) => f.outcome === 'pass');
}

/** The rules left unrun, grouped by why: a line with the count and reason, then their ids. */
function notRunLines(findings: readonly Finding[]): string[] {
  const byWhy = new Map<string, string[]>();
  for (const f of findings) {
    if (f.outcome !== 'skip' || !f.detail.startsWith(NOT_RUN_PREFIX)) continue;
    const why = f.detail.slice(NOT_RUN_PREFIX.length);
    byWhy.set(why, [...(byWhy.get(why) ?? []), f.id]);
  }
  const out: string[] = [];
  for (const [why, ids] of byWhy) {
    out.push(`NOT RUN ${ids.length} rule(s): ${why}`);
    let line = '    ';
    for (const id of ids) {
      if (line.length + id.length > 100) { out.push(line); line = '    '; }
      line += ` ${id}`;
    }
    out.push(line);
  }
  return out;
}

/** The report as JSON (stable field order). */
export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 has no place for most control characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one suite, one test case per finding; info failures are reported as skipped with their detail. */
export function formatJunit(report: CheckReport): string {
  const cases = report.findings.map((f) => {
    const name = xml(`${f.id} [${f.era}] ${f.detail}`);
    const head = `    <testcase classname="mcpwire.check.${xml(f.severity)}" name="${name}">`;
    if (f.outcome === 'skip' || (f.outcome === 'fail' && f.severity === 'info')) return `${head}<skipped message="${xml(f.detail)}"/></testcase>`;
    if (f.outcome === 'pass') return `${head}</testcase>`;
    const body = xml([`spec: ${f.section}`, f.exchange !== undefined ? `seen: ${f.exchange}` : '', `fix: ${f.fix}`].filter(Boolean).join('\n'));
    return `${head}<failure type="${xml(f.severity)}" message="${xml(f.title)}">${body}</failure></testcase>`;
  });
  const failures = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').length;
  const skipped = report.findings.filter((f) => f.outcome === 'skip' || (f.outcome === 'fail' && f.severity === 'info')).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mcpwire check" tests="${report.findings.length}" failures="${failures}">`,
    `  <testsuite name="${xml(report.target)}" tests="${report.findings.length}" failures="${failures}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
