/**
 * JSON Schema validation for tool `inputSchema` / `outputSchema` and elicitation content.
 *
 * 2025-11-25 basic (JSON Schema usage): the dialect is 2020-12 when `$schema` is absent;
 * draft-07 is accepted when declared; any other dialect gets a graceful error. 2026-07-28
 * adds that network `$ref`s MUST NOT be dereferenced by default and that validators SHOULD
 * bound depth and subschema count: no `loadSchema` is configured, and both bounds are options.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/core.js';
import { LocalErrorCode, McpError } from '../protocol/errors.ts';
import { addFormats, formatsPending, loadFormats } from './schema-formats.ts';
import { isKnownValidSchema } from './schema-known-valid.ts';
import { createSchemaEngine, DIALECT_2020_12, DIALECT_DRAFT_07, type Dialect, type SchemaEngine } from './schema-dialects.ts';

export { DIALECT_2020_12, DIALECT_DRAFT_07 };

/** The outcome of checking one value against a compiled schema. */
export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

/** The one result of every check that passes (nothing to allocate per call). */
const VALID: ValidationResult = Object.freeze({ ok: true });

/**
 * A compiled schema: call it with a value to check it. `pending` is there when the schema
 * names a `format` whose code (loaded with `import()`, schema-formats.ts) may not be loaded
 * yet: it returns the load to await before checking, or undefined once loaded.
 */
export type ValidateFn = ((value: unknown) => ValidationResult) & { readonly pending?: () => Promise<void> | undefined };

/** Options of {@link createSchemaValidator}. */
export interface SchemaValidatorOptions {
  /** Deepest nesting of objects/arrays a schema may have. Default 64. */
  maxSchemaDepth?: number;
  /** Most objects and arrays (subschemas and their containers) a schema may hold. Default 10000. */
  maxSchemaNodes?: number;
  /** Compiled validators kept by JSON text (least recently used evicted). Default 1000. */
  maxCacheEntries?: number;
  /** Error strings reported per failed check; the rest are summarised in one line. Default 20. */
  maxErrors?: number;
}

/** Compiles JSON Schemas into validators; see {@link createSchemaValidator}. */
export interface SchemaValidator {
  /**
   * Compile `schema` (which is never mutated). Throws an McpError `MCP_ERR_VALIDATION` for
   * an unsupported dialect, an invalid schema, a schema over the limits, or a `$ref` that
   * does not resolve inside the schema.
   */
  compile(schema: object): ValidateFn;
}

const DEFAULTS = { maxSchemaDepth: 64, maxSchemaNodes: 10_000, maxCacheEntries: 1000, maxErrors: 20 } as const;

function dialectOf(schema: object): Dialect {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared === undefined) return '2020-12';
  if (declared === DIALECT_2020_12 || declared === `${DIALECT_2020_12}#`) return '2020-12';
  if (declared === DIALECT_DRAFT_07 || declared === DIALECT_DRAFT_07.slice(0, -1)) return 'draft-07';
  throw new McpError(LocalErrorCode.Validation, `unsupported JSON Schema dialect: ${JSON.stringify(declared)}`);
}

/**
 * Walk the schema before handing it to ajv: bounds depth and size (2026-07-28 SHOULD), and
 * turns a cyclic object into a clear error instead of a stack overflow.
 */
function checkShape(schema: object, maxDepth: number, maxNodes: number): void {
  let nodes = 0;
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (depth > maxDepth) {
      throw new McpError(LocalErrorCode.Validation, `schema is nested deeper than maxSchemaDepth (${maxDepth})`);
    }
    if (++nodes > maxNodes) {
      throw new McpError(LocalErrorCode.Validation, `schema has more than maxSchemaNodes (${maxNodes}) objects and arrays`);
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child, depth + 1);
  };
  visit(schema, 1);
}

function describeParams(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return ` (${JSON.stringify(p.additionalProperty)})`;
    case 'unevaluatedProperties':
      return ` (${JSON.stringify(p.unevaluatedProperty)})`;
    case 'enum':
      return Array.isArray(p.allowedValues) ? `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` : '';
    case 'const':
      return `: ${JSON.stringify(p.allowedValue)}`;
    default:
      return '';
  }
}

/**
 * Turn ajv errors into short lines a model can act on, such as `/travellers: must be integer`
 * or `(root): must have required property 'destination'`. Duplicates are dropped; past
 * `maxErrors` lines one summary line says how many more there were.
 */
export function formatValidationErrors(
  errors: readonly ErrorObject[] | null | undefined,
  maxErrors: number = DEFAULTS.maxErrors,
): string[] {
  const lines = new Set<string>();
  for (const error of errors ?? []) {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    lines.add(`${where}: ${error.message ?? `fails "${error.keyword}"`}${describeParams(error)}`);
  }
  const all = [...lines];
  if (all.length <= maxErrors) return all;
  return [...all.slice(0, maxErrors), `... and ${all.length - maxErrors} more errors`];
}

function makeAjv(dialect: Dialect): SchemaEngine {
  const options = {
    allErrors: true,
    strict: false,
    // build() runs the meta-schema check itself, and only where it is needed (schema-known-valid.ts).
    validateSchema: false,
    // Compiled schemas are not registered by `$id`: two tools may share an `$id` with
    // different contents, and the registry would otherwise grow with every schema.
    addUsedSchema: false,
    // No `loadSchema`: a `$ref` outside the schema fails to compile (2026-07-28: network
    // refs MUST NOT be dereferenced by default).
  } as const;
  const ajv = createSchemaEngine(dialect, options);
  addFormats(ajv);
  return ajv;
}

/**
 * Create a validator for MCP schemas. Compiled validators are cached by schema object
 * identity (a schema object must not be mutated after it was compiled) and by JSON text,
 * so registering the same schema again is cheap.
 */
export function createSchemaValidator(options: SchemaValidatorOptions = {}): SchemaValidator {
  const maxDepth = options.maxSchemaDepth ?? DEFAULTS.maxSchemaDepth;
  const maxNodes = options.maxSchemaNodes ?? DEFAULTS.maxSchemaNodes;
  const maxCache = options.maxCacheEntries ?? DEFAULTS.maxCacheEntries;
  const maxErrors = options.maxErrors ?? DEFAULTS.maxErrors;
  const byIdentity = new WeakMap<object, ValidateFn>();
  const byText = new Map<string, ValidateFn>();
  const engines = new Map<Dialect, SchemaEngine>();

  function engine(dialect: Dialect): SchemaEngine {
    let ajv = engines.get(dialect);
    if (!ajv) engines.set(dialect, (ajv = makeAjv(dialect)));
    return ajv;
  }

  function build(copy: object, dialect: Dialect, usesFormats: boolean): ValidateFn {
    const ajv = engine(dialect);
    let validate: ValidateFunction;
    try {
      // The check ajv would run inside compile (same message when it fails), skipped for
      // schemas every meta-schema accepts: it compiles the meta-schema the first time.
      if (!isKnownValidSchema(copy)) ajv.validateSchema(copy, true);
      validate = ajv.compile(copy);
    } catch (cause) {
      const missing = (cause as { missingRef?: unknown } | null)?.missingRef;
      const detail = typeof missing === 'string'
        ? `$ref ${JSON.stringify(missing)} does not resolve inside the schema (external references are never fetched)`
        : cause instanceof Error ? cause.message : String(cause);
      throw new McpError(LocalErrorCode.Validation, `invalid JSON Schema: ${detail}`, { cause });
    } finally {
      // ajv keeps every compiled schema in an internal cache keyed by object; our own caches
      // are the bounded ones, so drop ajv's entry (the compiled function stays usable).
      ajv.removeSchema(copy);
    }
    const check = (value: unknown): ValidationResult => (validate(value) ? VALID : { ok: false, errors: formatValidationErrors(validate.errors, maxErrors) });
    if (!usesFormats) return check;
    // The formats' code starts loading now, so it is usually there by the first check.
    loadFormats().catch(() => {}); // a failed load is tried again, and reported, by `pending`
    return Object.assign(check, { pending: formatsPending });
  }

  return {
    compile(schema) {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
        throw new McpError(LocalErrorCode.Validation, 'a JSON Schema must be an object');
      }
      const known = byIdentity.get(schema);
      if (known) return known;
      const dialect = dialectOf(schema);
      checkShape(schema, maxDepth, maxNodes);
      const text = JSON.stringify(schema);
      let fn = byText.get(text);
      if (fn) {
        byText.delete(text); // refresh its place in the LRU order
      } else {
        // ajv compiles a private copy, so the caller's object can never be changed by it.
        // Any "format..." key (format, formatMinimum...) or a property so named: the formats may be needed.
        fn = build(JSON.parse(text) as object, dialect, text.includes('"format'));
      }
      byText.set(text, fn);
      while (byText.size > maxCache) {
        const oldest = byText.keys().next();
        if (oldest.done) break;
        byText.delete(oldest.value);
      }
      byIdentity.set(schema, fn);
      return fn;
    },
  };
}
