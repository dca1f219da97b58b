/**
 * What a plain schema compiles to (schema-plain.ts): a node per subschema and a rule per
 * keyword, each with two functions: `test` (the verdict, nothing allocated) and `collect`
 * (the error lines, run only once `test` has failed).
 */

/** Appends the error lines of `value` at JSON Pointer `path` to `out`. */
export type Collect = (value: unknown, path: string, out: string[]) => void;

/** A compiled subschema, or one keyword's rule. */
export interface Node { test(value: unknown): boolean; collect: Collect }
export type Rule = Node;

/** One error line as ajv's lines are written (schema-errors.ts). */
export const line = (path: string, message: string): string => `${path === '' ? '(root)' : path}: ${message}`;

/** `true`, or a subschema with no rule. */
export const ALWAYS: Node = { test: () => true, collect: () => {} };
/** `false`. */
export const NEVER: Node = { test: () => false, collect: (_v, path, out) => { out.push(line(path, 'boolean schema is false')); } };

/** Every rule passes (a loop, not `every`: this runs on every call, and makes no closure). */
export function all(rules: readonly Rule[], value: unknown): boolean {
  for (let i = 0; i < rules.length; i++) if (!rules[i]!.test(value)) return false;
  return true;
}

/** A keyword whose failure is one line: `ok(value)` false means the error. */
export function simple(ok: (value: unknown) => boolean, message: string): Rule {
  return { test: ok, collect: (v, path, out) => { if (!ok(v)) out.push(line(path, message)); } };
}
