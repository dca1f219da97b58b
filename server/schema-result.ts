/** What a compiled schema answers (validation.ts, and the ajv side in schema-ajv.ts). */

/** The outcome of checking one value against a compiled schema. */
export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

/** The one result of every check that passes (nothing to allocate per call). */
export const VALID: ValidationResult = Object.freeze({ ok: true });

/**
 * A compiled schema: call it with a value to check it. `pending` is there when the check may
 * need code not loaded yet (ajv for a schema that is not plain, the formats' code for a
 * schema naming a `format`, each loaded with `import()`): it returns the load to await before
 * checking, or undefined once loaded. `ready` is there when the schema itself waits for ajv
 * to be checked: it resolves once the schema has compiled, rejects with MCP_ERR_VALIDATION
 * when ajv refuses it, and is undefined once compiled.
 */
export type ValidateFn = ((value: unknown) => ValidationResult) & {
  readonly pending?: () => Promise<void> | undefined;
  readonly ready?: () => Promise<void> | undefined;
};
