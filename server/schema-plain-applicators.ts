/**
 * The plain validator's keywords that apply subschemas to the value itself (schema-plain.ts):
 * `$ref` to a definition of the root, `not`, `anyOf`, `oneOf`, `allOf`, `if` / `then` / `else`,
 * with ajv's lines (2020-12 core and applicator vocabularies; draft-07 has the same keywords). A failed `anyOf`
 * or `oneOf` reports its failed subschemas' lines, then its own (`oneOf` those before the
 * second that passed, where ajv stops); `allOf` only theirs; `not` only its own.
 */
import type { Dialect } from './schema-dialect-names.ts';
import { line, simple, type Node, type Rule } from './schema-plain-node.ts';
import { alwaysValid, refTarget } from './schema-plain-subset.ts';

/** What compiling one schema shares: its dialect, the compiler, the definitions compiled so far. */
export interface Context {
  readonly dialect: Dialect;
  compile(schema: unknown): Node;
  /** The node of the definition `ref` names, compiled where it is first referenced (as ajv does). */
  ref(ref: string): Node;
}

/** A context for `root`; `compileNode` compiles one subschema in it. */
export function createContext(root: Record<string, unknown>, dialect: Dialect, compileNode: (schema: unknown, cx: Context) => Node): Context {
  const refs = new Map<string, Node>();
  const cx: Context = {
    dialect,
    compile: (schema) => compileNode(schema, cx),
    ref(ref) {
      let node = refs.get(ref);
      if (node) return node;
      // Entered before compiling, so a definition that references itself (through a property
      // or an item: schema-plain-subset.ts refuses other loops) finds itself.
      let target: Node | undefined;
      node = { test: (v) => target!.test(v), collect: (v, path, out) => target!.collect(v, path, out) };
      refs.set(ref, node);
      target = compileNode(refTarget(root, ref, dialect)![0], cx);
      return node;
    },
  };
  return cx;
}

/** `not`, `anyOf`, `oneOf`, `allOf`, `if`, in ajv's order. */
export function applicatorRules(schema: Record<string, unknown>, cx: Context): Rule[] {
  const rules: Rule[] = [];
  if (Object.hasOwn(schema, 'not')) {
    const inner = cx.compile(schema.not);
    rules.push(simple((v) => !inner.test(v), 'must NOT be valid'));
  }
  const anyOf = schema.anyOf;
  // draft-07 (ajv without `unevaluated`): a list with an always valid subschema is not compiled at all.
  if (Array.isArray(anyOf) && !(cx.dialect === 'draft-07' && anyOf.some(alwaysValid))) {
    const nodes = anyOf.map(cx.compile);
    rules.push({
      test: (v) => {
        for (let i = 0; i < nodes.length; i++) if (nodes[i]!.test(v)) return true;
        return false;
      },
      collect: (v, path, out) => failed(nodes, v, path, out, 'must match a schema in anyOf'),
    });
  }
  if (Array.isArray(schema.oneOf)) {
    const nodes = schema.oneOf.map(cx.compile);
    rules.push({
      test: (v) => {
        let passed = 0;
        for (let i = 0; i < nodes.length; i++) if (nodes[i]!.test(v) && ++passed > 1) return false;
        return passed === 1;
      },
      collect: (v, path, out) => failed(nodes, v, path, out, 'must match exactly one schema in oneOf', 2),
    });
  }
  if (Array.isArray(schema.allOf)) {
    const nodes = schema.allOf.map(cx.compile);
    rules.push({
      test: (v) => {
        for (let i = 0; i < nodes.length; i++) if (!nodes[i]!.test(v)) return false;
        return true;
      },
      collect: (v, path, out) => failed(nodes, v, path, out),
    });
  }
  const conditional = ifRule(schema, cx);
  if (conditional) rules.push(conditional);
  return rules;
}

/**
 * `if` / `then` / `else` (2020-12 applicator; draft-07 alike). As ajv: without a `then` or
 * `else` that is not always valid nothing is compiled, not even `if` (so a bad pattern there is
 * not refused); `if`'s own lines are never reported; a failed branch reports its lines, then
 * `must match "then" schema` (or "else"). `then` or `else` without `if` does nothing.
 */
function ifRule(schema: Record<string, unknown>, cx: Context): Rule | undefined {
  if (!Object.hasOwn(schema, 'if')) return undefined;
  const branch = (key: 'then' | 'else') => (Object.hasOwn(schema, key) && !alwaysValid(schema[key]) ? key : undefined);
  const thenKey = branch('then');
  const elseKey = branch('else');
  if (!thenKey && !elseKey) return undefined;
  // Compiled in ajv's order: if, then, else.
  const condition = cx.compile(schema.if);
  const then = thenKey && cx.compile(schema.then);
  const otherwise = elseKey && cx.compile(schema.else);
  return {
    test: (v) => {
      const node = condition.test(v) ? then : otherwise;
      return !node || node.test(v);
    },
    collect: (v, path, out) => {
      const passed = condition.test(v);
      const node = passed ? then : otherwise;
      if (!node || node.test(v)) return;
      node.collect(v, path, out);
      out.push(line(path, `must match "${passed ? 'then' : 'else'}" schema`));
    },
  };
}

/**
 * The lines of each failed subschema, then the keyword's own line if it has one. With
 * `stopAt`, the subschemas after the one that makes `stopAt` passes are not tried: ajv's
 * `oneOf` stops at the second that passes.
 */
function failed(nodes: readonly Node[], v: unknown, path: string, out: string[], message?: string, stopAt = Infinity): void {
  let passed = 0;
  for (const node of nodes) {
    if (!node.test(v)) node.collect(v, path, out);
    else if (++passed === stopAt) break;
  }
  if (message !== undefined) out.push(line(path, message));
}
