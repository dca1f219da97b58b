/**
 * Schemas from any library, or none: a Standard Schema (zod 4, valibot, arktype, ...) is
 * validated by its own `~standard.validate` and listed as the JSON Schema its Standard JSON
 * Schema export (`~standard.jsonSchema`) gives, or the `toJsonSchema` option converts; a
 * JSON Schema object is listed as given and validated by ajv. No schema library is imported:
 * `@standard-schema/spec` is types only.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { LocalErrorCode, McpError } from '../protocol/index.ts';
import type { AnyStandardSchema } from './schema-infer.ts';
import { formatIssues } from './schema-issues.ts';
import type { SchemaValidator } from './validation.ts';

/**
 * Converts a Standard Schema whose library has no `~standard.jsonSchema` (valibot needs
 * `@valibot/to-json-schema`, for instance) to a JSON Schema: `io` says which side (a tool's
 * input is described by its input type, a result by its output type).
 */
export type ToJsonSchema = (schema: AnyStandardSchema, io: 'input' | 'output') => object;

/** A check's outcome: the value to use (a Standard Schema's parsed output), or why it failed. */
export type CheckOutcome = { ok: true; value: unknown } | { ok: false; errors: string[] };

/** A compiled check; a Standard Schema may validate asynchronously. */
export type Check = (value: unknown) => CheckOutcome | Promise<CheckOutcome>;

/** A schema made ready for use: the JSON Schema to list or send, and the check of values. */
export interface PreparedSchema {
  readonly json: Record<string, unknown>;
  readonly check: Check;
  /** True when the check may answer with a promise (a Standard Schema). */
  readonly standard: boolean;
  /** The JSON Schema's own check while it waits for ajv to load (validation.ts `ready`); rejects when refused. */
  readonly ready?: (() => Promise<void> | undefined) | undefined;
}

/** True for an object implementing the Standard Schema interface (arktype's are functions). */
export function isStandardSchema(value: unknown): value is AnyStandardSchema {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const std = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof std === 'object' && std !== null && typeof std.validate === 'function';
}

/**
 * The JSON Schema (2020-12) of a Standard Schema's input or output side. Throws McpError
 * `MCP_ERR_VALIDATION` naming `what` when the library has no export and no `toJsonSchema`
 * was given, or when the conversion fails.
 */
export function standardJsonSchema(schema: AnyStandardSchema, io: 'input' | 'output', what: string, toJsonSchema?: ToJsonSchema): Record<string, unknown> {
  const std = schema['~standard'] as StandardSchemaV1.Props & { jsonSchema?: { input?: unknown; output?: unknown } };
  const convert = std.jsonSchema?.[io];
  let json: unknown;
  try {
    if (typeof convert === 'function') json = (convert as (o: { target: string }) => unknown)({ target: 'draft-2020-12' });
    else if (toJsonSchema) json = toJsonSchema(schema, io);
    else {
      throw new McpError(LocalErrorCode.Validation, `${what}: the ${std.vendor} schema has no Standard JSON Schema export (~standard.jsonSchema); `
        + 'pass the toJsonSchema option to convert it');
    }
  } catch (cause) {
    if (cause instanceof McpError) throw cause;
    throw new McpError(LocalErrorCode.Validation, `${what}: converting the ${std.vendor} schema to JSON Schema failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new McpError(LocalErrorCode.Validation, `${what}: the ${std.vendor} schema converted to ${JSON.stringify(json)}, not a JSON Schema object`);
  }
  return json as Record<string, unknown>;
}

/** A check by the schema's own `~standard.validate`; passes on its parsed output. */
export function standardCheck(schema: AnyStandardSchema, maxErrors = 20): Check {
  const outcome = (result: StandardSchemaV1.Result<unknown>): CheckOutcome =>
    result.issues ? { ok: false, errors: formatIssues(result.issues, maxErrors) } : { ok: true, value: result.value };
  return (value) => {
    const result = schema['~standard'].validate(value);
    return result instanceof Promise ? result.then(outcome) : outcome(result);
  };
}

/**
 * Prepare `schema` (a Standard Schema or a JSON Schema object) for listing and checking.
 * A JSON Schema is kept by reference, listed exactly as given.
 */
export function prepareSchema(schema: object, io: 'input' | 'output', what: string, validator: SchemaValidator, toJsonSchema?: ToJsonSchema): PreparedSchema {
  if (isStandardSchema(schema)) return { json: standardJsonSchema(schema, io, what, toJsonSchema), check: standardCheck(schema), standard: true };
  const validate = validator.compile(schema);
  const outcome = (value: unknown): CheckOutcome => {
    const checked = validate(value);
    return checked.ok ? { ok: true, value } : checked;
  };
  return {
    json: schema as Record<string, unknown>,
    check: (value) => {
      // A schema naming a `format` waits for the formats' code the first time (schema-formats.ts).
      const pending = validate.pending?.();
      return pending ? pending.then(() => outcome(value)) : outcome(value);
    },
    standard: false,
    ready: validate.ready,
  };
}
