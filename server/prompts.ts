/**
 * The prompts feature (2025-11-25 server/prompts): `prompts/list` with opaque cursors,
 * `prompts/get` with its argument checks, list-changed notifications, and completers per
 * argument for `completion/complete`. It declares `prompts` only once a prompt exists.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type GetPromptResult, type ListPromptsParams, type ListPromptsResult, type Prompt, type PromptMessage, type ServerCapabilities,
} from '../protocol/index.ts';
import { loadOnce } from '../protocol/load-once.ts';
import { clipEchoed } from '../protocol/jsonrpc.ts';
import type { Completer } from './completer.ts';
import type { ToolContext } from './context.ts';
import type { ServerEvent } from './event-bus.ts';
import { createListChangedNotifier } from './list-changed.ts';
import type { MethodTable, ServerFeature } from './method-table.ts';
import { listPage } from './pagination.ts';
import type { ServerRequest } from './request.ts';
import type { SchemaChecks } from './schema-checks.ts';
import type { InferSchema, ObjectSchemaInput } from './schema-infer.ts';
import type { PreparedSchema, ToJsonSchema } from './schema-standard.ts';
import { checkedOrInvalid, prepareWith, promptArgumentsOf, type SchemaSupport } from './schema-arguments.ts';

/** How a prompt is described when registered: the wire fields plus completers. */
export interface PromptDefinition extends Prompt {
  /**
   * Completers for the prompt's arguments, by argument name (2025-11-25
   * server/utilities/completion, `ref/prompt`). Declaring one makes the server offer
   * `completions`.
   */
  complete?: Readonly<Record<string, Completer>>;
  /**
   * The arguments as a schema (a Standard Schema or JSON Schema object of string
   * properties) instead of `arguments`: the listed arguments come from its properties, and
   * `prompts/get` checks the client's strings with it (-32602 when they break it); the
   * handler gets a Standard Schema's parsed output.
   */
  argsSchema?: ObjectSchemaInput;
  /** Converts a Standard Schema without `~standard.jsonSchema` (overrides the server's option). */
  toJsonSchema?: ToJsonSchema;
}

/** A prompt definition whose `argsSchema` types the handler's arguments. */
export type PromptDefinitionOf<A extends ObjectSchemaInput> = Omit<PromptDefinition, 'argsSchema' | 'arguments'> & { argsSchema: A };

/** A prompt handler whose arguments are typed by its `argsSchema`. */
export type TypedPromptHandler<A extends ObjectSchemaInput> = (args: InferSchema<A>, ctx: ToolContext) => PromptReturn | Promise<PromptReturn>;

/** What a prompt handler may return: a full result, its messages, or one user text message. */
export type PromptReturn = GetPromptResult | PromptMessage[] | string;

/** Builds the prompt from its arguments (every required one is present, all are strings). */
export type PromptHandler = (args: Record<string, string>, ctx: ToolContext) => PromptReturn | Promise<PromptReturn>;

/** Options of {@link createPromptRegistry}; the server passes its own. */
export interface PromptRegistryOptions {
  /** Items per page of `prompts/list`. */
  pageSize: number;
  /** Build the handler context of a request. */
  context: (req: ServerRequest) => ToolContext;
  /** Put an event on the server's event bus (list changed). */
  publish: (event: ServerEvent) => void;
  /** Validator and converter for `argsSchema`. */
  schemas?: SchemaSupport;
  /** The server's schema checks: an `argsSchema` that waits for ajv and is refused takes its prompt out. */
  checks?: SchemaChecks;
}

/** A registered prompt. */
export interface PromptEntry {
  prompt: Prompt;
  get: PromptHandler;
  complete: Readonly<Record<string, Completer>>;
  args: PreparedSchema | undefined;
}

/** What a `ref/prompt` completion may complete. */
export interface PromptCompletionTarget {
  readonly arguments: readonly string[];
  readonly complete: Readonly<Record<string, Completer>>;
}

/** Registered prompts, and the feature that serves them. */
export interface PromptRegistry extends ServerFeature {
  add(definition: PromptDefinition, get: PromptHandler): () => void;
  completionTarget(name: string): PromptCompletionTarget | undefined;
  hasCompleters(): boolean;
  readonly size: number;
}

function checkDefinition(definition: PromptDefinition, get: PromptHandler, schemas: SchemaSupport | undefined): Omit<PromptEntry, 'get'> {
  const { complete = {}, argsSchema, toJsonSchema, ...prompt } = definition;
  const { name } = prompt;
  if (typeof name !== 'string' || name === '') throw new McpError(LocalErrorCode.Validation, 'a prompt needs a non-empty name');
  let args: PreparedSchema | undefined;
  if (argsSchema !== undefined) {
    if (prompt.arguments !== undefined) throw new McpError(LocalErrorCode.Validation, `prompt ${name}: give arguments or argsSchema, not both`);
    args = prepareWith(argsSchema, `prompt ${name} argsSchema`, schemas, toJsonSchema);
    prompt.arguments = promptArgumentsOf(args.json, `prompt ${name}`);
  }
  if (typeof get !== 'function') throw new McpError(LocalErrorCode.Validation, `prompt ${name} needs a get function`);
  const names = new Set<string>();
  for (const arg of prompt.arguments ?? []) {
    if (typeof arg?.name !== 'string' || arg.name === '') throw new McpError(LocalErrorCode.Validation, `prompt ${name}: every argument needs a name`);
    if (names.has(arg.name)) throw new McpError(LocalErrorCode.Validation, `prompt ${name}: argument ${arg.name} is declared twice`);
    names.add(arg.name);
  }
  for (const [arg, completer] of Object.entries(complete)) {
    if (!names.has(arg)) throw new McpError(LocalErrorCode.Validation, `prompt ${name}: completer for "${arg}", which is not a declared argument`);
    if (typeof completer !== 'function') throw new McpError(LocalErrorCode.Validation, `prompt ${name}: completer for "${arg}" is not a function`);
  }
  return { prompt, complete, args };
}

/** prompt-get.ts, loaded on the first `prompts/get` (issue #20 item 3). */
const promptGet = loadOnce(() => import('./prompt-get.ts'));

/** Create the prompts feature of a server (built into `createServer`). */
export function createPromptRegistry(options: PromptRegistryOptions): PromptRegistry {
  const prompts = new Map<string, PromptEntry>();
  let listed: Prompt[] | undefined;
  const changed = createListChangedNotifier('prompts', options.publish);

  function list(params: ListPromptsParams): ListPromptsResult {
    listed ??= [...prompts.values()].map((e) => e.prompt);
    return listPage('prompts', listed, params?.cursor, options.pageSize);
  }

  async function get(params: unknown, req: ServerRequest): Promise<GetPromptResult> {
    const p = (params ?? {}) as { name?: unknown; arguments?: unknown };
    // 2025-11-25 server/prompts, error handling: an invalid prompt name is -32602.
    if (typeof p.name !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: prompts/get needs a string "name"');
    const entry = prompts.get(p.name);
    // 2025-11-25 server/prompts: error handling, an invalid prompt name is -32602.
    if (!entry) throw new RpcError(ErrorCode.InvalidParams, `Invalid params: unknown prompt ${clipEchoed(p.name)}`);
    const { checkArguments, toResult } = promptGet.loaded ?? await promptGet.load();
    const strings = checkArguments(entry, p.arguments);
    const args = entry.args ? await checkedOrInvalid(entry.args, strings, `arguments of prompt ${entry.prompt.name}`) as Record<string, string> : strings;
    return toResult(entry, await entry.get(args, options.context(req)), req.protocolVersion);
  }

  return {
    get size() {
      return prompts.size;
    },
    capabilities(): ServerCapabilities {
      return prompts.size === 0 ? {} : { prompts: { listChanged: true } };
    },
    add(definition, handler) {
      const checked = checkDefinition(definition, handler, options.schemas);
      const { prompt } = checked;
      if (prompts.has(prompt.name)) throw new McpError(LocalErrorCode.Validation, `prompt ${prompt.name} is already registered`);
      const entry: PromptEntry = { ...checked, get: handler };
      prompts.set(prompt.name, entry);
      listed = undefined;
      changed();
      const remove = () => {
        if (prompts.get(prompt.name) !== entry) return;
        prompts.delete(prompt.name);
        listed = undefined;
        changed();
      };
      options.checks?.track([entry.args?.ready?.()], remove);
      return remove;
    },
    completionTarget(name) {
      const entry = prompts.get(name);
      return entry && { arguments: (entry.prompt.arguments ?? []).map((a) => a.name), complete: entry.complete };
    },
    hasCompleters() {
      for (const e of prompts.values()) if (Object.keys(e.complete).length > 0) return true;
      return false;
    },
    register(methods: MethodTable) {
      methods.on('prompts/list', list);
      methods.on('prompts/get', get);
    },
  };
}
