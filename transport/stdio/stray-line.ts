/**
 * Lines on a stdio server's stdout that are not JSON. 2025-11-25 basic/transports (stdio):
 * "The server MUST NOT write anything to its stdout that is not a valid MCP message."
 *
 * The client never answers such a line. A parse error can name no request (JSON-RPC 2.0
 * section 5: its id is null), so the answer tells the server nothing; 2026-07-28
 * basic/transports forbids a client's responses on stdio altogether; and a program that
 * writes back what it reads (an echo, a shell, a logger on stdout) would answer the answer,
 * for ever. The official clients also read on past such a line. Each line is reported through
 * `onError`, up to a bound. A line that holds a JSON-RPC message with other text around it
 * fails the request it names at once: the answer to it, with a prefix, or the request itself
 * written back by a program that echoes its input. Without that the request waited out its
 * whole timeout.
 */
import { LocalErrorCode, McpError, isRequestId, parseJson, type RequestId } from '../../protocol/index.ts';
import { thinnedReport } from '../../protocol/limits.ts';

/** Characters of a stray line quoted in a report. */
const EXCERPT_CHARS = 80;

/** Where the stray lines of one server go. */
export interface StrayLineSink {
  command: string;
  maxJsonDepth: number;
  maxReports: number;
  onError(error: Error): void;
  /** Fail our pending request `id`; only one of `method` when it is given. */
  onRequestFailed(id: RequestId, error: Error, method?: string): void;
}

/** A JSON-RPC message found inside a line, and the text around it. */
interface Wrapped {
  id: RequestId;
  method: string | undefined;
  around: string;
}

function excerpt(text: string): string {
  const cut = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}...` : text;
  return JSON.stringify(cut);
}

/** A JSON-RPC message with an id between the first `{` and the last `}` of the line, if any. */
function findWrapped(line: string, maxJsonDepth: number): Wrapped | undefined {
  const start = line.indexOf('{');
  const end = line.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  const value = parseJson(line.slice(start, end + 1), maxJsonDepth);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0' || !isRequestId(m.id)) return undefined;
  const before = line.slice(0, start);
  const after = line.slice(end + 1);
  const around = [before && `${excerpt(before)} before it`, after && `${excerpt(after)} after it`].filter(Boolean).join(', ');
  if (typeof m.method === 'string') return { id: m.id, method: m.method, around };
  if ('result' in m || 'error' in m) return { id: m.id, method: undefined, around };
  return undefined;
}

/** Reports the stray lines of one server (see the module comment). */
export function createStrayLines(sink: StrayLineSink): (line: string) => void {
  let count = 0;
  return (line) => {
    count += 1;
    const wrapped = findWrapped(line, sink.maxJsonDepth);
    if (wrapped?.method !== undefined) {
      // Our own request, written back: only the pending request of that id and method fails.
      sink.onRequestFailed(wrapped.id, new McpError(LocalErrorCode.Protocol,
        `the server wrote this request back with other text around it (${wrapped.around}) instead of answering it: "${sink.command}" echoes its input and does not speak MCP over stdio`), wrapped.method);
    } else if (wrapped) {
      sink.onRequestFailed(wrapped.id, new McpError(LocalErrorCode.Protocol,
        `the server wrote the answer with other text on its line (${wrapped.around}); stdout must carry MCP messages only (basic/transports, stdio)`));
    }
    // The first few one by one, then the 100th, 1000th, ...: a chatty server costs a few reports.
    const more = thinnedReport(count, sink.maxReports, 'such lines', 'maxStrayLineReports');
    if (more === undefined) return;
    sink.onError(new McpError(LocalErrorCode.Protocol,
      `the server wrote a line to stdout that is not JSON, ignored and not answered: ${excerpt(line)}${more}; stdout must carry MCP messages only (basic/transports, stdio)`));
  };
}

/**
 * A line from the server whose bytes are not UTF-8 (2025-11-25 basic/transports: JSON-RPC
 * messages MUST be UTF-8 encoded). It is refused, never handed up with U+FFFD in place of
 * what the server wrote: an answer fails its request at once, naming the byte (read from the
 * `lossy` text, which is used for nothing else); anything else is reported through `onError`.
 * Not answered, as the lines above are not.
 */
export function refuseNotUtf8(sink: StrayLineSink, error: Error, lossy: string): void {
  const value = parseJson(lossy, sink.maxJsonDepth);
  const m = typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  const id = m && isRequestId(m.id) ? m.id : undefined;
  const method = typeof m?.method === 'string' ? m.method : undefined;
  if (id !== undefined && method === undefined && ('result' in m! || 'error' in m!)) {
    sink.onRequestFailed(id, new McpError(LocalErrorCode.Protocol, `the server's answer to request ${JSON.stringify(id)} was refused: ${error.message}`));
    return;
  }
  const what = method !== undefined ? `${id !== undefined ? 'request' : 'notification'} ${JSON.stringify(method.slice(0, EXCERPT_CHARS))}` : 'line';
  sink.onError(new McpError(LocalErrorCode.Protocol, `the server wrote a ${what} to stdout that was refused, not answered: ${error.message}`));
}
