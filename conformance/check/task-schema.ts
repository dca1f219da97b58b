/**
 * The tasks extension's messages held to its own schema (`ext-tasks` schema.json, from the
 * modelcontextprotocol/ext-tasks repository): the core 2026-07-28 file defines no `tasks/*`
 * method and no task, so the core validator lets them through. A task carries `taskId`,
 * `status`, `createdAt`, `lastUpdatedAt` and `ttlMs` (null for unlimited); a completed task
 * its `result`, a failed one its `error`, an input_required one its `inputRequests`. The
 * pinned schema download holds only the core files: without the extension's file the rule is
 * skipped, saying so.
 */
import { getExtensionValidator, type SchemaIssue } from '../schema.ts';
import type { FindingRecorder } from './findings.ts';
import type { RuleId } from './catalog.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The ext-tasks definition of one task per status (the branches of a status union). */
const TASK_BY_STATUS: Readonly<Record<string, string>> = {
  working: 'WorkingTask', input_required: 'InputRequiredTask', completed: 'CompletedTask', failed: 'FailedTask', cancelled: 'CancelledTask',
};
/** The definitions that are a union over the task's status (GetTaskResult, a status notification's params). */
const STATUS_UNIONS = new Set(['GetTaskResult', 'TaskStatusNotificationParams']);
/** Most issues named in one finding. */
const MAX_ISSUES = 3;

function describe(issues: readonly SchemaIssue[]): string {
  const named = issues.filter((i) => i.keyword !== 'anyOf' && i.keyword !== 'allOf');
  return (named.length > 0 ? named : issues).slice(0, MAX_ISSUES).map((i) => `${i.path || '(top)'} ${i.message}`).join('; ');
}

/**
 * What is wrong with `value` as the ext-tasks definition `def`: '' when it conforms, undefined
 * when the schema folder has no ext-tasks file. A status union reports every branch; the
 * branch of the value's own status names the defect precisely, so it is used when it fails.
 */
export function taskSchemaProblem(def: string, value: unknown): string | undefined {
  const check = getExtensionValidator('ext-tasks', def);
  if (check === undefined) return undefined;
  const issues = check(value);
  if (issues.length === 0) return '';
  const status = isObj(value) ? value.status : undefined;
  const branch = STATUS_UNIONS.has(def) && typeof status === 'string' && Object.hasOwn(TASK_BY_STATUS, status)
    ? getExtensionValidator('ext-tasks', TASK_BY_STATUS[status]!)?.(value) ?? [] : [];
  return describe(branch.length > 0 ? branch : issues);
}

/** Holds each task message of a run to the schema; one failure per definition, one summary at the end. */
export interface TaskSchemaWatch {
  /** Judge `value` as `def`; `what` names the message in a finding. */
  hold(def: string, value: unknown, what: string, exchange: unknown): void;
  /** Record the pass (or the skip) once every message was held. */
  finish(): void;
}

/** A watch recording under `rule` (the server's answers or the client's requests). */
export function createTaskSchemaWatch(rec: FindingRecorder, rule: RuleId, era: 'modern' | 'legacy' | 'any' = 'modern'): TaskSchemaWatch {
  const failedDefs = new Set<string>();
  const held = new Set<string>();
  let absent = false;
  return {
    hold(def, value, what, exchange) {
      if (!rec.wants(rule)) return;
      const problem = taskSchemaProblem(def, value);
      if (problem === undefined) { absent = true; return; }
      held.add(def);
      if (problem === '' || failedDefs.has(def)) return;
      failedDefs.add(def);
      rec.fail(rule, `${what} does not match ext-tasks ${def}: ${problem}`, exchange, era);
    },
    finish() {
      if (absent) rec.skip(rule, 'the schema folder has no ext-tasks/schema.json (the pinned download holds only the core schemas)', era);
      else if (held.size === 0) rec.skip(rule, 'no task message was seen', era);
      else if (failedDefs.size === 0) rec.pass(rule, `every ${[...held].sort().join(', ')} matched the ext-tasks schema`, era);
    },
  };
}
