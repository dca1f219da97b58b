/**
 * Schemas for prompt arguments and resource template variables. A prompt's `argsSchema`
 * gives its listed `arguments` (one per property: name, description, required) and checks
 * the strings a client sends; a template's `variables` schema checks the matched variables.
 * Either may be a Standard Schema (its parsed output reaches the handler) or JSON Schema.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type PromptArgument } from '../protocol/index.ts';
import { isStandardSchema, prepareSchema, standardCheck, type CheckOutcome, type PreparedSchema, type ToJsonSchema } from './schema-standard.ts';
import { createSchemaValidator, type SchemaValidator } from './validation.ts';

/** The validator and converter a registry uses for schemas. */
export interface SchemaSupport {
  validator?: SchemaValidator | undefined;
  toJsonSchema?: ToJsonSchema | undefined;
}

let fallbackValidator: SchemaValidator | undefined;

/**
 * Prepare `schema` for checking (and listing) with the registry's support. With `list`
 * false a Standard Schema is only checked, never converted (nothing lists it).
 */
export function prepareWith(schema: object, what: string, support: SchemaSupport | undefined, own?: ToJsonSchema, list = true): PreparedSchema {
  if (!list && isStandardSchema(schema)) return { json: {}, check: standardCheck(schema), standard: true };
  const validator = support?.validator ?? (fallbackValidator ??= createSchemaValidator());
  return prepareSchema(schema, 'input', what, validator, own ?? support?.toJsonSchema);
}

/** The `arguments` a prompt lists for its `argsSchema`'s JSON Schema: one per property. */
export function promptArgumentsOf(json: Record<string, unknown>, what: string): PromptArgument[] {
  const properties = json.properties;
  if (json.type !== 'object' || typeof properties !== 'object' || properties === null) {
    throw new McpError(LocalErrorCode.Validation, `${what}: argsSchema must be an object schema with properties`);
  }
  const required = new Set(Array.isArray(json.required) ? json.required : []);
  return Object.entries(properties as Record<string, { description?: unknown; title?: unknown }>).map(([name, property]) => {
    const arg: PromptArgument = { name };
    if (typeof property?.title === 'string') arg.title = property.title;
    if (typeof property?.description === 'string') arg.description = property.description;
    if (required.has(name)) arg.required = true;
    return arg;
  });
}

/**
 * Check `value` against a prepared schema; a failure is -32602 naming `what` (2025-11-25
 * server/prompts: invalid arguments are invalid params).
 */
export async function checkedOrInvalid(schema: PreparedSchema, value: unknown, what: string): Promise<unknown> {
  const outcome: CheckOutcome = await schema.check(value);
  if (!outcome.ok) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: ${what}: ${outcome.errors.join('; ')}`);
  return outcome.value;
}
