/**
 * What detaching a call means, as the REPL's questions and lines say it (repl.ts): whether a
 * later run can pick the call up, and if not, why leaving ends it.
 */
import type { HostCall } from './calls.ts';
import type { Host } from './host.ts';

export interface DetachWords {
  /** Whether a later run can pick the call up. */
  resumable(c: HostCall): boolean;
  /** Why no later run can pick the call up, when none can. */
  notKept(c: HostCall): string | undefined;
  /** The line said when `c` is detached. */
  detachedLine(c: HostCall): string;
  /** What detaching does, in a question naming `calls`; `kept` is said of resumable ones. */
  detachMeans(calls: HostCall[], kept: string): string;
}

export function createDetachWords(host: Pick<Host, 'output'>): DetachWords {
  /**
   * Whether a later run can pick the call up: a task on record, or a stream position the
   * server gave (2025-11-25 basic/transports, resumability). Anything else left running is lost.
   */
  const resumable = (c: HostCall) => c.task !== undefined || (c.requestId !== undefined && c.conn.journal.resumable(c.requestId));
  /**
   * Why no later run can pick the call up, when none can: detaching it must not promise a
   * resume after restart that leaving then refuses (it cancels such calls).
   */
  const notKept = (c: HostCall): string | undefined => {
    if (resumable(c)) return undefined;
    if (c.conn.spec.kind === 'stdio') return 'its stdio server ends with the host';
    if (c.conn.era === 'modern') return '2026-07-28 calls have no stream to resume';
    return 'the server gave no point to resume its stream from';
  };
  const detachedLine = (c: HostCall) => {
    const why = notKept(c);
    return why === undefined
      ? `${host.output.label(c)} detached; it goes on on the server. "resume ${c.n}" watches it again (also after quit and restart).`
      : `${host.output.label(c)} detached; it goes on while this host runs. "resume ${c.n}" watches it again; quitting ends it (${why}).`;
  };
  /**
   * What detaching does, in a question naming `calls`: per call when they differ (a call on an
   * HTTP session and one on a stdio server were both said to go on only while the host runs).
   */
  const detachMeans = (calls: HostCall[], kept: string) => {
    const lost = calls.filter((c) => notKept(c) !== undefined);
    if (lost.length === 0) return kept;
    if (lost.length === calls.length) return 'goes on while this host runs';
    const numbers = (some: HostCall[]) => some.map((c) => `#${c.n}`).join(', ');
    const why = new Set(lost.map(notKept));
    return `${numbers(calls.filter((c) => !lost.includes(c)))} ${kept}; ${numbers(lost)} go${lost.length === 1 ? 'es' : ''} on while this host runs${why.size === 1 ? ` (${[...why][0]})` : ''}`;
  };

  return { resumable, notKept, detachedLine, detachMeans };
}
