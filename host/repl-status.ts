/**
 * What `status` and `servers` say (repl-commands.ts): each call of this run, the calls and
 * tasks on record, and each server's state and the era it is spoken to in.
 */
import { describeEntry } from './call-args.ts';
import type { Connection } from './connection-types.ts';
import { waitingText } from './calls.ts';
import type { Host } from './host.ts';
import { elapsedText, percentText } from './progress-view.ts';
import { storedTaskLine, taskFacts } from './task-view.ts';

/**
 * A connection's state as `status` and `servers` say it: a `ready` server that stopped
 * answering while calls wait on it showed as "ready" until it was back; and why it is down.
 */
function stateText(conn: Connection): string {
  return `${conn.contactState ?? conn.state}${conn.detail ? ` (${conn.detail})` : ''}`;
}

/**
 * `, 2026-07-28 (stateless)` or `, 2025-11-25 (sessions)`: the era a server is spoken to in. A
 * 2025 HTTP server that gave no session id (a stateless one, as the official SDK 2.x serves
 * 2025 clients) was said to have sessions, which promised calls that outlive a restart; so was
 * a stdio server, whose calls end with its process (2025-11-25 basic/transports: resumability
 * is Streamable HTTP's).
 */
function eraText(conn: { era: 'legacy' | 'modern' | undefined; protocolVersion: string | undefined; sessionId: string | undefined; spec: { kind: string } }): string {
  if (!conn.era || !conn.protocolVersion) return '';
  const how = conn.spec.kind === 'stdio' ? 'stdio: calls end with its process, they cannot be resumed'
    : conn.era === 'modern' ? 'stateless' : !conn.sessionId ? 'no session: calls cannot be resumed' : 'sessions';
  return `, ${conn.protocolVersion} (${how})`;
}

/** The lines of `status` and `servers`. */
export interface ReplStatus {
  /** `status`: the calls of this run, those on record, the tasks (polled now), the servers. */
  status(): Promise<string>;
  /** The tasks on record, polled now, one status line each (none: empty). */
  storedTaskLines(): Promise<string[]>;
  /** `servers`: one line per server. */
  servers(): string;
}

export function createReplStatus(host: Host): ReplStatus {
  const { output } = host;

  /** The tasks on record, each asked for its state now (`tasks/get`), as status lines. */
  async function storedTaskLines(): Promise<string[]> {
    return Promise.all(host.tasks.stored(host.connections).map(async (stored) => {
      const where = host.connections.length > 1 ? ` on ${stored.conn.name}` : '';
      try {
        await host.tasks.poll(stored);
      } catch (error) {
        return storedTaskLine(stored.record, where, (error as Error).message);
      }
      return stored.record.status === 'failed' ? `  (task) #${stored.record.n} ${stored.record.tool}${where}: ${stored.record.error}` : storedTaskLine(stored.record, where);
    }));
  }

  async function status(): Promise<string> {
    const lines: string[] = [];
    for (const c of output.calls) {
      const pct = c.progress ? percentText(c.progress.progress, c.progress.total).trim() : '';
      const facts = [
        c.status === 'done' && c.result?.isError ? 'failed (the tool reported an error)' : c.status, c.attached ? '' : 'detached', waitingText(c), pct, c.progress?.message ?? '',
        ...(c.task && c.status === 'running' ? taskFacts(c.task) : []), elapsedText((c.endedAt ?? Date.now()) - c.startedAt), c.resumed ? 'resumed' : '',
      ].filter((x) => x !== '');
      lines.push(`  ${output.label(c)}  ${facts.join(' · ')}`);
    }
    for (const { conn, entry, n } of host.storedCalls()) {
      lines.push(`  (on record) ${n !== undefined ? `#${n} ` : ''}${describeEntry(entry)} on ${conn.name}, started ${elapsedText(Date.now() - entry.startedAt)} ago: type resume${n !== undefined ? ` ${n}` : ''}`);
    }
    lines.push(...await storedTaskLines());
    for (const conn of host.connections) {
      lines.push(`  server ${conn.name}: ${stateText(conn)}${eraText(conn)}${conn.sessionId ? `, session ${conn.sessionId.slice(0, 8)}…` : ''}`);
    }
    return lines.length > host.connections.length ? `Calls:\n${lines.join('\n')}` : `No calls yet.\n${lines.join('\n')}`;
  }

  function servers(): string {
    return host.connections.map((conn) => `  ${conn.name}: ${stateText(conn)}${conn.serverInfo ? ` (${conn.serverInfo.name} ${conn.serverInfo.version})` : ''}${eraText(conn)}`).join('\n');
  }

  return { status, storedTaskLines, servers };
}
