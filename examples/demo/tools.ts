/**
 * The small demo tool set of `mcpwire serve --stdio`: one tool per kind of interaction
 * (plain call, progress, elicitation, sampling), so any client can try each.
 */
import type { McpServer } from 'mcpwire/server';

/** Register the demo tools on `server`. */
export function registerDemoTools(server: McpServer): void {
  server.tool({
    name: 'echo',
    title: 'Echo',
    description: 'Returns the text it was given.',
    inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'Text to echo' } }, required: ['text'] },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, (args: { text: string }) => args.text);

  server.tool({
    name: 'count',
    title: 'Count with progress',
    description: 'Counts to `steps`, reporting progress at each step and waiting `delayMs` after each.',
    inputSchema: {
      type: 'object',
      properties: {
        steps: { type: 'integer', minimum: 1, maximum: 100_000, default: 5 },
        delayMs: { type: 'integer', minimum: 0, maximum: 10_000, default: 0 },
      },
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async (args: { steps?: number; delayMs?: number }, ctx) => {
    const steps = args.steps ?? 5;
    const delayMs = args.delayMs ?? 0;
    for (let i = 1; i <= steps; i++) {
      ctx.signal.throwIfAborted();
      await ctx.progress(i, steps, `step ${i} of ${steps}`);
      if (delayMs > 0) await sleep(delayMs, ctx.signal);
    }
    return `counted to ${steps}`;
  });

  server.tool({
    name: 'ask_user',
    title: 'Ask the user',
    description: 'Asks the user a question through elicitation and returns the answer.',
    inputSchema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] },
  }, async (args: { question: string }, ctx) => {
    const answer = await ctx.elicit({
      message: args.question,
      requestedSchema: { type: 'object', properties: { answer: { type: 'string', title: 'Answer' } }, required: ['answer'] },
    });
    if (answer.action !== 'accept') return { content: [{ type: 'text', text: `the user chose to ${answer.action}` }] };
    return `the user answered: ${String(answer.content?.answer)}`;
  });

  server.tool({
    name: 'summarize',
    title: 'Summarize with the client model',
    description: "Asks the client's model (sampling) to summarize a text.",
    inputSchema: { type: 'object', properties: { text: { type: 'string' }, maxTokens: { type: 'integer', minimum: 1, default: 200 } }, required: ['text'] },
  }, async (args: { text: string; maxTokens?: number }, ctx) => {
    const reply = await ctx.sample({
      messages: [{ role: 'user', content: { type: 'text', text: `Summarize in one sentence:\n\n${args.text}` } }],
      maxTokens: args.maxTokens ?? 200,
    });
    const blocks = Array.isArray(reply.content) ? reply.content : [reply.content];
    const text = blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n');
    return `${reply.model}: ${text}`;
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
