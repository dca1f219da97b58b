/**
 * `completion/complete` (2025-11-25 server/utilities/completion): suggestions for a prompt
 * argument (`ref/prompt`) or a resource template variable (`ref/resource`), from the
 * completers registered with them. Declares `completions` once any completer exists.
 */
import {
  ErrorCode, RpcError,
  type CompleteResult, type RequestContext, type ServerCapabilities, type ServerSide, type Session,
} from '../protocol/index.ts';
import { declares, notDeclared, type ServerConnection } from './connection.ts';
import type { HandlerContext } from './context.ts';
import type { PromptRegistry } from './prompts.ts';
import type { ResourceRegistry } from './resources.ts';
import type { ServerFeature } from './server.ts';
import { isObject } from '../protocol/jsonrpc.ts';

/** 2025-11-25 server/utilities/completion: "values" holds at most 100 items. */
export const MAX_COMPLETION_VALUES = 100;

/** What a completer learns besides the partial value. */
export interface CompletionContext {
  /** The argument or variable being completed. */
  readonly argument: string;
  /** Values the client already chose for the other arguments (2025-06-18 `context.arguments`). */
  readonly arguments: Readonly<Record<string, string>>;
  /** Aborted when the client cancels. */
  readonly signal: AbortSignal;
  /** The request's full context (logging, client info). */
  readonly request: HandlerContext;
}

/** What a completer may return: the candidates, or them with a known total. */
export type CompletionReturn = string[] | { values: string[]; total?: number; hasMore?: boolean };

/** Suggests values for one argument, given what has been typed so far. */
export type Completer = (value: string, context: CompletionContext) => CompletionReturn | Promise<CompletionReturn>;

/** Where {@link createCompletionFeature} finds completers. */
export interface CompletionFeatureOptions {
  prompts: PromptRegistry;
  resources: ResourceRegistry;
  context: (rc: RequestContext<ServerSide>, conn: ServerConnection) => HandlerContext;
}

function invalid(message: string): RpcError {
  return new RpcError(ErrorCode.InvalidParams, `Invalid params: ${message}`);
}

/**
 * Cap at {@link MAX_COMPLETION_VALUES}: `total` says how many there were in all and
 * `hasMore` whether some were left out.
 */
export function toCompletion(value: CompletionReturn): CompleteResult['completion'] {
  const given = Array.isArray(value) ? { values: value } : value;
  if (!isObject(given) || !Array.isArray(given.values) || given.values.some((v) => typeof v !== 'string')) {
    throw new Error('a completer must return an array of strings or { values: string[] }');
  }
  const all = given.values;
  const values = all.slice(0, MAX_COMPLETION_VALUES);
  const total = Math.max(given.total ?? all.length, all.length);
  return { values, total, hasMore: given.hasMore === true || total > values.length };
}

function readParams(params: unknown) {
  if (!isObject(params)) throw invalid('completion/complete needs params');
  const { ref, argument, context } = params;
  if (!isObject(ref) || (ref.type !== 'ref/prompt' && ref.type !== 'ref/resource')) throw invalid('ref must be a ref/prompt or ref/resource');
  if (!isObject(argument) || typeof argument.name !== 'string' || typeof argument.value !== 'string') {
    throw invalid('argument must be { name: string, value: string }');
  }
  let args: Record<string, string> = {};
  if (context !== undefined) {
    const given = isObject(context) ? context.arguments : undefined;
    if (!isObject(context) || (given !== undefined && (!isObject(given) || Object.values(given).some((v) => typeof v !== 'string')))) {
      throw invalid('context.arguments must be an object of strings');
    }
    args = (given ?? {}) as Record<string, string>;
  }
  return { ref, name: argument.name, value: argument.value, args };
}

/** Create the `completion/complete` feature (built into `createServer`). */
export function createCompletionFeature(options: CompletionFeatureOptions): ServerFeature {
  async function complete(params: unknown, rc: RequestContext<ServerSide>, conn: ServerConnection): Promise<CompleteResult> {
    const { ref, name, value, args } = readParams(params);
    let known: readonly string[];
    let completers: Readonly<Record<string, Completer>>;
    if (ref.type === 'ref/prompt') {
      if (typeof ref.name !== 'string') throw invalid('ref/prompt needs a string name');
      const target = options.prompts.completionTarget(ref.name);
      if (!target) throw invalid(`unknown prompt ${ref.name}`);
      known = target.arguments;
      completers = target.complete;
    } else {
      if (typeof ref.uri !== 'string') throw invalid('ref/resource needs a string uri');
      const target = options.resources.completionTarget(ref.uri);
      if (!target) throw invalid(`unknown resource or resource template ${ref.uri}`);
      known = target.variables;
      completers = target.complete;
    }
    if (!known.includes(name)) throw invalid(`${name} is not an argument of ${ref.type === 'ref/prompt' ? `prompt ${String(ref.name)}` : String(ref.uri)}`);
    const completer = completers[name];
    // A declared argument without a completer simply has no suggestions.
    if (!completer) return { completion: { values: [], total: 0, hasMore: false } };
    const request = options.context(rc, conn);
    return { completion: toCompletion(await completer(value, { argument: name, arguments: args, signal: rc.signal, request })) };
  }

  return {
    capabilities(): ServerCapabilities {
      return options.prompts.hasCompleters() || options.resources.hasCompleters() ? { completions: {} } : {};
    },
    install(conn, session: Session<ServerSide>) {
      if (!declares(conn, 'completions')) session.onRequest('completion/complete', notDeclared);
      else session.onRequest('completion/complete', (params, rc) => complete(params, rc, conn));
    },
  };
}
