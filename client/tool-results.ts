/**
 * Client-side checks of tool results (2025-11-25 server/tools: structured content; clients
 * SHOULD validate structured results against the output schema). `listTools` caches each
 * tool's `outputSchema`; `callTool` checks `structuredContent` against it and rejects with a
 * {@link ToolResultError}. A caller may pass its own schema (a Standard Schema, typing the
 * result, or a JSON Schema). ajv is loaded only when a JSON Schema is first checked.
 */
import { LocalErrorCode, McpError, type CallToolResult, type Tool } from '../protocol/index.ts';
import { loadOnce } from '../protocol/load-once.ts';

/** A Standard Schema as the client uses it (zod 4, valibot, arktype, ... fit it). */
export interface StandardSchemaLike<Output = unknown> {
  readonly '~standard': {
    readonly validate: (value: unknown) => unknown;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/** The structured content type a Standard Schema gives (its output type). */
export type StructuredOf<S> = S extends StandardSchemaLike<infer O> ? O : Record<string, unknown>;

/**
 * A tool result typed by the caller's schema: either a success whose `structuredContent` was
 * checked to be a `T`, or a tool error (`isError: true`), which is returned unchecked and need
 * not carry structured content (2025-11-25 server/tools: error handling). Test `isError` first.
 */
export type TypedCallToolResult<T> =
  | (Omit<CallToolResult, 'structuredContent' | 'isError'> & { isError?: false; structuredContent: T })
  | (Omit<CallToolResult, 'isError'> & { isError: true });

/** A result whose structured content broke the tool's output schema (or the caller's). */
export class ToolResultError extends McpError {
  override readonly name = 'ToolResultError';
  /** The tool that answered. */
  readonly tool: string;
  /** One line per violation (`/path: message`). */
  readonly problems: readonly string[];
  /** The result as received. */
  readonly result: CallToolResult;
  constructor(tool: string, problems: readonly string[], result: CallToolResult) {
    super(LocalErrorCode.Validation, `tool ${tool} returned structuredContent that does not match its outputSchema: ${problems.join('; ')}`);
    this.tool = tool;
    this.problems = problems;
    this.result = result;
  }
}

/** A compiled JSON Schema: the problems of a value, or undefined. */
export type JsonCheck = (value: unknown) => string[] | undefined;

/** The cache of listed output schemas and the checks made from them. */
export interface ResultChecker {
  /** Remember the output schemas of listed tools (a listed tool without one forgets it). */
  remember(tools: readonly Tool[]): void;
  /** True when `name` has a cached output schema. */
  has(name: string): boolean;
  /** The checked result (a Standard Schema's parsed output as `structuredContent`), or a ToolResultError. */
  check(name: string, result: CallToolResult, own?: object): Promise<CallToolResult>;
}

/** Bounds on a JSON Schema before it is compiled (the client's options; defaults in protocol/schema-shape.ts). */
export interface SchemaBounds {
  readonly maxSchemaDepth?: number | undefined;
  readonly maxSchemaNodes?: number | undefined;
}

/** tool-schema-compile.ts (and ajv behind it), loaded once by the first JSON Schema checked. */
const compiler = loadOnce(() => import('./tool-schema-compile.ts'));

/**
 * Create the checker; `enabled: false` leaves listed schemas unchecked (a caller's schema is
 * still used). A JSON Schema over `bounds` is refused, not compiled.
 */
export function createResultChecker(enabled: boolean, bounds: SchemaBounds): ResultChecker {
  const schemas = new Map<string, { schema: object; compiled?: JsonCheck }>();

  async function problemsOf(name: string, schema: object, value: unknown, cached?: { compiled?: JsonCheck }): Promise<{ problems?: string[]; value: unknown }> {
    const std = (schema as Partial<StandardSchemaLike>)['~standard'];
    if (std && typeof std.validate === 'function') {
      const outcome = await (std.validate(value) as Promise<{ issues?: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }>; value?: unknown }>);
      if (!outcome.issues) return { value: outcome.value };
      return { value, problems: outcome.issues.map((i) => `${pointer(i.path)}: ${i.message}`) };
    }
    const compiled = cached?.compiled ?? await (await compiler.load()).compileJson(name, schema, bounds);
    if (cached) cached.compiled = compiled;
    const problems = compiled(value);
    return problems ? { value, problems } : { value };
  }

  return {
    remember(tools) {
      for (const tool of tools) {
        if (tool.outputSchema && typeof tool.outputSchema === 'object') schemas.set(tool.name, { schema: tool.outputSchema });
        else schemas.delete(tool.name);
      }
    },
    has: (name) => enabled && schemas.has(name),
    async check(name, result, own) {
      if (result.isError) return result;
      const cached = own ? undefined : enabled ? schemas.get(name) : undefined;
      const schema = own ?? cached?.schema;
      if (!schema) return result;
      if (result.structuredContent === undefined) throw new ToolResultError(name, ['(root): no structuredContent, but the tool has an outputSchema'], result);
      const checked = await problemsOf(name, schema, result.structuredContent, cached);
      if (checked.problems) throw new ToolResultError(name, checked.problems, result);
      return checked.value === result.structuredContent ? result : { ...result, structuredContent: checked.value as Record<string, unknown> };
    },
  };
}

function pointer(path: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined): string {
  if (!path || path.length === 0) return '(root)';
  return path.map((s) => `/${String(typeof s === 'object' ? s.key : s)}`).join('');
}
