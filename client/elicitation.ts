/**
 * Form elicitation on the client side (2025-11-25 client/elicitation: form mode): checking
 * that a server's `requestedSchema` is the flat, primitive-only shape the spec allows,
 * filling the fields an accepted form left out from their schema `default` (SEP-1034) when
 * the application asks for it, and checking accepted content against the schema before it
 * goes back ("clients SHOULD validate content against the requested schema").
 */
import type { ElicitContentValue, ElicitationSchema, PrimitiveSchema } from '../protocol/index.ts';
import { isObject } from '../protocol/jsonrpc.ts';

type Obj = Record<string, unknown>;

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isConstOptions = (value: unknown): value is Array<{ const: string; title: string }> =>
  Array.isArray(value) && value.every((o) => isObject(o) && typeof o.const === 'string' && typeof o.title === 'string');
const isInt = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** 2025-11-25 StringSchema `format` values. */
const STRING_FORMATS = new Set(['email', 'uri', 'date', 'date-time']);

/** Why one property of a requested schema is not a 2025-11-25 PrimitiveSchemaDefinition, if it is not. */
function propertyProblem(name: string, schema: unknown): string | undefined {
  // Worded only when something is wrong: most forms pass.
  const where = { toString: () => `property ${JSON.stringify(name)}` };
  if (!isObject(schema)) return `${where} is not a schema object`;
  for (const key of ['title', 'description'] as const) {
    if (schema[key] !== undefined && typeof schema[key] !== 'string') return `${where}: "${key}" must be a string`;
  }
  switch (schema.type) {
    case 'string': {
      if (schema.enum !== undefined && !isStringArray(schema.enum)) return `${where}: "enum" must be an array of strings`;
      if (schema.enumNames !== undefined && !isStringArray(schema.enumNames)) return `${where}: "enumNames" must be an array of strings`;
      if (schema.oneOf !== undefined && !isConstOptions(schema.oneOf)) return `${where}: "oneOf" must list { const, title } options`;
      if (schema.format !== undefined && !STRING_FORMATS.has(schema.format as string)) return `${where}: unsupported "format" ${JSON.stringify(schema.format)}`;
      for (const key of ['minLength', 'maxLength'] as const) if (schema[key] !== undefined && !isInt(schema[key])) return `${where}: "${key}" must be a non-negative integer`;
      if (schema.default !== undefined && typeof schema.default !== 'string') return `${where}: "default" must be a string`;
      return undefined;
    }
    case 'number':
    case 'integer':
      for (const key of ['minimum', 'maximum', 'default'] as const) {
        if (schema[key] !== undefined && typeof schema[key] !== 'number') return `${where}: "${key}" must be a number`;
      }
      return undefined;
    case 'boolean':
      return schema.default !== undefined && typeof schema.default !== 'boolean' ? `${where}: "default" must be a boolean` : undefined;
    case 'array': {
      // Arrays are allowed only as multi-select enums (untitled `items.enum`, titled `items.anyOf`).
      const items = schema.items;
      const untitled = isObject(items) && items.type === 'string' && isStringArray(items.enum);
      const titled = isObject(items) && isConstOptions(items.anyOf);
      if (!untitled && !titled) return `${where}: an array must be a multi-select enum (items.enum or items.anyOf)`;
      for (const key of ['minItems', 'maxItems'] as const) if (schema[key] !== undefined && !isInt(schema[key])) return `${where}: "${key}" must be a non-negative integer`;
      if (schema.default !== undefined && !isStringArray(schema.default)) return `${where}: "default" must be an array of strings`;
      return undefined;
    }
    default:
      return `${where} has type ${JSON.stringify(schema.type)}; forms allow only string, number, integer, boolean and enum arrays (no nesting)`;
  }
}

/**
 * Why `schema` is not a form the client can show, or undefined when it is: an object schema
 * whose properties are all primitive (2025-11-25 client/elicitation: "flat objects with
 * primitive properties only").
 */
export function requestedSchemaProblem(schema: unknown): string | undefined {
  if (!isObject(schema)) return 'requestedSchema must be an object';
  if (schema.type !== 'object') return 'requestedSchema must have type "object"';
  if (!isObject(schema.properties)) return 'requestedSchema must have a "properties" object';
  if (schema.required !== undefined && !isStringArray(schema.required)) return 'requestedSchema "required" must be an array of strings';
  for (const [name, property] of Object.entries(schema.properties)) {
    const problem = propertyProblem(name, property);
    if (problem) return `requestedSchema ${problem}`;
  }
  return undefined;
}

/**
 * `content` with every property it lacks filled from the schema's `default` (SEP-1034,
 * 2025-11-25 client/elicitation). Values the application gave are kept as they are.
 */
export function applyElicitationDefaults(
  schema: ElicitationSchema, content: Readonly<Record<string, ElicitContentValue>> | undefined,
): Record<string, ElicitContentValue> {
  const out: Record<string, ElicitContentValue> = { ...content };
  for (const [name, property] of Object.entries(schema.properties)) {
    if (Object.hasOwn(out, name) || property.default === undefined) continue;
    out[name] = Array.isArray(property.default) ? [...property.default] : property.default;
  }
  return out;
}

/** The values a single- or multi-select enum allows, or undefined for a free field. */
function allowedValues(schema: PrimitiveSchema): readonly string[] | undefined {
  if ('enum' in schema) return schema.enum;
  if ('oneOf' in schema) return schema.oneOf.map((o) => o.const);
  if (schema.type === 'array') return 'enum' in schema.items ? schema.items.enum : schema.items.anyOf.map((o) => o.const);
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function formatProblem(format: string, value: string): boolean {
  switch (format) {
    case 'email': return !EMAIL.test(value);
    case 'uri': return !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
    case 'date': return !DATE.test(value) || Number.isNaN(Date.parse(value));
    case 'date-time': return !DATE_TIME.test(value) || Number.isNaN(Date.parse(value));
    default: return false;
  }
}

/** What is wrong with one value for one property (empty when nothing). */
function valueProblems(name: string, schema: PrimitiveSchema, value: unknown): string[] {
  const where = JSON.stringify(name);
  const allowed = allowedValues(schema);
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return [`${where} must be a string`];
      if (allowed && !allowed.includes(value)) return [`${where} must be one of ${JSON.stringify(allowed)}`];
      const problems: string[] = [];
      const length = [...value].length;
      if ('minLength' in schema && schema.minLength !== undefined && length < schema.minLength) problems.push(`${where} must have at least ${schema.minLength} characters`);
      if ('maxLength' in schema && schema.maxLength !== undefined && length > schema.maxLength) problems.push(`${where} must have at most ${schema.maxLength} characters`);
      if ('format' in schema && schema.format !== undefined && formatProblem(schema.format, value)) problems.push(`${where} must be a valid ${schema.format}`);
      return problems;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${where} must be a number`];
      if (schema.type === 'integer' && !Number.isInteger(value)) return [`${where} must be an integer`];
      const problems: string[] = [];
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where} must be at least ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where} must be at most ${schema.maximum}`);
      return problems;
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where} must be a boolean`];
    case 'array': {
      if (!isStringArray(value)) return [`${where} must be an array of strings`];
      const problems: string[] = [];
      const outside = value.filter((v) => !allowed?.includes(v));
      if (outside.length > 0) problems.push(`${where} may only contain ${JSON.stringify(allowed)}`);
      if (new Set(value).size !== value.length) problems.push(`${where} must not repeat a value`);
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${where} must have at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${where} must have at most ${schema.maxItems} items`);
      return problems;
    }
    default:
      return [];
  }
}

/**
 * Check accepted form content against the schema it answers: required fields present, each
 * value of its property's type, inside its enum, length, range and format. Fields the schema
 * does not name are left alone (JSON Schema allows them). Returns the problems, or [] .
 */
export function elicitationContentProblems(schema: ElicitationSchema, content: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(content, name)) problems.push(`${JSON.stringify(name)} is required`);
  }
  for (const [name, value] of Object.entries(content)) {
    const property = schema.properties[name];
    if (property) problems.push(...valueProblems(name, property, value));
  }
  return problems;
}
