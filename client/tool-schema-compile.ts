/**
 * Compiling a JSON Schema `outputSchema` for the client's result checks (tool-results.ts),
 * loaded with `import()` by the first one checked: a client whose tools list none never loads
 * it, nor ajv.
 */
import { LocalErrorCode, McpError } from '../protocol/index.ts';
import { DEFAULT_MAX_SCHEMA_DEPTH, DEFAULT_MAX_SCHEMA_NODES, schemaShapeProblem } from '../protocol/schema-shape.ts';
import type { JsonCheck, SchemaBounds } from './tool-results.ts';

/**
 * Compile a listed JSON Schema (2020-12, or draft-07 when it says so) with ajv, loaded on first
 * use; `field` names the schema in errors (a tool's `outputSchema`, or the `inputSchema` a
 * sampling answer's tool_use is checked against).
 */
export async function compileJson(name: string, schema: object, bounds: SchemaBounds, field: 'outputSchema' | 'inputSchema' = 'outputSchema'): Promise<JsonCheck> {
  // 2026-07-28 basic, JSON Schema usage: validators SHOULD bound depth and subschema count.
  const shape = schemaShapeProblem(schema, bounds.maxSchemaDepth ?? DEFAULT_MAX_SCHEMA_DEPTH, bounds.maxSchemaNodes ?? DEFAULT_MAX_SCHEMA_NODES);
  if (shape) throw new McpError(LocalErrorCode.Validation, `tool ${name}: its ${field} is refused: ${shape}`);
  // 2026-07-28 basic#json-schema-usage: 2020-12 unless `$schema` says otherwise; an unsupported dialect is an error saying so.
  const declared = (schema as { $schema?: unknown }).$schema;
  const dialect = declared === undefined ? '2020-12' : DIALECTS.get(String(declared).replace(/#$/, ''));
  if (!dialect) throw new McpError(LocalErrorCode.Validation, `tool ${name}: its ${field} declares the JSON Schema dialect ${JSON.stringify(declared)}, which this client does not support (2020-12, draft-07)`);
  const draft07 = dialect === 'draft-07';
  const options = { allErrors: true, strict: false, validateFormats: false, addUsedSchema: false } as const;
  const ajv = draft07 ? new (classOf(await import('ajv'), 'Ajv'))(options) : new (classOf(await import('ajv/dist/2020.js'), 'Ajv2020'))(options);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (cause) {
    // 2026-07-28 basic#ref-resolution: a network `$ref` is never dereferenced; the schema is refused, not made permissive.
    const missing = (cause as { missingRef?: unknown }).missingRef;
    const detail = typeof missing === 'string' ? `$ref ${JSON.stringify(missing)} does not resolve inside the schema (external references are never fetched)` : (cause as Error).message;
    throw new McpError(LocalErrorCode.Validation, `tool ${name}: its ${field} cannot be compiled: ${detail}`, { cause });
  }
  return (value) => (validate(value) ? undefined
    : (validate.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath}: ${e.message ?? e.keyword}`));
}

/** The dialects compiled, by `$schema` without a trailing `#`. */
const DIALECTS = new Map([['https://json-schema.org/draft/2020-12/schema', '2020-12'], ['http://json-schema.org/draft-07/schema', 'draft-07']]);

/**
 * ajv's class `name` from its dynamically imported module. ajv is CommonJS whose
 * `module.exports` is the class itself: Node gives it as a named export too, but a bundler's
 * chunk for it may give only `default` (esbuild --splitting does), where the named one is missing.
 */
function classOf<M extends { default?: unknown }, N extends keyof M>(module: M, name: N): NonNullable<M[N]> {
  return (module[name] ?? module.default) as NonNullable<M[N]>;
}
