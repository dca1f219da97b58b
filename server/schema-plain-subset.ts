/**
 * Which schemas are plain: checked and compiled by our own code (schema-plain-meta.ts,
 * schema-plain.ts), so a server whose schemas are all plain never loads ajv (issue #20 item 3).
 * Any other schema goes to ajv (schema-ajv.ts).
 *
 * The subset is what tool and elicitation schemas use, zod 4's and pydantic's output included:
 * PLAIN_KEYWORDS, plus `$defs` / `definitions` at the root and local references into them
 * (`#/$defs/Name`, `#/definitions/Name`: zod's and pydantic's recursive and shared models).
 * Keywords ajv does not know (`discriminator`, which pydantic writes, and `x-...`) are ignored
 * by ajv (`strict: false`) and here alike.
 */
import { isObject } from '../protocol/jsonrpc.ts';
import type { Dialect } from './schema-dialect-names.ts';

/**
 * Annotations: keywords that never fail a value and that ajv gives no rule (so a subschema
 * of only these is "always valid" to ajv, which matters for what it compiles, see
 * {@link alwaysValid}). `$comment` is an annotation too, but ajv gives it a rule.
 */
const ANNOTATIONS: ReadonlySet<string> = new Set([
  'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly',
  'contentEncoding', 'contentMediaType', 'contentSchema', 'discriminator',
]);

/** The keywords a plain schema may use anywhere (annotations included). */
export const PLAIN_KEYWORDS: ReadonlySet<string> = new Set([
  ...ANNOTATIONS, '$comment', 'format',
  'type', 'properties', 'patternProperties', 'propertyNames', 'required', 'additionalProperties', 'items', 'prefixItems', 'enum', 'const',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'anyOf', 'oneOf', 'allOf', 'not', '$ref',
  'minProperties', 'maxProperties', 'uniqueItems', 'contains', 'minContains', 'maxContains', 'if', 'then', 'else',
]);

const ignored = (key: string) => key.startsWith('x-');

/** A reference a plain schema may hold: to a definition of the root, by a name that needs no decoding. */
const LOCAL_REF = /^#\/(\$defs|definitions)\/([\w.-]+)$/;

/**
 * The definition `ref` names in `root`, wrapped (a definition may be `false`), or undefined
 * when `ref` is no plain reference or names nothing. draft-07 has no `$defs`.
 */
export function refTarget(root: Record<string, unknown>, ref: string, dialect: Dialect): [unknown] | undefined {
  const match = LOCAL_REF.exec(ref);
  if (!match || (match[1] === '$defs' && dialect === 'draft-07')) return undefined;
  const definitions = root[match[1]!];
  return isObject(definitions) && Object.hasOwn(definitions, match[2]!) ? [definitions[match[2]!]] : undefined;
}

/** ajv's "always valid" subschema (its `alwaysValidSchema`): `true`, or an object whose keywords have no rule. */
export function alwaysValid(schema: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) return false;
  for (const key in schema) if (!ANNOTATIONS.has(key) && !ignored(key)) return false;
  return true;
}

/**
 * True when every subschema of `schema` (an object whose depth the caller bounded) uses only
 * plain keywords, every `$ref` names a definition of the root, and no definition reaches
 * itself without going into a property or an item (ajv overflows its stack on those). A value
 * in a subschema's place that is no schema at all (a number, a string) keeps the schema plain:
 * the meta-schema check refuses it. Not plain: draft-07's tuple `items` (an array), draft-07's
 * `prefixItems` (unknown to it), a pattern of `patternProperties` that fails to compile (ajv
 * refuses it or not depending on where it stands), draft-07's `minContains` / `maxContains`
 * (unknown to its ajv, which would then take a subschema of only those for always valid).
 */
export function isPlainSchema(schema: Record<string, unknown>, dialect: Dialect): boolean {
  const refs: string[] = [];
  if (!plainNode(schema, dialect, refs, true)) return false;
  for (const ref of refs) if (!refTarget(schema, ref, dialect)) return false;
  return !refLoop(schema, refs, dialect);
}

// `contentSchema` is never compiled, but 2020-12's meta-schema checks it as a schema (pydantic's `Json[...]`).
const SUBSCHEMA = ['items', 'additionalProperties', 'propertyNames', 'not', 'contains', 'if', 'then', 'else', 'contentSchema'] as const;
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const DRAFT_07_UNKNOWN = ['prefixItems', 'minContains', 'maxContains'];
/** The lists whose subschemas apply to the value itself. */
const SAME_VALUE_LISTS = ['anyOf', 'oneOf', 'allOf'] as const;

function plainNode(node: unknown, dialect: Dialect, refs: string[], root = false): boolean {
  if (!isObject(node)) return true;
  for (const key in node) {
    if (PLAIN_KEYWORDS.has(key) || ignored(key)) continue;
    if (root && (key === '$schema' || key === 'definitions' || (key === '$defs' && dialect === '2020-12'))) continue;
    return false;
  }
  if (typeof node.$ref === 'string') refs.push(node.$ref);
  // draft-07's tuples (`items` as a list, `additionalItems`) are not plain; its ajv ignores
  // `prefixItems`, `minContains` and `maxContains` (2019-09 keywords: `contains` is "at least one" there).
  if (dialect === 'draft-07' && (Array.isArray(node.items) || DRAFT_07_UNKNOWN.some((key) => Object.hasOwn(node, key)))) return false;
  for (const key of SUBSCHEMA) if (!plainNode(node[key], dialect, refs)) return false;
  for (const key of SUBSCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list) && !list.every((item) => plainNode(item, dialect, refs))) return false;
  }
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const map = node[key];
    if (!isObject(map)) continue;
    for (const name in map) {
      if (key === 'patternProperties' && !compiles(name)) return false;
      if (!plainNode(map[name], dialect, refs)) return false;
    }
  }
  return true;
}

/** True when `pattern` compiles as ajv compiles it: with the `u` flag (its default `unicodeRegExp`). */
function compiles(pattern: string): boolean {
  try {
    return new RegExp(pattern, 'u') instanceof RegExp;
  } catch {
    return false;
  }
}

/** The references a schema applies to the value itself (not to a property or an item of it). */
function sameValueRefs(node: unknown, out: string[]): string[] {
  if (!isObject(node)) return out;
  if (typeof node.$ref === 'string') out.push(node.$ref);
  for (const key of SAME_VALUE_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) for (const item of list) sameValueRefs(item, out);
  }
  for (const key of ['not', 'if', 'then', 'else']) sameValueRefs(node[key], out);
  return out;
}

/** True when a definition reaches itself through references applied to the same value. */
function refLoop(root: Record<string, unknown>, refs: readonly string[], dialect: Dialect): boolean {
  const done = new Map<string, boolean>(); // false while being visited
  const visit = (ref: string): boolean => {
    const state = done.get(ref);
    if (state !== undefined) return !state;
    done.set(ref, false);
    for (const next of sameValueRefs(refTarget(root, ref, dialect)![0], [])) if (visit(next)) return true;
    done.set(ref, true);
    return false;
  };
  return refs.some(visit);
}
