/**
 * Form elicitation on the client side (2025-11-25 client/elicitation: form mode): checking
 * that a server's `requestedSchema` is the flat, primitive-only shape the spec allows,
 * filling the fields an accepted form left out from their schema `default` (SEP-1034) when
 * the application asks for it, and checking accepted content against the schema before it
 * goes back ("clients SHOULD validate content against the requested schema").
 */
import type { ElicitContentValue, ElicitationSchema, PrimitiveSchema } from '../protocol/index.ts';

import { isStringArray } from '../protocol/elicitation-schema.ts';

export { requestedSchemaProblem } from '../protocol/elicitation-schema.ts';

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

/** A property's name as a problem quotes it: made only when one is worded (one call site's bytes, not sixteen). */
const quoted = (name: string): string => JSON.stringify(name);

/** No problems: shared, never written to. */
const NONE: readonly string[] = [];

/** What is wrong with one value for one property (empty when nothing). */
function valueProblems(name: string, schema: PrimitiveSchema, value: unknown): readonly string[] {
  // Worded only when something is wrong, and a plain string passes with nothing made (bench f-elicit).
  const allowed = allowedValues(schema);
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return [`${quoted(name)} must be a string`];
      if (allowed && !allowed.includes(value)) return [`${quoted(name)} must be one of ${JSON.stringify(allowed)}`];
      const minLength = 'minLength' in schema ? schema.minLength : undefined;
      const maxLength = 'maxLength' in schema ? schema.maxLength : undefined;
      if (minLength === undefined && maxLength === undefined && !('format' in schema && schema.format !== undefined)) return NONE;
      const problems: string[] = [];
      const length = [...value].length;
      if (minLength !== undefined && length < minLength) problems.push(`${quoted(name)} must have at least ${minLength} characters`);
      if (maxLength !== undefined && length > maxLength) problems.push(`${quoted(name)} must have at most ${maxLength} characters`);
      if ('format' in schema && schema.format !== undefined && formatProblem(schema.format, value)) problems.push(`${quoted(name)} must be a valid ${schema.format}`);
      return problems;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${quoted(name)} must be a number`];
      if (schema.type === 'integer' && !Number.isInteger(value)) return [`${quoted(name)} must be an integer`];
      const problems: string[] = [];
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${quoted(name)} must be at least ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${quoted(name)} must be at most ${schema.maximum}`);
      return problems;
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${quoted(name)} must be a boolean`];
    case 'array': {
      if (!isStringArray(value)) return [`${quoted(name)} must be an array of strings`];
      const problems: string[] = [];
      const outside = value.filter((v) => !allowed?.includes(v));
      if (outside.length > 0) problems.push(`${quoted(name)} may only contain ${JSON.stringify(allowed)}`);
      if (new Set(value).size !== value.length) problems.push(`${quoted(name)} must not repeat a value`);
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${quoted(name)} must have at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${quoted(name)} must have at most ${schema.maxItems} items`);
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
  if (schema.required) {
    for (const name of schema.required) if (!Object.hasOwn(content, name)) problems.push(`${quoted(name)} is required`);
  }
  for (const name in content) {
    const property = Object.hasOwn(content, name) ? schema.properties[name] : undefined;
    if (property) problems.push(...valueProblems(name, property, content[name]));
  }
  return problems;
}
