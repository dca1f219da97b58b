/**
 * What a completer is (2025-11-25 server/utilities/completion): a function registered with a
 * prompt argument or a resource template variable that suggests values for it.
 */
import type { ToolContext } from './context.ts';

/** What a completer learns besides the partial value. */
export interface CompletionContext {
  /** The argument or variable being completed. */
  readonly argument: string;
  /** Values the client already chose for the other arguments (2025-06-18 `context.arguments`). */
  readonly arguments: Readonly<Record<string, string>>;
  /** Aborted when the client cancels. */
  readonly signal: AbortSignal;
  /** The request's full context (logging, client info). */
  readonly request: ToolContext;
}

/** What a completer may return: the candidates, or them with a known total. */
export type CompletionReturn = string[] | { values: string[]; total?: number; hasMore?: boolean };

/** Suggests values for one argument, given what has been typed so far. */
export type Completer = (value: string, context: CompletionContext) => CompletionReturn | Promise<CompletionReturn>;
