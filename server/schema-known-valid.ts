/**
 * Which schemas need no meta-schema check before ajv compiles them.
 *
 * ajv checks a schema against its dialect's meta-schema before compiling it, and the first
 * such check compiles the meta-schema itself: for 2020-12 that is ~150 ms and ~1.7 MB of
 * heap kept for the process's life, spent when the first tool registers (issue #20 item 5:
 * it was most of the garbage a legacy server made while starting). Most tool schemas use a
 * handful of keywords whose values are easy to check by hand, so a schema made only of those
 * keywords, with values the meta-schema accepts, is compiled without it; any other schema
 * still gets ajv's check, so what is refused, and with which message, is unchanged (both
 * dialects' meta-schemas accept everything this accepts: 2020-12 validation, applicator and
 * meta-data vocabularies; draft-07's schema).
 */
import { isObject } from '../protocol/jsonrpc.ts';

const SIMPLE_TYPES: ReadonlySet<unknown> = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

/** An array of at least `minItems` items each passing `each`, all distinct (the meta-schemas' `uniqueItems`; items are primitives). */
const isDistinct = (value: unknown, each: (item: unknown) => boolean, minItems: number) =>
  Array.isArray(value) && value.length >= minItems && value.every(each) && new Set(value).size === value.length;
const isPrimitive = (item: unknown) => item === null || typeof item === 'string' || typeof item === 'boolean' || Number.isFinite(item);
const isString = (value: unknown) => typeof value === 'string';
const isNonNegativeInteger = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const isAnything = () => true;
const isSubschema = (value: unknown): boolean => typeof value === 'boolean' || isKnownValidNode(value);

/** Each keyword of the easy subset, and what its value must be (draft-07 wants `enum` non-empty). */
const KEYWORDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  type: (value) => SIMPLE_TYPES.has(value) || isDistinct(value, (item) => SIMPLE_TYPES.has(item), 1),
  properties: (value) => isObject(value) && Object.values(value).every(isSubschema),
  required: (value) => isDistinct(value, isString, 0),
  additionalProperties: isSubschema,
  items: isSubschema,
  enum: (value) => isDistinct(value, isPrimitive, 1),
  const: isAnything,
  default: isAnything,
  title: isString,
  description: isString,
  format: isString,
  minimum: Number.isFinite,
  maximum: Number.isFinite,
  minLength: isNonNegativeInteger,
  maxLength: isNonNegativeInteger,
  minItems: isNonNegativeInteger,
  maxItems: isNonNegativeInteger,
};

function isKnownValidNode(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (!Object.hasOwn(KEYWORDS, key) || !KEYWORDS[key]!(value)) return false;
  }
  return true;
}

/**
 * True when every dialect's meta-schema accepts `schema` (its `$schema`, if any, was already
 * checked by the caller), so compiling it needs no meta-schema check. False means "check it",
 * not "invalid". The caller has bounded the schema's depth.
 */
export function isKnownValidSchema(schema: object): boolean {
  if (!('$schema' in schema)) return isKnownValidNode(schema);
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  return isKnownValidNode(rest);
}
