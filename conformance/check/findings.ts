/**
 * The findings model of `mcpwire check`: each rule has a stable id, a severity, the spec
 * section it rests on and a one-line fix hint; a run records one outcome per rule checked.
 */
import { RULE_CATALOG, type RuleId } from './catalog.ts';

/** How binding the rule is: a MUST failure fails the run; SHOULD and info never do. */
export type Severity = 'MUST' | 'SHOULD' | 'info';

/** What the spec says and how to fix a failure, for one rule. */
export interface RuleDef {
  readonly severity: Severity;
  /** The spec section, e.g. `2025-11-25 basic/transports: sessions`. */
  readonly section: string;
  /** What the rule asks, one line. */
  readonly title: string;
  /** What to change when it fails, one line. */
  readonly fix: string;
}

/** The outcome of checking one rule once. */
export type Outcome = 'pass' | 'fail' | 'skip';

/** One checked rule: a pass, a failure with the exchange that shows it, or a skip with its reason. */
export interface Finding {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly section: string;
  readonly title: string;
  readonly outcome: Outcome;
  /** Why it failed or was skipped, or what passed. */
  readonly detail: string;
  /** The message or exchange that shows the failure, trimmed. */
  readonly exchange?: string;
  readonly fix: string;
  /** The era the check ran in. */
  readonly era: 'legacy' | 'modern' | 'any';
}

/** Longest exchange text kept on a finding. */
export const MAX_EXCHANGE_CHARS = 600;

/** `value` as text, cut to {@link MAX_EXCHANGE_CHARS} with a marker. */
export function trimExchange(value: unknown, max = MAX_EXCHANGE_CHARS): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more chars)`;
}

/** Which rules a run checks (`--only` / `--skip`, ids or id prefixes like `http.`). */
export interface RuleFilter {
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
}

function matches(id: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => id === p || (p.endsWith('.') && id.startsWith(p)) || id.startsWith(`${p}.`));
}

/** True when `id` is selected by `filter`. */
export function selected(id: string, filter: RuleFilter): boolean {
  if (filter.only && filter.only.length > 0 && !matches(id, filter.only)) return false;
  return !(filter.skip && matches(id, filter.skip));
}

/** Collects findings during a run; keeps one entry per (id, outcome, detail, era) and drops unselected ids. */
export interface FindingRecorder {
  pass(id: RuleId, detail: string, era?: Finding['era']): void;
  fail(id: RuleId, detail: string, exchange?: unknown, era?: Finding['era']): void;
  skip(id: RuleId, reason: string, era?: Finding['era']): void;
  /** True when `id` will be recorded (a check may skip work for unselected rules). */
  wants(id: RuleId): boolean;
  readonly findings: readonly Finding[];
}

/** Most failures of one rule kept (a server that breaks a rule on every message). */
export const MAX_FAILURES_PER_RULE = 20;

/** A recorder for one run; `era` is the default era of what it records. */
export function createRecorder(filter: RuleFilter = {}, era: Finding['era'] = 'any'): FindingRecorder {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const failures = new Map<string, number>();
  function add(id: RuleId, outcome: Outcome, detail: string, exchange: unknown, at: Finding['era']): void {
    if (!selected(id, filter)) return;
    // The era is part of the key: a rule failing in both eras with the same words is two
    // findings, so a reader fixing one era does not take the other for clean.
    const key = `${id}\u0000${outcome}\u0000${detail}\u0000${at}`;
    if (seen.has(key)) return;
    if (outcome === 'fail') {
      const n = failures.get(id) ?? 0;
      if (n >= MAX_FAILURES_PER_RULE) return;
      failures.set(id, n + 1);
    }
    seen.add(key);
    const def = RULE_CATALOG[id];
    findings.push({
      id, severity: def.severity, section: def.section, title: def.title, outcome, detail, fix: def.fix, era: at,
      ...(exchange === undefined ? {} : { exchange: trimExchange(exchange) }),
    });
  }
  return {
    pass: (id, detail, at = era) => add(id, 'pass', detail, undefined, at),
    fail: (id, detail, exchange, at = era) => add(id, 'fail', detail, exchange, at),
    skip: (id, reason, at = era) => add(id, 'skip', reason, undefined, at),
    wants: (id) => selected(id, filter),
    get findings() {
      return findings;
    },
  };
}

/** Counts per severity and outcome, and whether the run passes (no MUST failure). */
export interface Summary {
  readonly total: number;
  readonly counts: Readonly<Record<Severity, Readonly<Record<Outcome, number>>>>;
  readonly passed: boolean;
}

/** Summarise `findings`: a rule that failed once counts as failed even if it also passed elsewhere. */
export function summarize(findings: readonly Finding[]): Summary {
  const zero = (): Record<Outcome, number> => ({ pass: 0, fail: 0, skip: 0 });
  const counts: Record<Severity, Record<Outcome, number>> = { MUST: zero(), SHOULD: zero(), info: zero() };
  for (const f of findings) counts[f.severity][f.outcome]++;
  return { total: findings.length, counts, passed: counts.MUST.fail === 0 };
}
