/**
 * The tools and resources both fault servers (HTTP and stdio) offer beside the demo tools, so the
 * check's cancellation, tasks and listen probes have something to work on. Test-only.
 */
import type { McpServer } from 'mcpwire/server';

/** The resource a listen asks for (the first listed), and one it does not. */
export const README_URI = 'fault://notes/readme';
export const OTHER_URI = 'fault://notes/other';

/** Which of the probe tools to register. */
export interface ProbeToolOptions {
  /** `settle`, the slow read-only tool of the cancellation probes (default true). */
  readonly settle?: boolean;
}

/**
 * Registers `settle` (when asked), `ask_task`, `tally`, the resources {@link README_URI} and
 * {@link OTHER_URI}, and `touch` (which marks both changed), in that order: the cancellation
 * probe tries the first five read-only tools only, so `settle` must come before the task tools.
 */
export function registerProbeTools(server: McpServer, options: ProbeToolOptions = {}): void {
  if (options.settle ?? true) {
    // A read-only tool still running after its first progress, for the cancellation probes; its
    // end marks the readme updated, which a listen sees (the 2026-07-28 HTTP probe's only witness).
    server.tool({ name: 'settle', description: 'Reports progress, then works 400 ms and marks the readme updated; stops when cancelled.', annotations: { readOnlyHint: true } }, async (_args, ctx) => {
      await ctx.progress(1, 2, 'started');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 400);
        ctx.signal.addEventListener('abort', () => { clearTimeout(timer); reject(ctx.signal.reason); }, { once: true });
      });
      await server.resourceUpdated(README_URI);
      return 'settled';
    });
  }
  // A task that asks for input (2026-07-28: input_required, answered with tasks/update); the first task the check polls.
  server.tool({ name: 'ask_task', description: 'As a task, asks for a name and greets it.', annotations: { readOnlyHint: true }, execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
    const form = await ctx.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    return form.action === 'accept' ? `hello ${String(form.content?.name)}` : `no name (${form.action})`;
  });
  // A tool that may run as a task (2026-07-28: when the client declares the tasks extension).
  server.tool({ name: 'tally', description: 'Counts to three.', annotations: { readOnlyHint: true }, execution: { taskSupport: 'optional' } }, () => 'one, two, three');
  // Two resources: a listen names the first; a change to the second is not its to hear.
  server.resource({ uri: README_URI, name: 'readme', mimeType: 'text/plain' }, () => 'fault server notes');
  server.resource({ uri: OTHER_URI, name: 'other', mimeType: 'text/plain' }, () => 'other notes');
  // The check's --listen-trigger: a real change to both resources while a listen is open.
  server.tool({ name: 'touch', description: 'Marks both notes changed.', annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true } }, async () => {
    const told = await server.resourceUpdated(README_URI) + await server.resourceUpdated(OTHER_URI);
    return `touched (${told} told)`;
  });
}
