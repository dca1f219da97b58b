/**
 * The schema half of the message validator (validate.ts): a message checked against the
 * envelope and typed definitions of its version, issues summed up in one violation each,
 * and an unknown method named with what it is elsewhere.
 */
import { getValidator, type SchemaIssue, type SchemaVersion } from './schema.ts';
import { opposite, type Direction, type MethodMap } from './method-map.ts';
import type { Violation } from './validate.ts';

const MAX_DETAIL_ISSUES = 3;

export interface Ctx {
  readonly direction: Direction | undefined;
  readonly version: SchemaVersion;
  readonly raw: unknown;
  readonly out: Violation[];
}

export type Obj = Record<string, unknown>;

/** A JSON object: not null, not an array (conformance/ uses only public entries, so its files share this one rather than reach into protocol/). */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function push(c: Ctx, definition: string, path: string, message: string, detail: string): void {
  c.out.push({ direction: c.direction, version: c.version, message, path, definition, detail, raw: c.raw });
}

function issueDetail(issues: readonly SchemaIssue[], prefix: string): string {
  const lines = issues.slice(0, MAX_DETAIL_ISSUES).map((i) => `${prefix + i.path || '(root)'}: ${i.message}`);
  const more = issues.length > MAX_DETAIL_ISSUES ? ` (+${issues.length - MAX_DETAIL_ISSUES} more)` : '';
  return lines.join('; ') + more;
}

/** The most specific place: the issue with the longest path (ties: the first one). */
function deepestPath(issues: readonly SchemaIssue[]): string {
  return issues.reduce((best, i) => (i.path.length > best.length ? i.path : best), issues[0]?.path ?? '');
}

/**
 * Check `value` against the first of `definitions` that matches; when none does, report the
 * issues of the first (the expected one). `prefix` places `value` inside the message.
 */
export function check(c: Ctx, definitions: readonly string[], value: unknown, prefix: string, label: string): boolean {
  let first: readonly SchemaIssue[] | undefined;
  for (const definition of definitions) {
    const issues = getValidator(c.version, definition)(value);
    if (issues.length === 0) return true;
    first ??= issues;
  }
  const expected = definitions[0];
  if (first === undefined || expected === undefined) return true;
  const others = definitions.length > 1 ? ` (nor ${definitions.slice(1).join(' or ')})` : '';
  const detail = issueDetail(first, prefix);
  push(c, expected, prefix + deepestPath(first), `${label} does not match ${expected}${others}: ${detail}`, detail);
  return false;
}

/**
 * Check the envelope, then the typed definitions. Envelope issues inside `part` (`/params`
 * or `/result`) are dropped when a typed check runs: the typed definition restates them,
 * and naming it says more.
 */
export function checkEnvelopeAndTyped(
  c: Ctx, envelope: string, msg: Obj, label: string, part: string,
  typed: { definitions: readonly string[]; value: unknown; prefix: string } | undefined,
): void {
  const envelopeOut: Violation[] = [];
  check({ ...c, out: envelopeOut }, [envelope], msg, '', label);
  const runs = typed !== undefined && typed.definitions.length > 0;
  const inside = (v: Violation): boolean => v.path === part || v.path.startsWith(`${part}/`);
  c.out.push(...(runs ? envelopeOut.filter((v) => !inside(v)) : envelopeOut));
  if (runs) check(c, typed.definitions, typed.value, typed.prefix, label);
}

export function unknownMethod(c: Ctx, map: MethodMap, direction: Direction, method: string, kind: 'request' | 'notification'): void {
  const union = kind === 'request' ? map.unions[direction].requests : map.unions[direction].notifications;
  const hints: string[] = [];
  if (map.requests[opposite(direction)].has(method)) hints.push(`it is a ${opposite(direction)} request`);
  if (map.notifications[opposite(direction)].has(method)) hints.push(`it is a ${opposite(direction)} notification`);
  if (kind === 'request' && map.notifications[direction].has(method)) hints.push('it is a notification here');
  if (kind === 'notification' && map.requests[direction].has(method)) hints.push('it is a request here');
  if (kind === 'request' && map.requests[direction].size === 0) hints.push(`${c.version} has no ${direction} requests`);
  const detail = `method "${method}" not in ${c.version} ${direction} ${kind}s${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`;
  push(c, union, '/method', `${method} ${kind}: ${detail}`, detail);
}
