/**
 * Standard Schema issues as the short lines ajv's errors become (validation.ts): `/path:
 * message`, `(root): message` at the top, duplicates dropped, at most `maxErrors` lines.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

function pointer(path: StandardSchemaV1.Issue['path']): string {
  if (!path || path.length === 0) return '(root)';
  let out = '';
  for (const segment of path) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    out += `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return out;
}

/** One line per issue (a JSON Pointer to the value, then the library's message). */
export function formatIssues(issues: readonly StandardSchemaV1.Issue[], maxErrors: number): string[] {
  const lines = [...new Set(issues.map((issue) => `${pointer(issue.path)}: ${issue.message}`))];
  if (lines.length <= maxErrors) return lines;
  return [...lines.slice(0, maxErrors), `... and ${lines.length - maxErrors} more errors`];
}
