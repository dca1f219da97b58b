/**
 * The prepared form of an elicitation's `requestedSchema`, kept per schema object (bench f: a
 * `PreparedSchema` and two closures, and for a Standard Schema its JSON Schema conversion, were
 * made on every `ctx.elicit()` asking with the same object).
 *
 * A tool may build its form once and change it between questions (a list of choices refreshed,
 * a bound moved). A JSON Schema object is therefore kept with a copy of what it was when it was
 * prepared, and compared with it, without allocating, on every use: changed in any way, it is
 * prepared again from a copy of its new state (the validator caches its compilations by object
 * identity, so the live object would be checked by the old compilation), never served stale.
 * A Standard Schema (zod, valibot, arktype) is kept by identity only: those libraries' schemas
 * are immutable; a changed one is a new object.
 */
import { LocalErrorCode, McpError } from '../protocol/index.ts';
import { jsonEqual } from '../protocol/json-equal.ts';
import { isStandardSchema, prepareSchema, type PreparedSchema, type ToJsonSchema } from './schema-standard.ts';
import type { SchemaValidator } from './validation.ts';

interface Kept {
  validator: SchemaValidator;
  toJsonSchema: ToJsonSchema | undefined;
  /** The JSON Schema's state when prepared (JSON's own copy); undefined for a Standard Schema. */
  snapshot: unknown;
  prepared: PreparedSchema;
}

/** Weak: a form a tool drops is forgotten with it. */
const kept = new WeakMap<object, Kept>();

/**
 * `schema` prepared as an elicitation form for `validator` (schema-standard.ts `prepareSchema`),
 * the same object again while `schema` is unchanged since it was prepared.
 */
export function preparedForm(schema: object, validator: SchemaValidator, toJsonSchema: ToJsonSchema | undefined): PreparedSchema {
  const known = kept.get(schema);
  if (known !== undefined && known.validator === validator && known.toJsonSchema === toJsonSchema
    && (known.snapshot === undefined || jsonEqual(schema, known.snapshot))) return known.prepared;
  const what = 'elicitation requestedSchema';
  if (isStandardSchema(schema)) {
    const prepared = prepareSchema(schema, 'input', what, validator, toJsonSchema);
    kept.set(schema, { validator, toJsonSchema, snapshot: undefined, prepared });
    return prepared;
  }
  // First use: prepared as it is (the validator's own checks and messages). Changed since: the
  // validator would answer by the object's identity with the old compilation, so its new state
  // is prepared from a copy, listed and sent as the live object (unchanged while this serves it).
  const compiled = prepareSchema(known === undefined ? schema : jsonCopy(schema), 'input', what, validator, toJsonSchema);
  const prepared: PreparedSchema = compiled.json === schema ? compiled : { ...compiled, json: schema as Record<string, unknown> };
  kept.set(schema, { validator, toJsonSchema, snapshot: jsonCopy(schema), prepared });
  return prepared;
}

/** `schema`'s state now, as JSON copies it; what JSON cannot hold (a cycle) refused as a bad schema. */
function jsonCopy(schema: object): object {
  try {
    return JSON.parse(JSON.stringify(schema)) as object;
  } catch (cause) {
    throw new McpError(LocalErrorCode.Validation, `invalid JSON Schema: elicitation requestedSchema: ${(cause as Error).message}`, { cause });
  }
}
