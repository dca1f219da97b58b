/**
 * `completion/complete` (2025-11-25 server/utilities/completion): suggestions for a prompt
 * argument (`ref/prompt`) or a resource template variable (`ref/resource`), from the
 * completers registered with them. Declares `completions` once any completer exists. The
 * answer's code (completion-handler.ts) loads with `import()` on the first request.
 */
import type { ServerCapabilities } from '../protocol/index.ts';
import type { ToolContext } from './context.ts';
import type { MethodTable, ServerFeature } from './method-table.ts';
import type { PromptRegistry } from './prompts.ts';
import type { ServerRequest } from './request.ts';
import type { ResourceRegistry } from './resources.ts';
import { loadOnce } from '../protocol/load-once.ts';

/** Where {@link createCompletionFeature} finds completers. */
export interface CompletionFeatureOptions {
  prompts: PromptRegistry;
  resources: ResourceRegistry;
  context: (req: ServerRequest) => ToolContext;
}

/** completion-handler.ts, loaded on the first request. */
const handler = loadOnce(() => import('./completion-handler.ts'));

/** Create the `completion/complete` feature (built into `createServer`). */
export function createCompletionFeature(options: CompletionFeatureOptions): ServerFeature {
  return {
    capabilities(): ServerCapabilities {
      return options.prompts.hasCompleters() || options.resources.hasCompleters() ? { completions: {} } : {};
    },
    register(methods: MethodTable) {
      methods.on('completion/complete', async (params, req) => (handler.loaded ?? await handler.load()).complete(options, params, req));
    },
  };
}
