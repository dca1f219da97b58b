/**
 * The meta-schema check of a plain schema (schema-plain-subset.ts) without ajv.
 *
 * A plain schema is refused when its dialect's meta-schema refuses it (2025-11-25 basic, JSON
 * Schema usage: 2020-12 by default, draft-07 when declared), with the message ajv gives:
 * `schema is invalid: data/type must be equal to one of the allowed values, ...`. The lines
 * follow the order in which ajv walks the meta-schemas (2020-12: the applicator vocabulary,
 * then validation, then meta-data; draft-07: the order of its `properties`), checked against
 * ajv by test/schema-plain-differential.test.ts.
 */
import { jsonEqual } from '../protocol/json-equal.ts';
import { isObject } from '../protocol/jsonrpc.ts';
import type { Dialect } from './schema-dialect-names.ts';

const SIMPLE_TYPES: ReadonlySet<unknown> = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

/** JSON Pointer escaping of one key, as ajv writes paths. */
export const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

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

/** The number and count keywords in `keys`, each if present. */
function metaNumbers(node: Record<string, unknown>, path: string, out: Out, keys: readonly string[]): void {
  for (const key of keys) {
    if (!Object.hasOwn(node, key)) continue;
    if (NUMBERS.includes(key as never)) { if (typeof node[key] !== 'number') out.push(`${path}/${key} must be number`); }
    else metaNonNegativeInteger(node[key], `${path}/${key}`, out);
  }
}

/** Keywords whose value must be of one JSON type (`must be string`...), each if present. */
function metaTyped(node: Record<string, unknown>, path: string, out: Out, keys: readonly string[], type: 'string' | 'boolean'): void {
  for (const key of keys) if (Object.hasOwn(node, key) && typeof node[key] !== type) out.push(`${path}/${key} must be ${type}`);
}

/** `multipleOf`: a number above 0. */
function metaMultipleOf(node: Record<string, unknown>, path: string, out: Out): void {
  if (!has(node, 'multipleOf')) return;
  const value = node.multipleOf;
  if (typeof value !== 'number') out.push(`${path}/multipleOf must be number`);
  else if (!(value > 0)) out.push(`${path}/multipleOf must be > 0`);
}

type Meta = (value: unknown, path: string, out: Out) => void;

/** A keyword whose value maps names to schemas (`properties`, `$defs`...). */
function metaMap(node: Record<string, unknown>, key: string, path: string, out: Out, each: Meta): void {
  if (!Object.hasOwn(node, key)) return;
  const map = node[key];
  if (!isObject(map)) out.push(`${path}/${key} must be object`);
  else for (const name in map) each(map[name], `${path}/${key}/${escapePointer(name)}`, out);
}

/** `allOf`, `anyOf`, `oneOf` (by default), `prefixItems`: a non-empty array of schemas. */
function metaSchemaArrays(node: Record<string, unknown>, path: string, out: Out, each: Meta, keys = ['allOf', 'anyOf', 'oneOf']): void {
  for (const key of keys) {
    if (!Object.hasOwn(node, key)) continue;
    const list = node[key];
    if (!Array.isArray(list)) out.push(`${path}/${key} must be array`);
    else if (list.length === 0) out.push(`${path}/${key} must NOT have fewer than 1 items`);
    else list.forEach((item, i) => each(item, `${path}/${key}/${i}`, out));
  }
}

const has = (node: Record<string, unknown>, key: string) => Object.hasOwn(node, key);

/** Keywords whose value is one schema (`items`, `if`...), each if present, in the order given. */
function metaSubschemas(node: Record<string, unknown>, path: string, out: Out, each: Meta, keys: readonly string[]): void {
  for (const key of keys) if (has(node, key)) each(node[key], `${path}/${key}`, out);
}

/** 2020-12: the schema meta-schema and its seven vocabulary meta-schemas, each asking for an object or a boolean. */
function meta2020(node: unknown, path: string, out: Out): void {
  if (typeof node === 'boolean') return;
  if (!isObject(node)) {
    for (let i = 0; i < 8; i++) out.push(`${path} must be object,boolean`);
    return;
  }
  // core
  metaTyped(node, path, out, ['$ref', '$comment'], 'string');
  metaMap(node, '$defs', path, out, meta2020);
  // applicator
  metaSchemaArrays(node, path, out, meta2020, ['prefixItems']);
  metaSubschemas(node, path, out, meta2020, ['items', 'contains', 'additionalProperties']);
  metaMap(node, 'properties', path, out, meta2020);
  metaMap(node, 'patternProperties', path, out, meta2020);
  metaSubschemas(node, path, out, meta2020, ['propertyNames', 'if', 'then', 'else']);
  metaSchemaArrays(node, path, out, meta2020);
  if (has(node, 'not')) meta2020(node.not, `${path}/not`, out);
  // validation
  if (has(node, 'type')) metaType(node.type, `${path}/type`, out);
  if (has(node, 'enum') && !Array.isArray(node.enum)) out.push(`${path}/enum must be array`);
  metaMultipleOf(node, path, out);
  metaNumbers(node, path, out, [...NUMBERS, 'maxLength', 'minLength']);
  metaTyped(node, path, out, ['pattern'], 'string');
  metaNumbers(node, path, out, ['maxItems', 'minItems']);
  metaTyped(node, path, out, ['uniqueItems'], 'boolean');
  metaNumbers(node, path, out, ['maxContains', 'minContains', 'maxProperties', 'minProperties']);
  if (has(node, 'required')) metaStringArray(node.required, `${path}/required`, out);
  // meta-data
  metaTyped(node, path, out, ['title', 'description'], 'string');
  metaTyped(node, path, out, ['deprecated', 'readOnly', 'writeOnly'], 'boolean');
  if (has(node, 'examples') && !Array.isArray(node.examples)) out.push(`${path}/examples must be array`);
  // format-annotation, content
  metaTyped(node, path, out, ['format', 'contentEncoding', 'contentMediaType'], 'string');
  metaSubschemas(node, path, out, meta2020, ['contentSchema']); // an annotation, checked as a schema
  // the schema meta-schema's own: `definitions`, the older name of `$defs`
  metaMap(node, 'definitions', path, out, meta2020);
}

/** draft-07: one meta-schema; its keywords in the order of its `properties`. */
function meta07(node: unknown, path: string, out: Out): void {
  if (typeof node === 'boolean') return;
  if (!isObject(node)) {
    out.push(`${path} must be object,boolean`);
    return;
  }
  metaTyped(node, path, out, ['$ref', '$comment', 'title', 'description'], 'string');
  metaTyped(node, path, out, ['readOnly'], 'boolean');
  if (has(node, 'examples') && !Array.isArray(node.examples)) out.push(`${path}/examples must be array`);
  metaMultipleOf(node, path, out);
  metaNumbers(node, path, out, [...NUMBERS, 'maxLength', 'minLength']);
  metaTyped(node, path, out, ['pattern'], 'string');
  if (has(node, 'items')) {
    const inner: Out = [];
    meta07(node.items, `${path}/items`, inner);
    if (inner.length > 0) out.push(...inner, `${path}/items must be array`, `${path}/items must match a schema in anyOf`);
  }
  metaNumbers(node, path, out, ['maxItems', 'minItems']);
  metaTyped(node, path, out, ['uniqueItems'], 'boolean');
  metaSubschemas(node, path, out, meta07, ['contains']);
  metaNumbers(node, path, out, ['maxProperties', 'minProperties']);
  if (has(node, 'required')) metaStringArray(node.required, `${path}/required`, out);
  if (has(node, 'additionalProperties')) meta07(node.additionalProperties, `${path}/additionalProperties`, out);
  metaMap(node, 'definitions', path, out, meta07);
  metaMap(node, 'properties', path, out, meta07);
  metaMap(node, 'patternProperties', path, out, meta07);
  if (has(node, 'propertyNames')) meta07(node.propertyNames, `${path}/propertyNames`, out);
  if (has(node, 'enum')) {
    const values = node.enum;
    if (!Array.isArray(values)) out.push(`${path}/enum must be array`);
    else {
      if (values.length === 0) out.push(`${path}/enum must NOT have fewer than 1 items`);
      uniqueAny(values, `${path}/enum`, out);
    }
  }
  if (has(node, 'type')) metaType(node.type, `${path}/type`, out);
  metaTyped(node, path, out, ['format', 'contentMediaType', 'contentEncoding'], 'string');
  metaSubschemas(node, path, out, meta07, ['if', 'then', 'else']);
  metaSchemaArrays(node, path, out, meta07);
  if (has(node, 'not')) meta07(node.not, `${path}/not`, out);
}

/**
 * Why ajv's meta-schema check would refuse the plain schema `schema` ("schema is invalid:
 * ..."), or undefined when it passes. What ajv refuses later, as it compiles (an empty `enum`,
 * a pattern that does not compile), schema-plain.ts refuses as it compiles.
 */
export function plainSchemaError(schema: Record<string, unknown>, dialect: Dialect): string | undefined {
  const out: Out = [];
  if (dialect === 'draft-07') meta07(schema, 'data', out);
  else meta2020(schema, 'data', out);
  return out.length > 0 ? `schema is invalid: ${out.join(', ')}` : undefined;
}
