/**
 * Schemas that are not plain (schema-plain-meta.ts) compile with ajv. This module, and ajv
 * with it, loads with `import()` when the first such schema is compiled (validation.ts), so a
 * server whose schemas are all plain never loads ajv (issue #20 item 3).
 */
import type { ValidateFunction } from 'ajv/dist/core.js';
import { LocalErrorCode, McpError } from '../protocol/errors.ts';
import { createSchemaEngine, type Dialect, type SchemaEngine } from './schema-dialects.ts';
import { formatValidationErrors } from './schema-errors.ts';
import { addFormats, formatsPending, loadFormats } from './schema-formats.ts';
import { VALID, type ValidateFn, type ValidationResult } from './schema-result.ts';

function makeAjv(dialect: Dialect): SchemaEngine {
  const options = {
    allErrors: true,
    strict: false,
    // A property counts only when the value has it as its own: `required: ['constructor']`
    // is not met by every object's prototype (the plain validator reads properties the same way).
    ownProperties: true,
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

/** Compiles schemas with one ajv instance per dialect, made on first use. */
export interface AjvCompiler {
  /** Compile `copy` (the caller's private copy); throws MCP_ERR_VALIDATION when ajv refuses it. */
  build(copy: object, dialect: Dialect, usesFormats: boolean): ValidateFn;
}

/** An {@link AjvCompiler} reporting at most `maxErrors` lines per failed check. */
export function createAjvCompiler(maxErrors: number): AjvCompiler {
  const engines = new Map<Dialect, SchemaEngine>();
  return {
    build(copy, dialect, usesFormats) {
      let ajv = engines.get(dialect);
      if (!ajv) engines.set(dialect, (ajv = makeAjv(dialect)));
      let validate: ValidateFunction;
      try {
        validate = ajv.compile(copy); // checks the schema against the dialect's meta-schema first
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
    },
  };
}
