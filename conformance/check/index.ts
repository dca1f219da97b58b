/** `mcpwire check`: findings, the runner and its report formats. */
export { RULE_CATALOG, RULE_IDS, isRuleId } from './catalog.ts';
export type { RuleId } from './catalog.ts';
export { createRecorder, summarize, trimExchange } from './findings.ts';
export type { Finding, FindingRecorder, Outcome, RuleDef, RuleFilter, Severity, Summary } from './findings.ts';
export { runCheck, DEFAULT_TIMEOUT_MS, DEFAULT_LEGACY_VERSION } from './runner.ts';
export type { CheckOptions } from './runner.ts';
export type { Target } from './driver.ts';
export { formatJson, formatJunit, formatText, makeReport, summaryTable } from './report.ts';
export type { CheckReport } from './report.ts';
export { runClientCheck, DEFAULT_CLIENT_TIMEOUT_MS } from './client-check.ts';
export type { ClientCheckOptions } from './client-check.ts';
export { formatHtml } from './report-html.ts';
