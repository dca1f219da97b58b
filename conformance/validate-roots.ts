/**
 * Roots a client lists (2025-11-25 and 2026-07-28 client/roots; schema `Root.uri`: "This *must*
 * start with file:// for now"): the validator's rule over the answers to `roots/list`, as a
 * result (before 2026-07-28) or inside a retry's `inputResponses` (2026-07-28
 * basic/patterns/mrtr). The schema checks only that the uri is a URI.
 */
import { isObject as isObj } from './validate-schema-checks.ts';

/** What a root that is not a `file://` URI breaks, with where it is. */
export interface ForeignRoot {
  /** JSON pointer of the root's uri, below the value checked. */
  readonly path: string;
  readonly detail: string;
}

/** The first root of `result` (a ListRootsResult) whose uri does not start with `file://`, if any; `at`: the pointer of `result`. */
export function foreignRoot(result: unknown, at: string): ForeignRoot | undefined {
  const roots = isObj(result) && Array.isArray(result.roots) ? result.roots : [];
  for (const [i, root] of roots.entries()) {
    const uri = isObj(root) ? root.uri : undefined;
    // The scheme is case-insensitive (RFC 3986 section 3.1); a uri that is no string is the schema's to report.
    if (typeof uri !== 'string' || /^file:\/\//i.test(uri)) continue;
    return { path: `${at}/roots/${i}/uri`, detail: `root ${JSON.stringify(uri.length > 120 ? `${uri.slice(0, 120)}...` : uri)} is not a file:// URI (a root's uri must start with file://)` };
  }
  return undefined;
}

/** The first foreign root in a 2026-07-28 request's `params.inputResponses` (each answer that lists roots), if any. */
export function foreignRootInRetry(params: unknown): ForeignRoot | undefined {
  const answers = isObj(params) && isObj(params.inputResponses) ? params.inputResponses : {};
  for (const [key, answer] of Object.entries(answers)) {
    const found = foreignRoot(answer, `/params/inputResponses/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    if (found) return found;
  }
  return undefined;
}
