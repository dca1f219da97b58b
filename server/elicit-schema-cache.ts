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
    && (known.snapshot === undefined || sameJson(schema, known.snapshot))) return known.prepared;
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

/**
 * True when `live` is, as JSON, what `snapshot` (a JSON copy) is: what JSON leaves out (an
 * undefined or function value) is left out here too. No allocation: a walk of both.
 */
function sameJson(live: unknown, snapshot: unknown): boolean {
  if (live === snapshot) return true;
  if (typeof live !== 'object' || live === null || typeof snapshot !== 'object' || snapshot === null) return false;
  if (Array.isArray(live)) {
    if (!Array.isArray(snapshot) || live.length !== snapshot.length) return false;
    for (let i = 0; i < live.length; i++) if (!sameJson(live[i] ?? null, snapshot[i])) return false;
    return true;
  }
  if (Array.isArray(snapshot)) return false;
  const a = live as Record<string, unknown>;
  const b = snapshot as Record<string, unknown>;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    const value = a[key];
    if (value === undefined || typeof value === 'function') continue;
    count++;
    if (!Object.hasOwn(b, key) || !sameJson(value, b[key])) return false;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--;
  return count === 0;
}
