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

const SIMPLE_TYPES: ReadonlySet<unknown> = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

const isNonNegativeInteger = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const isFiniteNumber = (value: unknown) => Number.isFinite(value);
const isString = (value: unknown) => typeof value === 'string';
const isAnything = () => true;

/** An array of at least `minItems` distinct strings each passing `each` (the meta-schemas' `uniqueItems`). */
function isDistinctStrings(value: unknown, each: (item: string) => boolean, minItems: number): boolean {
  if (!Array.isArray(value) || value.length < minItems) return false;
  for (const item of value) if (typeof item !== 'string' || !each(item)) return false;
  return new Set(value).size === value.length;
}

/** draft-07 wants `enum` non-empty and distinct; distinct is easy to check for primitives only. */
function isPrimitiveEnum(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const item of value) if (item !== null && typeof item !== 'string' && typeof item !== 'boolean' && !Number.isFinite(item)) return false;
  return new Set(value).size === value.length;
}

const isType = (value: unknown) => SIMPLE_TYPES.has(value) || isDistinctStrings(value, (item) => SIMPLE_TYPES.has(item), 1);
const isSubschema = (value: unknown): boolean => typeof value === 'boolean' || isKnownValidNode(value);

function isPropertyMap(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const child of Object.values(value)) if (!isSubschema(child)) return false;
  return true;
}

/** Each keyword of the easy subset, and what its value must be. */
const KEYWORDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  type: isType,
  properties: isPropertyMap,
  required: (value) => isDistinctStrings(value, () => true, 0),
  additionalProperties: isSubschema,
  items: isSubschema,
  enum: isPrimitiveEnum,
  const: isAnything,
  default: isAnything,
  title: isString,
  description: isString,
  format: isString,
  minimum: isFiniteNumber,
  maximum: isFiniteNumber,
  minLength: isNonNegativeInteger,
  maxLength: isNonNegativeInteger,
  minItems: isNonNegativeInteger,
  maxItems: isNonNegativeInteger,
};

function isKnownValidNode(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return false;
  for (const [key, value] of Object.entries(schema)) {
    const check = Object.hasOwn(KEYWORDS, key) ? KEYWORDS[key] : undefined;
    if (!check || !check(value)) return false;
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
