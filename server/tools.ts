/**
 * The tool registry (2025-11-25 server/tools): name rules, schemas kept exactly as
 * registered, input validation reported as an `isError` result, structured output checked
 * against `outputSchema` and mirrored as text.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type CallToolResult, type ContentBlock, type Icon, type ObjectSchema, type Tool, type ToolAnnotations,
} from '../protocol/index.ts';
import type { ToolContext } from './context.ts';
import { InputRequiredError } from './input.ts';
import { headerParams } from './modern/param-headers.ts';
import { paginate } from './pagination.ts';
import type { SchemaValidator } from './validation.ts';

/** What a tool handler may return: a full result, or just text. */
export type ToolReturn = CallToolResult | string;

/** A tool's implementation: `async (args, ctx) => result`, the same in both protocol eras. */
export type ToolHandler<Args = Record<string, unknown>> = (args: Args, ctx: ToolContext) => ToolReturn | Promise<ToolReturn>;

/** How a tool is described when registered. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  icons?: Icon[];
  /** JSON Schema (2020-12 unless `$schema` says draft-07); default `{ type: 'object' }`. */
  inputSchema?: ObjectSchema;
  outputSchema?: ObjectSchema;
  annotations?: ToolAnnotations;
  execution?: Tool['execution'];
  _meta?: Record<string, unknown>;
}

interface Entry {
  tool: Tool;
  handler: ToolHandler<any>;
  checkInput: (value: unknown) => { ok: true } | { ok: false; errors: string[] };
  checkOutput: ((value: unknown) => { ok: true } | { ok: false; errors: string[] }) | undefined;
}

/** 2025-11-25 server/tools: names are 1-128 characters of A-Z a-z 0-9 _ - . */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface ToolRegistry {
  add(definition: ToolDefinition, handler: ToolHandler<any>): () => void;
  remove(name: string): boolean;
  has(name: string): boolean;
  /** The tool as listed, when registered. */
  get(name: unknown): Tool | undefined;
  /** One page of `tools/list`. */
  list(cursor: unknown, pageSize: number): { tools: Tool[]; nextCursor?: string };
  /**
   * Run `tools/call` for `name`; unknown tools are a -32602 protocol error. A tool that
   * answers synchronously is answered synchronously (no promise is made for it).
   */
  call(name: unknown, args: unknown, ctx: ToolContext): CallToolResult | Promise<CallToolResult>;
  readonly size: number;
}

export function createToolRegistry(validator: SchemaValidator, onChange: () => void): ToolRegistry {
  const tools = new Map<string, Entry>();
  let ordered: Tool[] | undefined;

  function remove(name: string): boolean {
    const removed = tools.delete(name);
    if (removed) {
      ordered = undefined;
      onChange();
    }
    return removed;
  }

  return {
    add(definition, handler) {
      const { name } = definition;
      if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
        throw new McpError(LocalErrorCode.Validation, `invalid tool name ${JSON.stringify(name)}: use 1-128 characters of A-Z, a-z, 0-9, _, - and .`);
      }
      if (tools.has(name)) throw new McpError(LocalErrorCode.Validation, `tool ${name} is already registered`);
      const inputSchema = definition.inputSchema ?? { type: 'object' };
      if (inputSchema.type !== 'object') throw new McpError(LocalErrorCode.Validation, `tool ${name}: inputSchema must have type "object"`);
      if (definition.outputSchema && definition.outputSchema.type !== 'object') {
        throw new McpError(LocalErrorCode.Validation, `tool ${name}: outputSchema must have type "object"`);
      }
      headerParams(name, inputSchema); // 2026-07-28: a bad x-mcp-header is refused here, not on the wire
      // Schemas are kept by reference and listed exactly as registered.
      const tool: Tool = { ...definition, inputSchema } as Tool;
      tools.set(name, {
        tool, handler,
        checkInput: validator.compile(inputSchema),
        checkOutput: definition.outputSchema ? validator.compile(definition.outputSchema) : undefined,
      });
      ordered = undefined;
      onChange();
      return () => { remove(name); };
    },
    remove,
    has: (name) => tools.has(name),
    get: (name) => (typeof name === 'string' ? tools.get(name)?.tool : undefined),
    get size() {
      return tools.size;
    },
    list(cursor, pageSize) {
      ordered ??= [...tools.values()].map((e) => e.tool);
      const { page, nextCursor } = paginate('tools', ordered, cursor, pageSize);
      return nextCursor === undefined ? { tools: page } : { tools: page, nextCursor };
    },
    call(name, args, ctx) {
      if (typeof name !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: "name" must be a string');
      const entry = tools.get(name);
      if (!entry) throw new RpcError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
      if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
        return errorResult(`Invalid arguments for tool ${name}: "arguments" must be an object`);
      }
      const input = (args ?? {}) as Record<string, unknown>;
      // 2025-11-25 server/tools: input validation failures are tool execution errors.
      const checked = entry.checkInput(input);
      if (!checked.ok) return errorResult(`Invalid arguments for tool ${name}: ${checked.errors.join('; ')}`);
      let returned: ToolReturn | PromiseLike<ToolReturn>;
      try {
        returned = entry.handler(input, ctx);
      } catch (error) {
        return handlerFailed(error, ctx);
      }
      if (!isThenable(returned)) return complete(name, entry, returned, ctx);
      return Promise.resolve(returned).then((value) => complete(name, entry, value, ctx), (error: unknown) => handlerFailed(error, ctx));
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<ToolReturn> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** What the handler returned, as a checked result; a malformed return is the tool's error. */
function complete(name: string, entry: Entry, value: ToolReturn, ctx: ToolContext): CallToolResult {
  let result: CallToolResult;
  try {
    result = normalise(value);
  } catch (error) {
    return handlerFailed(error, ctx);
  }
  return checkStructured(name, entry, result);
}

/**
 * The handler threw: an RpcError stays a protocol error, and so does anything thrown once the
 * call was cancelled; any other failure is the tool's own (2025-11-25 server/tools: isError).
 * "Input required" is neither: the server core answers it (input.ts), so it passes through.
 */
function handlerFailed(error: unknown, ctx: ToolContext): CallToolResult {
  if (error instanceof RpcError || error instanceof InputRequiredError) throw error;
  if (ctx.signal.aborted) throw error;
  return errorResult(error instanceof Error ? error.message : String(error));
}

function normalise(value: ToolReturn): CallToolResult {
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (typeof value !== 'object' || value === null) throw new Error('tool returned neither a result object nor text');
  if (!Array.isArray(value.content)) return { ...value, content: [] };
  return value;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * 2025-06-18 server/tools (structured content): a tool with an outputSchema MUST return
 * conforming structuredContent, and SHOULD also return it serialised as text.
 */
function checkStructured(name: string, entry: Entry, result: CallToolResult): CallToolResult {
  if (result.isError) return result;
  if (entry.checkOutput) {
    if (result.structuredContent === undefined) return errorResult(`tool ${name} declares an outputSchema but returned no structuredContent`);
    const checked = entry.checkOutput(result.structuredContent);
    if (!checked.ok) return errorResult(`tool ${name} returned structuredContent that does not match its outputSchema: ${checked.errors.join('; ')}`);
  }
  if (result.structuredContent !== undefined && !result.content.some((c: ContentBlock) => c.type === 'text')) {
    return { ...result, content: [...result.content, { type: 'text', text: JSON.stringify(result.structuredContent) }] };
  }
  return result;
}
