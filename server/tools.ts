/**
 * The tool registry (2025-11-25 server/tools): name rules, schemas kept exactly as
 * registered (a Standard Schema listed as its JSON Schema), input validation reported as an
 * `isError` result, structured output checked against `outputSchema` and mirrored as text.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError, eraOf,
  type CallToolResult, type ContentBlock, type Icon, type Tool, type ToolAnnotations,
} from '../protocol/index.ts';
import type { InferSchema, InferSchemaInput, JsonObjectSchemaLiteral, JsonSchemaLiteral, ObjectSchemaInput, OutputSchemaInput } from './schema-infer.ts';
import { prepareSchema, type Check, type CheckOutcome, type ToJsonSchema } from './schema-standard.ts';
import type { ToolContext } from './context.ts';
import { InputRequiredError } from './input.ts';
import { MissingCapabilityError } from './capability-error.ts';
import { clipEchoed } from '../protocol/jsonrpc.ts';
import { cachedHeaderParams } from './modern/param-headers.ts';
import { listPage } from './pagination.ts';
import { contentBlockProblem } from './contents.ts';
import { createSchemaChecks, type SchemaChecks } from './schema-checks.ts';
import type { SchemaValidator } from './validation.ts';

/** What a tool handler may return: a full result, or just text. */
export type ToolReturn = CallToolResult | string;

/** A result carrying `structuredContent` of type `S` (`content` is filled with its JSON text when omitted). */
export type StructuredToolReturn<S> = Omit<CallToolResult, 'content' | 'structuredContent'> & { content?: ContentBlock[]; structuredContent: S };

/**
 * What a tool with output schema `Out` returns: structured content the schema accepts (its
 * input side: the schema parses it before it goes out), or an error result.
 */
export type ToolReturnFor<Out> = [Out] extends [undefined] ? ToolReturn
  : StructuredToolReturn<InferSchemaInput<Out>> | (CallToolResult & { isError: true });

/** A tool's implementation: `async (args, ctx) => result`, the same in both protocol eras. */
export type ToolHandler<Args = Record<string, unknown>, Result = ToolReturn> = (args: Args, ctx: ToolContext) => Result | Promise<Result>;

/** The handler arguments a tool's `inputSchema` implies (no schema: any object). */
export type ToolArgs<In> = [In] extends [undefined] ? Record<string, unknown> : InferSchema<In>;

/**
 * How a tool is described when registered. `inputSchema` and `outputSchema` are JSON Schema
 * objects (2020-12 unless `$schema` says draft-07) or Standard Schemas (zod 4, valibot,
 * arktype, ...); the handler's argument and result types follow from them.
 */
export interface ToolDefinition<In extends ObjectSchemaInput | undefined = JsonObjectSchemaLiteral | undefined, Out extends OutputSchemaInput | undefined = JsonSchemaLiteral | undefined> {
  /** Unique on this server; 1-128 characters of A-Z, a-z, 0-9, `_`, `-` and `.` (2025-11-25 server/tools: tool names). */
  name: string;
  /** A name for people (UIs show it before `name`). */
  title?: string;
  /** What the tool does, for the model choosing tools: say when to use it. */
  description?: string;
  /** Icons a client may show beside the tool. */
  icons?: Icon[];
  /** Default `{ type: 'object' }`. A Standard Schema's parsed output is what the handler gets. */
  inputSchema?: In;
  /**
   * Any JSON Schema (2026-07-28 server/tools: `structuredContent` may be any JSON value). One
   * whose root is not an object schema cannot be listed to a 2025 client (its schema requires
   * `type: "object"`): such a client sees the tool without `outputSchema`, and a structured
   * value that is not an object only as its JSON text in `content`.
   */
  outputSchema?: Out;
  /** Hints about the tool's behaviour (`readOnlyHint`, `destructiveHint`, ...): hints, never to be trusted as guarantees. */
  annotations?: ToolAnnotations;
  /** Whether the tool may run as a task (`taskSupport`: `forbidden`, `optional`, `required`). */
  execution?: Tool['execution'];
  /** Listed as the tool's `_meta`, as given. */
  _meta?: Record<string, unknown>;
  /** Converts a Standard Schema whose library has no `~standard.jsonSchema` (overrides the server's option). */
  toJsonSchema?: ToJsonSchema;
  /**
   * What happens to a run of this tool that a server restart (or, beside other instances on one
   * store, its instance's death) cut short: a task not finished, a 2025 call re-delivered from
   * the session's durable state. `'rerun'` (the default) runs it again from its start, with
   * `ctx.taskId` as the idempotency key of its side effects; `'fail'` runs it never again and
   * fails it with an error naming the tool and why ({@link interruptedMessage}), for a tool
   * whose work must not be done twice (it may have been done partly). Not listed.
   */
  restart?: ToolRestart;
}

/** {@link ToolDefinition.restart}: what a run cut short by a restart does. */
export type ToolRestart = 'rerun' | 'fail';

/**
 * The error of a run of `tool` (registered with `restart: 'fail'`) that is not run again;
 * `stopped` says what cut it short ("the server stopped while it ran").
 */
export function interruptedMessage(tool: string, stopped: string): string {
  return `tool ${tool} did not finish: ${stopped}. It is not run again: it is registered with restart: 'fail' (its work must not be done twice), and part of its work may have been done`;
}

interface Entry {
  tool: Tool;
  /** The tool as a 2025 client is told of it: without an `outputSchema` its schema cannot carry. */
  legacy: Tool;
  handler: ToolHandler<any, any>;
  checkInput: Check;
  checkOutput: Check | undefined;
  restart: ToolRestart;
}

/** 2025-11-25 server/tools: names are 1-128 characters of A-Z a-z 0-9 _ - . */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface ToolRegistry {
  add(definition: ToolDefinition<any, any>, handler: ToolHandler<any, any>): () => void;
  remove(name: string): boolean;
  has(name: string): boolean;
  /** The tool as listed, when registered. */
  get(name: unknown): Tool | undefined;
  /** {@link ToolDefinition.restart} of the tool `name`; undefined when it is not registered. */
  restartOf(name: unknown): ToolRestart | undefined;
  /** One page of `tools/list` for a client of `protocolVersion` (default: the 2026-07-28 listing). */
  list(cursor: unknown, pageSize: number, protocolVersion?: string): { tools: Tool[]; nextCursor?: string };
  /**
   * Run `tools/call` for `name`; unknown tools are a -32602 protocol error. A tool that
   * answers synchronously is answered synchronously (no promise is made for it).
   */
  call(name: unknown, args: unknown, ctx: ToolContext): CallToolResult | Promise<CallToolResult>;
  readonly size: number;
  /**
   * Undefined when every registered schema has been checked; else the checks still running
   * (a schema that is not plain waits for ajv to load), rejecting with the first refusal.
   */
  checking(): Promise<void> | undefined;
}

/**
 * `toJsonSchema` converts Standard Schemas that have no JSON Schema export (server-wide;
 * a tool's own option wins). `checks` tracks the schemas that wait for ajv (the server's,
 * shared with prompts and templates): a refused one takes its tool out again.
 */
export function createToolRegistry(validator: SchemaValidator, onChange: () => void, toJsonSchema?: ToJsonSchema, checks: SchemaChecks = createSchemaChecks()): ToolRegistry {
  const tools = new Map<string, Entry>();
  let ordered: Tool[] | undefined;
  let orderedLegacy: Tool[] | undefined;

  function remove(name: string): boolean {
    const removed = tools.delete(name);
    if (removed) {
      ordered = orderedLegacy = undefined;
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
      // As prompts and resources check theirs: without it a call answered "entry.handler is not a function".
      if (typeof handler !== 'function') throw new McpError(LocalErrorCode.Validation, `tool ${name} needs a handler function`);
      const convert = definition.toJsonSchema ?? toJsonSchema;
      const input = prepareSchema(definition.inputSchema ?? { type: 'object' }, 'input', `tool ${name} inputSchema`, validator, convert);
      if (input.json.type !== 'object') throw new McpError(LocalErrorCode.Validation, `tool ${name}: inputSchema must have type "object"`);
      const output = definition.outputSchema ? prepareSchema(definition.outputSchema, 'output', `tool ${name} outputSchema`, validator, convert) : undefined;
      // 2026-07-28: a bad x-mcp-header is refused here, not on the wire; the result is cached for the dispatcher.
      cachedHeaderParams(name, input.json as never);
      // JSON Schemas are kept by reference and listed exactly as registered.
      const { toJsonSchema: _convert, restart = 'rerun', ...listed } = definition;
      if (restart !== 'rerun' && restart !== 'fail') throw new McpError(LocalErrorCode.Validation, `tool ${name}: restart must be 'rerun' or 'fail', got ${JSON.stringify(restart)}`);
      const tool = { ...listed, inputSchema: input.json, ...(output ? { outputSchema: output.json } : {}) } as Tool;
      const legacy = output && !isLegacyOutputSchema(output.json) ? (({ outputSchema: _o, ...rest }) => rest as Tool)(tool) : tool;
      const entry: Entry = { tool, legacy, handler, checkInput: input.check, checkOutput: output?.check, restart };
      tools.set(name, entry);
      checks.track([input.ready?.(), output?.ready?.()], () => { if (tools.get(name) === entry) remove(name); });
      ordered = orderedLegacy = undefined;
      onChange();
      return () => { remove(name); };
    },
    remove,
    has: (name) => tools.has(name),
    get: (name) => (typeof name === 'string' ? tools.get(name)?.tool : undefined),
    restartOf: (name) => (typeof name === 'string' ? tools.get(name)?.restart : undefined),
    get size() {
      return tools.size;
    },
    checking: () => checks.pending(),
    list(cursor, pageSize, protocolVersion) {
      if (protocolVersion !== undefined && eraOf(protocolVersion) === 'legacy') {
        orderedLegacy ??= [...tools.values()].map((e) => e.legacy);
        return listPage('tools', orderedLegacy, cursor, pageSize);
      }
      ordered ??= [...tools.values()].map((e) => e.tool);
      return listPage('tools', ordered, cursor, pageSize);
    },
    call(name, args, ctx) {
      if (typeof name !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: "name" must be a string');
      const entry = tools.get(name);
      // 2025-11-25 server/tools, error handling: an unknown tool is a protocol error (-32602), not an isError result.
      if (!entry) throw new RpcError(ErrorCode.InvalidParams, `Unknown tool: ${clipEchoed(name)}`);
      if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
        return errorResult(`Invalid arguments for tool ${name}: "arguments" must be an object`);
      }
      const input = (args ?? {}) as Record<string, unknown>;
      // 2025-11-25 server/tools: input validation failures are tool execution errors.
      const checked = entry.checkInput(input);
      if (isThenable(checked)) return Promise.resolve(checked as Promise<CheckOutcome>).then((c) => run(name, entry, c, ctx));
      return run(name, entry, checked as CheckOutcome, ctx);
    },
  };
}

/** Run the handler on checked arguments (a Standard Schema's parsed output). */
function run(name: string, entry: Entry, checked: CheckOutcome, ctx: ToolContext): CallToolResult | Promise<CallToolResult> {
  if (!checked.ok) return errorResult(`Invalid arguments for tool ${name}: ${checked.errors.join('; ')}`);
  let returned: ToolReturn | PromiseLike<ToolReturn>;
  try {
    returned = entry.handler(checked.value, ctx);
  } catch (error) {
    return handlerFailed(error, ctx);
  }
  if (!isThenable(returned)) return complete(name, entry, returned, ctx);
  return Promise.resolve(returned as PromiseLike<ToolReturn>).then((value) => complete(name, entry, value, ctx), (error: unknown) => handlerFailed(error, ctx));
}

/**
 * Whether a 2025 schema admits `schema` as a Tool's `outputSchema` (2025-11-25 schema: `type`
 * "object", `properties` an object of schema objects, `required` an array of strings).
 */
function isLegacyOutputSchema(schema: Record<string, unknown>): boolean {
  const { type, properties, required } = schema;
  if (type !== 'object') return false;
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties)
    || Object.values(properties).some((p) => typeof p !== 'object' || p === null || Array.isArray(p)))) return false;
  return required === undefined || (Array.isArray(required) && required.every((r) => typeof r === 'string'));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** What the handler returned, as a checked result; a malformed return is the tool's error. */
function complete(name: string, entry: Entry, value: ToolReturn, ctx: ToolContext): CallToolResult | Promise<CallToolResult> {
  let result: CallToolResult;
  try {
    result = normalise(value);
    // The blocks the schema allows, image and audio data base64 with a MIME type (2026-07-28
    // server/prompts says MUST of the same blocks; the schema's ImageContent.data is `format: byte`).
    for (let i = 0; i < result.content.length; i++) {
      // The place is named for a bad block only: three string joins a call fewer (bench h).
      const problem = contentBlockProblem(result.content[i]);
      if (problem !== undefined) throw new Error(`tool ${name} returned content[${i}]: ${problem}`);
    }
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
  // 2026-07-28 basic/patterns/mrtr: a capability the client lacks is the request's -32021, not the tool's result.
  if (error instanceof MissingCapabilityError && eraOf(ctx.protocolVersion) === 'modern') throw error.toRpcError();
  if (ctx.signal.aborted) throw error;
  return errorResult(error instanceof Error ? error.message : String(error));
}

function normalise(value: ToolReturn): CallToolResult {
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (typeof value !== 'object' || value === null) throw new Error('tool returned neither a result object nor text');
  if (Array.isArray(value.content)) return value;
  // A JavaScript handler's `{ content: 'text' }` or `{ rows }` went out as an empty success, its data dropped.
  if (value.content !== undefined) throw new Error(`tool returned content that is not an array of content blocks (${typeof value.content})`);
  if (value.structuredContent === undefined && value.isError !== true) {
    throw new Error(`tool returned an object with neither content nor structuredContent (keys: ${Object.keys(value).slice(0, 5).join(', ') || 'none'}); return text, { content: [...] } or { structuredContent }`);
  }
  return { ...value, content: [] };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * 2025-06-18 server/tools (structured content): a tool with an outputSchema MUST return
 * conforming structuredContent, and SHOULD also return it serialised as text.
 */
function checkStructured(name: string, entry: Entry, result: CallToolResult): CallToolResult | Promise<CallToolResult> {
  if (result.isError || !entry.checkOutput) return withText(result);
  if (result.structuredContent === undefined) return errorResult(`tool ${name} declares an outputSchema but returned no structuredContent`);
  const checked = entry.checkOutput(result.structuredContent);
  // A Standard Schema's parsed output is what goes out: the listed outputSchema is its output
  // side, so the value as returned (keys zod strips, defaults it fills) could break it.
  const judge = (c: CheckOutcome) => (c.ok ? withText(c.value === result.structuredContent ? result : { ...result, structuredContent: c.value as Record<string, unknown> })
    : errorResult(`tool ${name} returned structuredContent that does not match its outputSchema: ${c.errors.join('; ')}`));
  return isThenable(checked) ? Promise.resolve(checked as Promise<CheckOutcome>).then(judge) : judge(checked as CheckOutcome);
}

/** 2025-06-18 server/tools: structured content SHOULD also be sent as text. */
function withText(result: CallToolResult): CallToolResult {
  if (result.structuredContent !== undefined && !result.content.some((c: ContentBlock) => c.type === 'text')) {
    return { ...result, content: [...result.content, { type: 'text', text: JSON.stringify(result.structuredContent) }] };
  }
  return result;
}
