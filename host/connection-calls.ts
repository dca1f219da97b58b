/**
 * A connection's tool calls and resumed calls (connection.ts): each journalled with its stream
 * position while it runs over a 2025 HTTP session, so a later run can resume it (2025-11-25
 * basic/transports: resumability), and counted in flight while it waits on the server, so a
 * lost contact can say what becomes of it (lost-contact.ts).
 */
import type { McpClient } from 'mcpwire/client';
import type { RequestId } from 'mcpwire/protocol';
import { describeEntry } from './call-args.ts';
import type { Connection, ConnectionOptions } from './connection-types.ts';
import { failureKind } from './explain.ts';
import type { CallJournal } from './journal.ts';
import { keptAfter, type CallInFlight } from './lost-contact.ts';

/** What the calls need of their connection. */
export interface CallsDeps {
  options: ConnectionOptions;
  journal: CallJournal;
  /** The calls waiting on the server now (added and removed here). */
  inFlight: Set<CallInFlight>;
  ensure(): Promise<McpClient>;
  sessionId(): string | undefined;
  /** The journal's writes so far on disk (true), or the write-ahead wait passed (false). */
  durable(): Promise<boolean>;
  /** Set by the connection's close(): with keepSession, calls ended by the close stay on record. */
  closing(): boolean | undefined;
}

export function createConnectionCalls(deps: CallsDeps): Pick<Connection, 'call' | 'resume'> {
  const { options, journal, inFlight, durable } = deps;
  const keepAfter = (error: unknown, id: RequestId): boolean => keptAfter(failureKind(error), journal.resumable(id), deps.closing());

  async function tracked<T>(call: CallInFlight, fn: () => Promise<T>): Promise<T> {
    inFlight.add(call);
    try {
      return await fn();
    } finally {
      inFlight.delete(call);
    }
  }

  return {
    async call(tool, args, hooks) {
      const c = await deps.ensure();
      let id: RequestId | undefined;
      // A 2026-07-28 call cannot be resumed (no sessions, no event ids): nothing to journal.
      const journalled = options.spec.kind === 'http' && c.era !== 'modern';
      const kept = () => journalled && id !== undefined && journal.resumable(id);
      return tracked({ tool, kept, byPlan: hooks.byPlan === true, ...(hooks.planMoves ? { moves: hooks.planMoves } : {}) }, async () => {
        try {
          const result = await c.callTool(tool, args, {
            signal: hooks.signal,
            timeoutMs: options.callTimeoutMs,
            onProgress: hooks.onProgress,
            onRequestId: (next) => {
              if (id !== undefined) journal.end(id); // re-sent on a new session: the old id is dead
              id = next;
              hooks.onRequestId?.(next);
              if (journalled) journal.begin(next, { name: tool, arguments: args }, { sessionId: deps.sessionId(), protocolVersion: c.protocolVersion });
            },
            onResumptionToken: (token) => { if (id !== undefined) journal.advance(id, token); },
          });
          if (id !== undefined) journal.end(id);
          // The call's end is on disk before its result is shown: a restart does not show it again.
          if (journalled) await durable();
          return result;
        } catch (error) {
          if (id !== undefined && !keepAfter(error, id)) journal.end(id);
          throw error;
        }
      });
    },
    async resume(entry, hooks) {
      const c = await deps.ensure();
      if (entry.lastEventId === undefined) {
        journal.end(entry.requestId);
        throw new Error(`no event of ${describeEntry(entry)} had arrived before the host stopped, so there is nothing to resume from; run it again`);
      }
      hooks.onRequestId?.(entry.requestId);
      const tool = (entry.params as { name?: unknown } | undefined)?.name;
      return tracked({ tool: typeof tool === 'string' ? tool : entry.method, kept: () => journal.resumable(entry.requestId) }, async () => {
        try {
          const result = await c.resumeCall(entry.requestId, entry.lastEventId!, {
            signal: hooks.signal, timeoutMs: options.callTimeoutMs, onProgress: hooks.onProgress, progressToken: entry.requestId,
            onResumptionToken: (token) => journal.advance(entry.requestId, token),
          });
          journal.end(entry.requestId);
          await durable();
          return result;
        } catch (error) {
          if (!keepAfter(error, entry.requestId)) journal.end(entry.requestId);
          throw error;
        }
      });
    },
  };
}
