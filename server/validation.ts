/**
 * JSON Schema validation for tool `inputSchema` / `outputSchema` and elicitation content.
 *
 * 2025-11-25 basic (JSON Schema usage): the dialect is 2020-12 when `$schema` is absent;
 * draft-07 is accepted when declared; any other dialect gets a graceful error. 2026-07-28
 * adds that network `$ref`s MUST NOT be dereferenced by default and that validators SHOULD
 * bound depth and subschema count: no `loadSchema` is configured, and both bounds are options.
 *
 * Plain schemas (schema-plain-subset.ts) are checked and compiled by our own code
 * (schema-plain-meta.ts, schema-plain.ts); any other schema by ajv (schema-ajv.ts), loaded with `import()` by the
 * first such schema (issue #20 item 3: a server with plain schemas never loads ajv).
 */
import { LocalErrorCode, McpError } from '../protocol/errors.ts';
import { loadOnce } from '../protocol/load-once.ts';
import { positiveIntegerOption } from '../protocol/limits.ts';
import { DEFAULT_MAX_SCHEMA_DEPTH, DEFAULT_MAX_SCHEMA_NODES, schemaShapeProblem } from '../protocol/schema-shape.ts';
import type { AjvCompiler } from './schema-ajv.ts';
import { DIALECT_2020_12, DIALECT_DRAFT_07, type Dialect } from './schema-dialect-names.ts';
import { DEFAULT_MAX_ERRORS, formatValidationErrors } from './schema-errors.ts';
import { formatsPending, loadFormats } from './schema-formats.ts';
import { plainSchemaError } from './schema-plain-meta.ts';
import { isPlainSchema } from './schema-plain-subset.ts';
import { compilePlain } from './schema-plain.ts';
import { type ValidateFn, type ValidationResult } from './schema-result.ts';

export { DIALECT_2020_12, DIALECT_DRAFT_07, formatValidationErrors };
export type { ValidateFn, ValidationResult };

/** ajv and the code around it (schema-ajv.ts), loaded by the first schema that is not plain. */
const ajvModule = loadOnce(() => import('./schema-ajv.ts'));

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
   * does not resolve inside the schema. A plain schema (schema-plain-subset.ts: the keywords
   * most tool schemas use, zod's and pydantic's output) is checked and compiled at once
   * without ajv; any other is compiled by ajv, at once when ajv is loaded, else when
   * it has loaded: then the result's `ready()` gives the check of the schema to await.
   */
  compile(schema: object): ValidateFn;
}

const DEFAULTS = { maxSchemaDepth: DEFAULT_MAX_SCHEMA_DEPTH, maxSchemaNodes: DEFAULT_MAX_SCHEMA_NODES, maxCacheEntries: 1000, maxErrors: DEFAULT_MAX_ERRORS } as const;

function dialectOf(schema: object): Dialect {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared === undefined) return '2020-12';
  if (declared === DIALECT_2020_12 || declared === `${DIALECT_2020_12}#`) return '2020-12';
  if (declared === DIALECT_DRAFT_07 || declared === DIALECT_DRAFT_07.slice(0, -1)) return 'draft-07';
  throw new McpError(LocalErrorCode.Validation, `unsupported JSON Schema dialect: ${JSON.stringify(declared)}`);
}

/**
 * Create a validator for MCP schemas. Compiled validators are cached by schema object
 * identity (a schema object must not be mutated after it was compiled) and by JSON text,
 * so registering the same schema again is cheap.
 */
export function createSchemaValidator(options: SchemaValidatorOptions = {}): SchemaValidator {
  const maxDepth = positiveIntegerOption('maxSchemaDepth', options.maxSchemaDepth, DEFAULTS.maxSchemaDepth);
  const maxNodes = positiveIntegerOption('maxSchemaNodes', options.maxSchemaNodes, DEFAULTS.maxSchemaNodes);
  const maxCache = positiveIntegerOption('maxCacheEntries', options.maxCacheEntries, DEFAULTS.maxCacheEntries);
  const maxErrors = positiveIntegerOption('maxErrors', options.maxErrors, DEFAULTS.maxErrors);
  const byIdentity = new WeakMap<object, ValidateFn>();
  const byText = new Map<string, ValidateFn>();
  let ajv: AjvCompiler | undefined;

  /** Forget the compiled `fn` of `schema` (text `text`): a refused schema is compiled (and refused) again. */
  function forget(schema: object, text: string, fn: ValidateFn): void {
    if (byText.get(text) === fn) byText.delete(text);
    if (byIdentity.get(schema) === fn) byIdentity.delete(schema);
  }

  function build(copy: Record<string, unknown>, dialect: Dialect, usesFormats: boolean, forgetMe: (fn: ValidateFn) => void): ValidateFn {
    if (isPlainSchema(copy, dialect)) {
      const refused = plainSchemaError(copy, dialect);
      // The messages ajv gives for the same schema (schema-plain-meta.ts, then schema-plain.ts as it compiles).
      if (refused) throw new McpError(LocalErrorCode.Validation, `invalid JSON Schema: ${refused}`, { cause: new Error(refused) });
      let plain: ValidateFn;
      try {
        plain = compilePlain(copy, dialect, maxErrors);
      } catch (cause) {
        throw new McpError(LocalErrorCode.Validation, `invalid JSON Schema: ${(cause as Error).message}`, { cause });
      }
      if (!usesFormats) return plain;
      // The formats' code starts loading now, so it is usually there by the first check.
      loadFormats().catch(() => {}); // a failed load is tried again, and reported, by `pending`
      return Object.assign(plain, { pending: formatsPending });
    }
    const loaded = ajvModule.loaded;
    if (loaded) return (ajv ??= loaded.createAjvCompiler(maxErrors)).build(copy, dialect, usesFormats);
    return deferred(copy, dialect, usesFormats, forgetMe);
  }

  /**
   * A schema that is not plain while ajv is not loaded: compiled once it has loaded. A refusal
   * stays with this validator (every check rejects with it) but leaves the caches, so the same
   * schema compiled again, with ajv loaded, is refused at once as any other.
   */
  function deferred(copy: object, dialect: Dialect, usesFormats: boolean, forgetMe: (fn: ValidateFn) => void): ValidateFn {
    let compiled: ValidateFn | undefined;
    let compiling: Promise<void> | undefined;
    const ready = (): Promise<void> | undefined => {
      if (compiled) return undefined;
      // A refusal stays (every call rejects with it); a failed load is tried again.
      compiling ??= ajvModule.load().then((module) => {
        try {
          compiled = (ajv ??= module.createAjvCompiler(maxErrors)).build(copy, dialect, usesFormats);
        } catch (error) {
          forgetMe(fn);
          throw error;
        }
      }, (error: unknown) => {
        compiling = undefined;
        throw error;
      });
      return compiling;
    };
    const pending = (): Promise<void> | undefined => {
      const load = ready();
      return load ? load.then(() => compiled!.pending?.()) : compiled!.pending?.();
    };
    ready()!.catch(() => {}); // awaited, and reported, by whoever checks with it
    const check = (value: unknown): ValidationResult => {
      if (!compiled) throw new McpError(LocalErrorCode.Validation, 'this JSON Schema is compiled once ajv has loaded: await the validator\'s pending() before checking');
      return compiled(value);
    };
    const fn: ValidateFn = Object.assign(check, { pending, ready });
    return fn;
  }

  return {
    compile(schema) {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
        throw new McpError(LocalErrorCode.Validation, 'a JSON Schema must be an object');
      }
      const known = byIdentity.get(schema);
      if (known) return known;
      const dialect = dialectOf(schema);
      const shape = schemaShapeProblem(schema, maxDepth, maxNodes);
      if (shape) throw new McpError(LocalErrorCode.Validation, shape);
      const text = JSON.stringify(schema);
      let fn = byText.get(text);
      if (fn) {
        byText.delete(text); // refresh its place in the LRU order
      } else {
        // Compiled from a private copy, so the caller's object can never be changed by it.
        // Any "format..." key (format, formatMinimum...) or a property so named: the formats may be needed.
        fn = build(JSON.parse(text) as Record<string, unknown>, dialect, text.includes('"format'), (refused) => forget(schema, text, refused));
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
