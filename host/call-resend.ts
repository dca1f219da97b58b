/**
 * A call whose server went away before answering anything (a kill -9 or a restart cut its
 * POST before its first event): there is no event id to resume from (2025-11-25
 * basic/transports, resumability), and the server may or may not have run it. It is sent
 * again once the server is back only where that cannot do a thing twice: the tool only reads
 * (2025-11-25 server/tools: `readOnlyHint`) or the call names itself with an idempotency key.
 * Otherwise the person is told what is known and how to run it again.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult, Tool } from 'mcpwire/protocol';
import type { Connection } from './connection-types.ts';
import { failureKind, networkReason, UnansweredCutError } from './explain.ts';

import { IDEMPOTENCY_ARG } from './call-args.ts';

export { IDEMPOTENCY_ARG, shownArgs } from './call-args.ts';

/** `args` with a fresh key when `tool` takes one and none was given; `keyed` says one was added. */
export function withIdempotencyKey(tool: Tool, args: Record<string, unknown>, prefix: string): { args: Record<string, unknown>; keyed: boolean } {
  if (!(IDEMPOTENCY_ARG in (tool.inputSchema.properties ?? {})) || args[IDEMPOTENCY_ARG] !== undefined) return { args, keyed: false };
  return { args: { ...args, [IDEMPOTENCY_ARG]: `${prefix}-${randomUUID()}` }, keyed: true };
}

/** Why sending `args` to `tool` again cannot do a thing twice, or undefined when it could. */
export function repeatSafety(tool: Tool | undefined, args: Record<string, unknown>): string | undefined {
  if (tool?.annotations?.readOnlyHint === true) return 'it only reads';
  if (typeof args[IDEMPOTENCY_ARG] === 'string') return 'it has an idempotency key';
  return undefined;
}

export interface ResendOptions {
  conn: Connection;
  tool: Tool;
  args: Record<string, unknown>;
  /** How the call reads as a line the person can type again (`travel_agent {...}`). */
  line: string;
  /** Aborted by the person's cancel: no more waiting or sending. */
  signal: AbortSignal;
  /** Whether any event of the current attempt arrived (it is then resumable, or it answered). */
  heard: () => boolean;
  /** How often it is sent again at most (`--reconnect-attempts`, as a cut stream is tried). */
  attempts: number;
  /** The server being restarted by whoever runs it (the demo): waited for before sending again. */
  serverRestarting?: () => Promise<void> | undefined;
  /** Says the re-send, once: `went away before answering; sent again (it only reads)`. */
  said: (text: string) => void;
  /** Between tries while the server is not back: 500 ms doubling to this (the transport's reconnect). */
  maxDelayMs?: number;
}

/** Sends with `send`; a cut before any event is sent again or explained (see the file's head). */
export async function sendResending(send: () => Promise<CallToolResult>, o: ResendOptions): Promise<CallToolResult> {
  const safe = repeatSafety(o.tool, o.args);
  let sent = 0;
  let said = false;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      const kind = failureKind(error);
      // Only HTTP: a stdio server's exit is said by the connection (it restarts it, calls lost).
      if (o.signal.aborted || o.conn.spec.kind !== 'http' || o.heard() || (kind !== 'unreachable' && kind !== 'closed')) throw error;
      // The first try's cut is the one to explain; later ones are the server still being away.
      const why = networkReason(error) ?? 'its connection closed';
      if (safe === undefined) {
        throw new UnansweredCutError(`${o.conn.name} went away before answering (${why}); ${o.tool.name} may or may not have run, `
          + `so it was not sent again (it may change something and has no idempotency key); to run it again, type: ${o.line}`, { cause: error });
      }
      if (sent >= o.attempts) {
        throw new UnansweredCutError(`${o.conn.name} went away before answering and was not back after ${sent} tries (${why}; --reconnect-attempts); `
          + `${o.tool.name} is safe to run again (${safe}): type: ${o.line}`, { cause: error });
      }
      const restarting = o.serverRestarting?.();
      if (restarting) await untilAborted(restarting.catch(() => undefined), o.signal);
      // A server restarted by someone else: wait as a cut stream does before trying it again.
      else await pause(Math.min(500 * 2 ** Math.min(sent, 10), o.maxDelayMs ?? 3_000), o.signal);
      if (o.signal.aborted) throw error;
      sent++;
      if (!said) {
        said = true;
        o.said(`${o.conn.name} went away before answering; sent again (${safe})`);
      }
    }
  }
}

/** `wait`, or less when `signal` aborts (the person's cancel, the host leaving). */
function untilAborted(wait: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { signal.removeEventListener('abort', done); resolve(); };
    signal.addEventListener('abort', done, { once: true });
    void wait.then(done);
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
