/**
 * Compiling a JSON Schema `outputSchema` for the client's result checks (tool-results.ts),
 * loaded with `import()` by the first one checked: a client whose tools list none never loads
 * it, nor ajv.
 */
import { LocalErrorCode, McpError } from '../protocol/index.ts';
import { DEFAULT_MAX_SCHEMA_DEPTH, DEFAULT_MAX_SCHEMA_NODES, schemaShapeProblem } from '../protocol/schema-shape.ts';
import type { JsonCheck, SchemaBounds } from './tool-results.ts';

/** Compile a listed JSON Schema (2020-12, or draft-07 when it says so) with ajv, loaded on first use. */
export async function compileJson(name: string, schema: object, bounds: SchemaBounds): Promise<JsonCheck> {
  // 2026-07-28 basic, JSON Schema usage: validators SHOULD bound depth and subschema count.
  const shape = schemaShapeProblem(schema, bounds.maxSchemaDepth ?? DEFAULT_MAX_SCHEMA_DEPTH, bounds.maxSchemaNodes ?? DEFAULT_MAX_SCHEMA_NODES);
  if (shape) throw new McpError(LocalErrorCode.Validation, `tool ${name}: its outputSchema is refused: ${shape}`);
  const draft07 = String((schema as { $schema?: unknown }).$schema ?? '').includes('draft-07');
  const options = { allErrors: true, strict: false, validateFormats: false, addUsedSchema: false } as const;
  const ajv = draft07 ? new (classOf(await import('ajv'), 'Ajv'))(options) : new (classOf(await import('ajv/dist/2020.js'), 'Ajv2020'))(options);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (cause) {
    throw new McpError(LocalErrorCode.Validation, `tool ${name}: its outputSchema cannot be compiled: ${(cause as Error).message}`, { cause });
  }
  return (value) => (validate(value) ? undefined
    : (validate.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath}: ${e.message ?? e.keyword}`));
}

/**
 * ajv's class `name` from its dynamically imported module. ajv is CommonJS whose
 * `module.exports` is the class itself: Node gives it as a named export too, but a bundler's
 * chunk for it may give only `default` (esbuild --splitting does), where the named one is missing.
 */
function classOf<M extends { default?: unknown }, N extends keyof M>(module: M, name: N): NonNullable<M[N]> {
  return (module[name] ?? module.default) as NonNullable<M[N]>;
}
