/**
 * Every server's tools, for "list", routing and plans: servers are asked at once, a server
 * that took the connection but did not answer is not waited for twice, and with a patience
 * the host goes on without the slow ones (named `late`) and hears of them when they answer.
 */
import type { Tool } from 'mcpwire/protocol';
import type { Connection } from './connection.ts';
import { isBadPort, isNotMcp, isRefused } from './explain.ts';
import { elapsedText } from './progress-view.ts';
import type { Terminal } from './terminal.ts';

/**
 * A server that accepts connections but does not answer holds "list" (and the start) until
 * its connect timeout: past this, the host says whom it waits for instead of showing nothing.
 */
export const SLOW_CONNECT_NOTICE_MS = 2_000;

export interface ToolEntry {
  conn: Connection;
  tools: Tool[] | undefined;
  error: string | undefined;
  /** The failure shows the server is not MCP at all (explain.ts `isNotMcp`), not merely down. */
  notMcp: boolean;
  /** The server refused us (HTTP 401 or 403; explain.ts `isRefused`): not merely down either. */
  refused?: true;
  /** Its port is one fetch never connects to (explain.ts `isBadPort`): no retry reaches it. */
  badPort?: true;
  /** Still connecting when the caller's patience ran out (see `toolIndex`); `error` says so. */
  late?: true;
}

export interface ToolIndexOptions {
  patienceMs?: number;
  onLate?: (entry: ToolEntry) => void;
}

export interface ToolIndexDeps {
  connections: Connection[];
  term: Terminal;
  shutdown: AbortSignal;
  /** After this long still connecting, say which servers are awaited. Default {@link SLOW_CONNECT_NOTICE_MS}. */
  slowConnectNoticeMs?: number;
}

/** The host's `toolIndex` (host.ts), over its connections. */
export function createToolIndex(deps: ToolIndexDeps): (options?: ToolIndexOptions) => Promise<ToolEntry[]> {
  const { connections, term, shutdown } = deps;
  const paint = term.paint;
  /** Servers still connecting after a `toolIndex` stopped waiting for them (its `patienceMs`). */
  const late = new Map<Connection, number>();
  /** Servers being tried again in the background after they did not answer in time. */
  const retrying = new Set<Connection>();

  /**
   * A server that took the connection but did not answer the handshake was named once, with
   * why: later commands do not wait a connect timeout for it again. It is tried again in the
   * background, and a line says so only when it answers.
   */
  function retryQuietly(conn: Connection): void {
    if (retrying.has(conn) || shutdown.aborted) return;
    retrying.add(conn);
    conn.tools().then(
      () => { if (!shutdown.aborted) term.print(paint.green(`✓ ${conn.name} answers now: "list" shows its tools`)); },
      () => undefined, // still silent: it was said already
    ).finally(() => retrying.delete(conn));
  }

  return async function toolIndex(indexOptions: ToolIndexOptions = {}): Promise<ToolEntry[]> {
    // Every server at once; one already known not to answer is not waited for again, nor
    // one left behind by an earlier patience while it still connects.
    const pending = new Set(connections.filter((c) => c.unanswered === undefined && !(late.has(c) && c.state === 'connecting')));
    const { patienceMs, onLate } = indexOptions;
    // A patience up to three times the notice's wait: its own line names the late server soon
    // enough (two lines on the same server read as noise); a longer patience keeps the notice.
    const noticeMs = deps.slowConnectNoticeMs ?? SLOW_CONNECT_NOTICE_MS;
    const notice = patienceMs !== undefined && patienceMs <= noticeMs * 3 ? undefined : setTimeout(() => {
      const waiting = [...pending].filter((c) => c.state === 'connecting').map((c) => c.name);
      if (waiting.length > 0) term.print(paint.dim(`… waiting for ${waiting.join(', ')} to answer (connecting)`));
    }, noticeMs);
    const lateEntry = (conn: Connection, since: number): ToolEntry => ({
      conn, tools: undefined, notMcp: false, late: true, error: `${conn.name} has not answered yet, after ${elapsedText(Date.now() - since)}`,
    });
    let patience: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    try {
      const entries = connections.map(async (conn): Promise<ToolEntry> => {
        const silent = conn.unanswered;
        if (silent !== undefined) {
          retryQuietly(conn);
          return { conn, tools: undefined, error: `${silent}; trying again in the background`, notMcp: false };
        }
        if (!pending.has(conn)) return lateEntry(conn, late.get(conn) ?? started);
        try {
          return { conn, tools: await conn.tools(), error: undefined, notMcp: false };
        } catch (error) {
          return { conn, tools: undefined, error: (error as Error).message, notMcp: isNotMcp(error), ...(isRefused(error) ? { refused: true as const } : {}),
            ...(isBadPort(error) ? { badPort: true as const } : {}) };
        } finally {
          pending.delete(conn);
        }
      });
      if (patienceMs === undefined) return await Promise.all(entries);
      const outOfPatience = new Promise<void>((resolve) => { patience = setTimeout(resolve, patienceMs); });
      const settled: Array<ToolEntry | undefined> = connections.map(() => undefined);
      let someAnswered!: () => void;
      const answered = new Promise<void>((resolve) => { someAnswered = resolve; });
      const all = Promise.all(entries.map((e, i) => e.then((entry) => { settled[i] = entry; if (entry.tools) someAnswered(); })));
      // Out of patience, the host goes on with the servers that answered: with none yet (one
      // slow server, a stdio child still starting) there is nothing to go on with, so it waits.
      await Promise.race([all, outOfPatience.then(() => answered)]);
      return connections.map((conn, i) => {
        const entry = settled[i];
        if (entry) return entry;
        // 2025-11-25 basic/lifecycle: nothing but pings may go before initialize is answered; the rest goes on meanwhile.
        late.set(conn, started);
        void entries[i]!.then((later) => {
          late.delete(conn);
          if (!shutdown.aborted) onLate?.(later);
        });
        return lateEntry(conn, started);
      });
    } finally {
      clearTimeout(notice);
      clearTimeout(patience);
    }
  };
}
