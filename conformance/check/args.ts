/**
 * Tool arguments generated from an `inputSchema`: a valid value (required properties, each
 * the simplest value its schema allows) and an invalid one (a required property of the
 * wrong type), so the driver can call every tool without knowing it.
 */
type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_DEPTH = 6;

function typeOf(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
  if (isSchema(schema.properties)) return 'object';
  return undefined;
}

function stringFor(schema: Schema): string {
  switch (schema.format) {
    case 'uri': case 'url': return 'https://example.com/mcpwire-check';
    case 'email': return 'check@example.com';
    case 'date': return '2026-01-01';
    case 'date-time': return '2026-01-01T00:00:00Z';
    case 'uuid': return '00000000-0000-4000-8000-000000000000';
    default: break;
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(min, 5);
  return 'check'.padEnd(min, 'x').slice(0, Math.max(min, Math.min(max, 5)));
}

function numberFor(schema: Schema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined;
  let n = min ?? (max !== undefined && max < 1 ? max : 1);
  if (integer) n = Math.ceil(n);
  return n;
}

/** The simplest value `schema` allows (best effort: `default`, `const`, `enum` first). */
export function validValue(schema: unknown, depth = 0): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) return validValue(list[0], depth + 1);
  }
  switch (typeOf(schema)) {
    case 'string': return stringFor(schema);
    case 'integer': return numberFor(schema, true);
    case 'number': return numberFor(schema, false);
    case 'boolean': return true;
    case 'null': return null;
    case 'array': {
      const n = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: n }, () => validValue(schema.items, depth + 1));
    }
    case 'object': return validObject(schema, depth);
    default: return 'check';
  }
}

function validObject(schema: Schema, depth: number): Record<string, unknown> {
  const props = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const name of required) out[name] = validValue(props[name], depth + 1);
  return out;
}

/** Valid arguments for a tool's `inputSchema`. */
export function validArguments(inputSchema: unknown): Record<string, unknown> {
  return isSchema(inputSchema) ? validObject(inputSchema, 0) : {};
}

/** A value of a type `schema` does not allow. */
function wrongValue(schema: unknown): unknown {
  const t = isSchema(schema) ? typeOf(schema) : undefined;
  if (t === 'string') return 12345;
  if (t === 'object' || t === 'array') return 'not-an-object';
  return { not: 'a scalar' };
}

/**
 * Arguments `inputSchema` rejects: a required property (else any declared one) of the wrong
 * type. Undefined when the schema accepts anything (no properties).
 */
export function invalidArguments(inputSchema: unknown): Record<string, unknown> | undefined {
  if (!isSchema(inputSchema) || !isSchema(inputSchema.properties)) return undefined;
  const props = inputSchema.properties;
  const required = Array.isArray(inputSchema.required) ? inputSchema.required.filter((r): r is string => typeof r === 'string') : [];
  const target = required.find((r) => isSchema(props[r]) && typeOf(props[r] as Schema) !== undefined) ?? Object.keys(props).find((k) => isSchema(props[k]) && typeOf(props[k] as Schema) !== undefined);
  if (target === undefined) return undefined;
  return { ...validArguments(inputSchema), [target]: wrongValue(props[target]) };
}
