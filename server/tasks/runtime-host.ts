/**
 * What a server's tasks runtime (runtime.ts) needs from the server it runs in: the tools, the
 * request context, the event bus, and the live connections of 2025 sessions.
 */
import type { CallToolParams, CallToolResult } from '../../protocol/index.ts';
import type { ServerConnection } from '../connection-types.ts';
import type { ToolContext } from '../context.ts';
import type { ServerEvent, ServerEventListener } from '../event-bus.ts';
import type { ServerRequest } from '../request.ts';
import type { ToolRestart } from '../tools.ts';

/** What the runtime needs from its server. */
export interface TaskRuntimeHost {
  /** Run the tool call (the tools registry: validation, the handler, output checks). */
  run(params: CallToolParams, ctx: ToolContext): CallToolResult | Promise<CallToolResult>;
  /** The `restart` option of the tool `name` (tools.ts); undefined when it is not registered. */
  restartOf?(name: unknown): ToolRestart | undefined;
  context(req: ServerRequest): ToolContext;
  publish(event: ServerEvent): void;
  /** Hear the server's events, from every instance on a shared bus; returns the function that stops it. */
  subscribe(listener: ServerEventListener): () => void;
  /** The live connection of a 2025 session on this instance, if its client is connected now. */
  connectionOf?(sessionId: string): ServerConnection | undefined;
  report(error: Error): void;
}
