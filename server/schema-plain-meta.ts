/**
 * Which schemas are plain, and the meta-schema check of a plain schema without ajv.
 *
 * A plain schema uses only the keywords most tool and elicitation schemas use (PLAIN_KEYWORDS,
 * `format` included: its checks are ajv-formats' own, schema-formats.ts);
 * such a schema is checked and compiled here (schema-plain.ts), so a server whose schemas are
 * all plain never loads ajv (issue #20 item 3). Any other schema goes to ajv (schema-ajv.ts).
 *
 * A plain schema is refused when its dialect's meta-schema refuses it (2025-11-25 basic, JSON
 * Schema usage: 2020-12 by default, draft-07 when declared), with the message ajv gives:
 * `schema is invalid: data/type must be equal to one of the allowed values, ...`. The lines
 * follow the order in which ajv walks the meta-schemas (2020-12: the applicator vocabulary,
 * then validation, then meta-data; draft-07: the order of its `properties`), checked against
 * ajv by test/schema-plain-differential.test.ts.
 */
import { isObject } from '../protocol/jsonrpc.ts';
import type { Dialect } from './schema-dialect-names.ts';

/** The keywords a plain schema may use (annotations included); `$schema` also at the root. */
export const PLAIN_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'title', 'description', 'default', 'examples', 'format',
]);

const SIMPLE_TYPES: ReadonlySet<unknown> = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);


/**
 * True when every subschema of `schema` (an object whose depth the caller bounded) uses only
 * plain keywords. A value in a subschema's place that is no schema at all (a number, a
 * string) keeps the schema plain: the meta-schema check refuses it. draft-07's tuple `items`
 * (an array) is not plain.
 */
export function isPlainSchema(schema: Record<string, unknown>, dialect: Dialect): boolean {
  return plainNode(schema, dialect, true);
}

function plainNode(node: unknown, dialect: Dialect, root = false): boolean {
  if (!isObject(node)) return true;
  for (const key in node) {
    if (!PLAIN_KEYWORDS.has(key) && !(root && key === '$schema')) return false;
  }
  if (Array.isArray(node.items) && dialect === 'draft-07') return false;
  if (!plainNode(node.items, dialect) || !plainNode(node.additionalProperties, dialect)) return false;
  if (isObject(node.properties)) {
    for (const key in node.properties) if (!plainNode(node.properties[key], dialect)) return false;
  }
  return true;
}

/** JSON Pointer escaping of one key, as ajv writes paths. */
export const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON equality of two values (the meta-schemas' uniqueItems). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

type Out = string[];

/** ajv's uniqueItems over items of any type: the last item equal to an earlier one, then that one. */
function uniqueAny(value: unknown[], path: string, out: Out): void {
  for (let i = value.length - 1; i > 0; i--) {
    for (let j = i - 1; j >= 0; j--) {
      if (jsonEqual(value[i], value[j])) {
        out.push(`${path} must NOT have duplicate items (items ## ${j} and ${i} are identical)`);
        return;
      }
    }
  }
}

/** `type`: one of the simple types, or a non-empty list of distinct ones (both meta-schemas). */
function metaType(value: unknown, path: string, out: Out): void {
  if (SIMPLE_TYPES.has(value)) return;
  if (Array.isArray(value) && value.length > 0 && value.every((t) => SIMPLE_TYPES.has(t)) && new Set(value).size === value.length) return;
  out.push(`${path} must be equal to one of the allowed values`);
  if (!Array.isArray(value)) out.push(`${path} must be array`);
  else {
    if (value.length === 0) out.push(`${path} must NOT have fewer than 1 items`);
    uniqueAny(value, path, out);
    value.forEach((t, i) => { if (!SIMPLE_TYPES.has(t)) out.push(`${path}/${i} must be equal to one of the allowed values`); });
  }
  out.push(`${path} must match a schema in anyOf`);
}

/** `required`: an array of distinct strings (ajv's check of typed items skips other items, and never sees `__proto__` twice). */
function metaStringArray(value: unknown, path: string, out: Out): void {
  if (!Array.isArray(value)) {
    out.push(`${path} must be array`);
    return;
  }
  const indices: Record<string, unknown> = {}; // a plain object on purpose: ajv's own check reads its prototype too
  for (let i = value.length; i--;) {
    const item = value[i];
    if (typeof item !== 'string') continue;
    if (typeof indices[item] === 'number') {
      out.push(`${path} must NOT have duplicate items (items ## ${indices[item] as number} and ${i} are identical)`);
      break;
    }
    indices[item] = i;
  }
  value.forEach((item, i) => { if (typeof item !== 'string') out.push(`${path}/${i} must be string`); });
}

function metaNonNegativeInteger(value: unknown, path: string, out: Out): void {
  if (typeof value !== 'number' || value % 1 !== 0) out.push(`${path} must be integer`);
  if (typeof value === 'number' && value < 0) out.push(`${path} must be >= 0`);
}

const NUMBERS = ['maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum'] as const;
const COUNTS = ['maxLength', 'minLength', 'maxItems', 'minItems'] as const;

function metaNumbers(node: Record<string, unknown>, path: string, out: Out, keys: readonly string[]): void {
  for (const key of keys) {
    if (!Object.hasOwn(node, key)) continue;
    if (NUMBERS.includes(key as never)) { if (typeof node[key] !== 'number') out.push(`${path}/${key} must be number`); }
    else metaNonNegativeInteger(node[key], `${path}/${key}`, out);
  }
}

function metaStrings(node: Record<string, unknown>, path: string, out: Out): void {
  for (const key of ['title', 'description']) if (Object.hasOwn(node, key) && typeof node[key] !== 'string') out.push(`${path}/${key} must be string`);
}

function metaProperties(node: Record<string, unknown>, path: string, out: Out, each: (value: unknown, path: string, out: Out) => void): void {
  if (!Object.hasOwn(node, 'properties')) return;
  const properties = node.properties;
  if (!isObject(properties)) out.push(`${path}/properties must be object`);
  else for (const key in properties) each(properties[key], `${path}/properties/${escapePointer(key)}`, out);
}

const has = (node: Record<string, unknown>, key: string) => Object.hasOwn(node, key);

/** 2020-12: the schema meta-schema and its seven vocabulary meta-schemas, each asking for an object or a boolean. */
function meta2020(node: unknown, path: string, out: Out): void {
  if (typeof node === 'boolean') return;
  if (!isObject(node)) {
    for (let i = 0; i < 8; i++) out.push(`${path} must be object,boolean`);
    return;
  }
  // applicator
  if (has(node, 'items')) meta2020(node.items, `${path}/items`, out);
  if (has(node, 'additionalProperties')) meta2020(node.additionalProperties, `${path}/additionalProperties`, out);
  metaProperties(node, path, out, meta2020);
  // validation
  if (has(node, 'type')) metaType(node.type, `${path}/type`, out);
  if (has(node, 'enum') && !Array.isArray(node.enum)) out.push(`${path}/enum must be array`);
  metaNumbers(node, path, out, [...NUMBERS, ...COUNTS]);
  if (has(node, 'required')) metaStringArray(node.required, `${path}/required`, out);
  // meta-data
  metaStrings(node, path, out);
  if (has(node, 'examples') && !Array.isArray(node.examples)) out.push(`${path}/examples must be array`);
  // format-annotation
  if (has(node, 'format') && typeof node.format !== 'string') out.push(`${path}/format must be string`);
}

/** draft-07: one meta-schema; its keywords in the order of its `properties`. */
function meta07(node: unknown, path: string, out: Out): void {
  if (typeof node === 'boolean') return;
  if (!isObject(node)) {
    out.push(`${path} must be object,boolean`);
    return;
  }
  metaStrings(node, path, out);
  if (has(node, 'examples') && !Array.isArray(node.examples)) out.push(`${path}/examples must be array`);
  metaNumbers(node, path, out, [...NUMBERS, 'maxLength', 'minLength']);
  if (has(node, 'items')) {
    const inner: Out = [];
    meta07(node.items, `${path}/items`, inner);
    if (inner.length > 0) out.push(...inner, `${path}/items must be array`, `${path}/items must match a schema in anyOf`);
  }
  metaNumbers(node, path, out, ['maxItems', 'minItems']);
  if (has(node, 'required')) metaStringArray(node.required, `${path}/required`, out);
  if (has(node, 'additionalProperties')) meta07(node.additionalProperties, `${path}/additionalProperties`, out);
  metaProperties(node, path, out, meta07);
  if (has(node, 'enum')) {
    const values = node.enum;
    if (!Array.isArray(values)) out.push(`${path}/enum must be array`);
    else {
      if (values.length === 0) out.push(`${path}/enum must NOT have fewer than 1 items`);
      uniqueAny(values, `${path}/enum`, out);
    }
  }
  if (has(node, 'type')) metaType(node.type, `${path}/type`, out);
  if (has(node, 'format') && typeof node.format !== 'string') out.push(`${path}/format must be string`);
}

/**
 * Why ajv would refuse the plain schema `schema` ("schema is invalid: ..." or its compile
 * error), or undefined when it compiles.
 */
export function plainSchemaError(schema: Record<string, unknown>, dialect: Dialect): string | undefined {
  const out: Out = [];
  if (dialect === 'draft-07') meta07(schema, 'data', out);
  else meta2020(schema, 'data', out);
  if (out.length > 0) return `schema is invalid: ${out.join(', ')}`;
  if (dialect === '2020-12' && hasEmptyEnum(schema)) return 'enum must have non-empty array';
  return undefined;
}

/** ajv's compile refuses `enum: []`, which the 2020-12 meta-schema allows. */
function hasEmptyEnum(node: unknown): boolean {
  if (!isObject(node)) return false;
  if (Array.isArray(node.enum) && node.enum.length === 0) return true;
  if (hasEmptyEnum(node.items) || hasEmptyEnum(node.additionalProperties)) return true;
  return isObject(node.properties) && Object.keys(node.properties).some((key) => key !== '__proto__' && hasEmptyEnum((node.properties as Record<string, unknown>)[key]));
}
