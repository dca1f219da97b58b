/**
 * The answer to `completion/complete` (2025-11-25 server/utilities/completion), loaded with
 * `import()` by completion.ts on the server's first completion request (issue #20 item 3).
 */
import { ErrorCode, RpcError, type CompleteResult } from '../protocol/index.ts';
import type { Completer, CompletionReturn } from './completer.ts';
import type { CompletionFeatureOptions } from './completion.ts';
import { clipEchoed, isObject } from '../protocol/jsonrpc.ts';
import type { ServerRequest } from './request.ts';

/** 2025-11-25 server/utilities/completion: "values" holds at most 100 items. */
export const MAX_COMPLETION_VALUES = 100;

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

/** Answer one `completion/complete` request from the completers `options` finds. */
export async function complete(options: CompletionFeatureOptions, params: unknown, req: ServerRequest): Promise<CompleteResult> {
  const { ref, name, value, args } = readParams(params);
  let known: readonly string[];
  let completers: Readonly<Record<string, Completer>>;
  if (ref.type === 'ref/prompt') {
    if (typeof ref.name !== 'string') throw invalid('ref/prompt needs a string name');
    const target = options.prompts.completionTarget(ref.name);
    if (!target) throw invalid(`unknown prompt ${clipEchoed(ref.name)}`);
    known = target.arguments;
    completers = target.complete;
  } else {
    if (typeof ref.uri !== 'string') throw invalid('ref/resource needs a string uri');
    const target = options.resources.completionTarget(ref.uri);
    if (!target) throw invalid(`unknown resource or resource template ${clipEchoed(ref.uri)}`);
    known = target.variables;
    completers = target.complete;
  }
  if (!known.includes(name)) throw invalid(`${name} is not an argument of ${ref.type === 'ref/prompt' ? `prompt ${String(ref.name)}` : String(ref.uri)}`);
  const completer = completers[name];
  // A declared argument without a completer simply has no suggestions.
  if (!completer) return { completion: { values: [], total: 0, hasMore: false } };
  const request = options.context(req);
  return { completion: toCompletion(await completer(value, { argument: name, arguments: args, signal: req.signal, request })) };
}
