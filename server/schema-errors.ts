/**
 * ajv's errors as the short lines the server reports (`/travellers: must be integer`,
 * `(root): must have required property 'destination'`); the plain validator
 * (schema-plain.ts) writes the same lines itself.
 */
import type { ErrorObject } from 'ajv/dist/core.js';

/** Error strings reported per failed check by default. */
export const DEFAULT_MAX_ERRORS = 20;

function describeParams(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return ` (${JSON.stringify(p.additionalProperty)})`;
    case 'unevaluatedProperties':
      return ` (${JSON.stringify(p.unevaluatedProperty)})`;
    case 'enum':
      return Array.isArray(p.allowedValues) ? `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` : '';
    case 'const':
      return `: ${JSON.stringify(p.allowedValue)}`;
    default:
      return '';
  }
}

/**
 * Turn ajv errors into short lines a model can act on, such as `/travellers: must be integer`
 * or `(root): must have required property 'destination'`. Duplicates are dropped; past
 * `maxErrors` lines one summary line says how many more there were.
 */
export function formatValidationErrors(
  errors: readonly ErrorObject[] | null | undefined,
  maxErrors: number = DEFAULT_MAX_ERRORS,
): string[] {
  const lines = new Set<string>();
  for (const error of errors ?? []) {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    lines.add(`${where}: ${error.message ?? `fails "${error.keyword}"`}${describeParams(error)}`);
  }
  return capLines([...lines], maxErrors);
}

/** At most `maxErrors` lines, then one saying how many more there were. */
export function capLines(lines: string[], maxErrors: number): string[] {
  if (lines.length <= maxErrors) return lines;
  return [...lines.slice(0, maxErrors), `... and ${lines.length - maxErrors} more errors`];
}
