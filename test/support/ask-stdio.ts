/**
 * A client on a scripted 2025-11-25 stdio server that asks questions (test/client-ask-*-stdio):
 * each question reaches `onElicit` and is held until its signal aborts (then answered `cancel`),
 * or answered at once with `answer`; the server writes every answer it reads to stderr as
 * "answer <id> <json>". Test-only.
 */
import { createClient, createStdioClientTransport, type InboundContext } from 'mcpwire/client';
import type { ElicitResult } from 'mcpwire/protocol';

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A question as `onElicit` got it, and its signal's abort reason once aborted. */
export interface Asked { ctx: InboundContext; aborted: Promise<unknown> }

/** The client (legacy era) and transport for `fixture`, a node script. */
export function setupAsk(fixture: string, answer?: ElicitResult) {
  let stderr = '';
  let sawAnswer!: () => void;
  const answered = new Promise<void>((r) => { sawAnswer = r; });
  const asked: Asked[] = [];
  let onAsked: (() => void) | undefined;
  const client = createClient({ name: 't', version: '1' }, {
    era: 'legacy',
    onElicit: (_params, ctx) => new Promise((resolve) => {
      const aborted = new Promise((r) => ctx.signal.addEventListener('abort', () => { r(ctx.signal.reason); resolve({ action: 'cancel' }); }, { once: true }));
      asked.push({ ctx, aborted });
      onAsked?.();
      if (answer) resolve(answer);
    }),
  });
  const transport = createStdioClientTransport({
    command: process.execPath, args: [fixture], closeGraceMs: 2_000,
    stderr: (chunk) => { stderr += chunk; if (/^answer /m.test(stderr)) sawAnswer(); },
  });
  const nextAsk = () => new Promise<void>((r) => { onAsked = r; });
  /** Call tool `name`, abortable; resolves 'answered' or the error's code. */
  const call = (name: string, args: Record<string, unknown> = {}) => {
    const controller = new AbortController();
    const outcome = client.callTool(name, args, { signal: controller.signal }).then(() => 'answered', (e: Error & { code?: string }) => e.code);
    return { controller, outcome };
  };
  return { client, transport, asked, nextAsk, answered, call, stderr: () => stderr };
}
