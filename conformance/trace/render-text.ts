/** The live view: one or more readable lines per traced message. */
import type { TraceRecord } from './record.ts';

export interface TextStyle {
  /** ANSI colours (a TTY without --no-color). */
  color: boolean;
}

const ARROW = { 'client-to-server': 'C → S', 'server-to-client': 'C ← S' } as const;
const COLORS = { request: 36, response: 32, error: 31, notification: 33, invalid: 35, http: 34, stdio: 34, skipped: 35 } as const;

function paint(text: string, code: number, style: TextStyle): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** `seconds.millis` since the trace started, e.g. `+12.034s`. */
function elapsed(ms: number): string {
  return `+${(ms / 1000).toFixed(3)}s`;
}

function title(r: TraceRecord): string {
  const id = r.id !== undefined ? ` ${JSON.stringify(r.id)}` : '';
  switch (r.kind) {
    case 'request': return `${r.method} request${id}`;
    case 'notification': return `${r.method}`;
    case 'response': return `result${id}${r.answers ? ` of ${r.answers}` : ''}`;
    case 'error': return `error${id}${r.answers ? ` of ${r.answers}` : ''}`;
    case 'http': return 'HTTP';
    case 'stdio': return 'stdio';
    case 'skipped': return 'analysis skipped';
    default: return 'invalid frame';
  }
}

/** Format one record: a header line, the explanation, and any findings. */
export function formatRecord(r: TraceRecord, style: TextStyle): string {
  const where = r.http ? ` ${r.http.method}#${r.http.exchange}${r.http.status !== undefined ? ` ${r.http.status}` : ''}${r.http.eventId ? ` event ${r.http.eventId}` : ''}` : '';
  const era = r.version ? ` [${r.era} ${r.version}]` : '';
  const call = r.call !== undefined && r.kind !== 'response' ? ` (call ${JSON.stringify(r.call)})` : '';
  const head = `${String(r.seq).padStart(4)} ${elapsed(r.ms).padStart(10)} ${ARROW[r.direction]}${where} ${paint(title(r), COLORS[r.kind], style)}${call}${era}`;
  const lines = [head, `       ${r.explain}${r.spec ? paint(` (${r.spec})`, 90, style) : ''}`];
  for (const f of r.findings) lines.push(paint(`       ! ${f.id} (${f.definition}): ${f.message}`, 31, style));
  return lines.join('\n') + '\n';
}
