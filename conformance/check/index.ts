/** `mcpwire check`: the runners, their report formats and the rule catalog. */
export { RULE_CATALOG } from './catalog.ts';
export type { RuleId } from './catalog.ts';
export type { Finding, Outcome, RuleDef, RuleFilter, Severity, Summary } from './findings.ts';
export { runCheck, DEFAULT_MAX_VALIDATED, DEFAULT_TIMEOUT_MS } from './runner.ts';
export { DEFAULT_START_TIMEOUT_MS } from './stdio-start.ts';
export { DEFAULT_MAX_REPLY_BYTES } from './raw-http.ts';
export type { CheckOptions } from './runner.ts';
export type { Target } from './driver.ts';
export { runClientCheck, DEFAULT_CLIENT_TIMEOUT_MS } from './client-check.ts';
export { ASK_TIMEOUT_MS } from './client-sampling-tools.ts';
export type { ClientCheckOptions } from './client-check.ts';
export { couldNotRun, formatJson, formatJunit, formatText } from './report.ts';
export type { CheckReport } from './report.ts';
export { formatHtml } from './report-html.ts';
