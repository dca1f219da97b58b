/**
 * The shape a form elicitation's `requestedSchema` may take (2025-11-25 client/elicitation:
 * "flat objects with primitive properties only"; the same in 2026-07-28). Platform-free, so
 * that the server refuses to send a form the spec does not allow and the client refuses to
 * show one.
 */
import { isObject } from './jsonrpc.ts';
import { versionAtLeast } from './versions.ts';

/** True for an array of strings (enum values, `required`, multi-select defaults). */
export const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isConstOptions = (value: unknown): value is Array<{ const: string; title: string }> =>
  Array.isArray(value) && value.every((o) => isObject(o) && typeof o.const === 'string' && typeof o.title === 'string');
const isInt = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** 2025-11-25 StringSchema `format` values. */
const STRING_FORMATS = new Set(['email', 'uri', 'date', 'date-time']);

/**
 * The first version with multi-select enums (arrays of strings): 2025-06-18's
 * PrimitiveSchemaDefinition is a string, number, boolean or single-choice enum only.
 */
const ARRAYS_SINCE = '2025-11-25';

const at = (name: string): string => `property ${JSON.stringify(name)}`;
const TEXT_KEYS = ['title', 'description'] as const;
const LENGTH_KEYS = ['minLength', 'maxLength'] as const;
const NUMBER_KEYS = ['minimum', 'maximum', 'default'] as const;
const ITEMS_KEYS = ['minItems', 'maxItems'] as const;

/** Why one property of a requested schema is not a PrimitiveSchemaDefinition of `version` (default 2025-11-25), if it is not. */
function propertyProblem(name: string, schema: unknown, version: string | undefined): string | undefined {
  // Worded only when something is wrong (`at(name)`): most forms pass, and make nothing here (bench f-elicit: both sides, every round trip).
  if (!isObject(schema)) return `${at(name)} is not a schema object`;
  for (const key of TEXT_KEYS) {
    if (schema[key] !== undefined && typeof schema[key] !== 'string') return `${at(name)}: "${key}" must be a string`;
  }
  switch (schema.type) {
    case 'string': {
      if (schema.enum !== undefined && !isStringArray(schema.enum)) return `${at(name)}: "enum" must be an array of strings`;
      if (schema.enumNames !== undefined && !isStringArray(schema.enumNames)) return `${at(name)}: "enumNames" must be an array of strings`;
      if (schema.oneOf !== undefined && !isConstOptions(schema.oneOf)) return `${at(name)}: "oneOf" must list { const, title } options`;
      if (schema.format !== undefined && !STRING_FORMATS.has(schema.format as string)) return `${at(name)}: unsupported "format" ${JSON.stringify(schema.format)}`;
      for (const key of LENGTH_KEYS) if (schema[key] !== undefined && !isInt(schema[key])) return `${at(name)}: "${key}" must be a non-negative integer`;
      if (schema.default !== undefined && typeof schema.default !== 'string') return `${at(name)}: "default" must be a string`;
      return undefined;
    }
    case 'number':
    case 'integer':
      for (const key of NUMBER_KEYS) {
        if (schema[key] !== undefined && typeof schema[key] !== 'number') return `${at(name)}: "${key}" must be a number`;
      }
      return undefined;
    case 'boolean':
      return schema.default !== undefined && typeof schema.default !== 'boolean' ? `${at(name)}: "default" must be a boolean` : undefined;
    case 'array': {
      // 2025-11-25 schema: arrays are allowed only as multi-select enums (untitled `items.enum`, titled `items.anyOf`).
      if (version !== undefined && !versionAtLeast(version, ARRAYS_SINCE)) return `${at(name)}: a multi-select (an array) needs protocol ${ARRAYS_SINCE}; this session uses ${version}`;
      const items = schema.items;
      const untitled = isObject(items) && items.type === 'string' && isStringArray(items.enum);
      const titled = isObject(items) && isConstOptions(items.anyOf);
      if (!untitled && !titled) return `${at(name)}: an array must be a multi-select enum (items.enum or items.anyOf)`;
      for (const key of ITEMS_KEYS) if (schema[key] !== undefined && !isInt(schema[key])) return `${at(name)}: "${key}" must be a non-negative integer`;
      if (schema.default !== undefined && !isStringArray(schema.default)) return `${at(name)}: "default" must be an array of strings`;
      return undefined;
    }
    default:
      return `${at(name)} has type ${JSON.stringify(schema.type)}; forms allow only string, number, integer, boolean and enum arrays (no nesting)`;
  }
}

/**
 * Why `schema` is not a form the client can show, or undefined when it is: an object schema
 * whose properties are all primitive (2025-11-25 client/elicitation: "flat objects with
 * primitive properties only"). With `version`, only what that protocol version has.
 */
export function requestedSchemaProblem(schema: unknown, version?: string): string | undefined {
  if (!isObject(schema)) return 'requestedSchema must be an object';
  if (schema.type !== 'object') return 'requestedSchema must have type "object"';
  if (!isObject(schema.properties)) return 'requestedSchema must have a "properties" object';
  if (schema.required !== undefined && !isStringArray(schema.required)) return 'requestedSchema "required" must be an array of strings';
  const properties = schema.properties;
  for (const name in properties) {
    if (!Object.hasOwn(properties, name)) continue;
    const problem = propertyProblem(name, properties[name], version);
    if (problem) return `requestedSchema ${problem}`;
  }
  return undefined;
}

/**
 * The first version whose single-select enums may name their choices as `oneOf` of
 * `{ const, title }` (2025-11-25 TitledSingleSelectEnumSchema). 2025-06-18's EnumSchema names
 * them with `enum` and `enumNames` only: its clients show a `oneOf` property as free text.
 */
const TITLED_ONE_OF_SINCE = '2025-11-25';

/**
 * `schema` (a form {@link requestedSchemaProblem} accepts) as a client on `version` reads it:
 * before 2025-11-25 a titled single-select (`oneOf` of `{ const, title }`, no `enum`) becomes
 * the same choices as `enum` + `enumNames` (2025-06-18 client/elicitation: enum schema). The
 * answers are the same values, so the server checks them against the schema it was given.
 * The same object when nothing changes.
 */
export function fitRequestedSchema<S>(schema: S, version: string | undefined): S {
  if (version === undefined || versionAtLeast(version, TITLED_ONE_OF_SINCE) || !isObject(schema) || !isObject(schema.properties)) return schema;
  let properties: Record<string, unknown> | undefined;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isObject(property) || property.type !== 'string' || property.enum !== undefined || !isConstOptions(property.oneOf)) continue;
    const { oneOf, ...rest } = property;
    properties ??= { ...schema.properties };
    properties[name] = { ...rest, enum: oneOf.map((o) => o.const), enumNames: oneOf.map((o) => o.title) };
  }
  return properties ? { ...schema, properties } : schema;
}
