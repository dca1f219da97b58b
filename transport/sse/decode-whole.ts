/**
 * A one-pass reading of a whole SSE body in the form servers write (LF line endings, the
 * fields `data`, `id`, `event`, `retry` and comments, every event closed by its blank line),
 * for a reply that arrived complete. It gives exactly the events {@link createSseDecoder}
 * gives for the same text (HTML Living Standard, "Server-sent events", event stream
 * interpretation: a `data` line adds a line to the event, one leading space of a value is
 * dropped, a blank line dispatches an event that has data, an empty `event` is the default
 * type) and declines, returning undefined, whatever it does not read itself: a CR, a byte
 * order mark, another field, a field without a colon, an `id` with NUL, an invalid `retry`,
 * an unfinished event at the end. What it saves per reply is the streaming decoder: its
 * parser object, its boundary scan, and a callback per event (bench/README.md, "Session 10:
 * the HTTP client per call").
 */
import type { SseEvent } from './decode.ts';

const LF = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
const D = 0x64;
const E = 0x65;
const I = 0x69;
const R = 0x72;

/** Where a field's value starts: after its name and colon, and one space if there is one. */
function valueStart(text: string, afterColon: number): number {
  return text.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
}

/** True when `text[from, to)` is one or more ASCII digits (a valid `retry`), checked without a regular expression. */
function allDigits(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The events of `text`, a whole SSE body already decoded from UTF-8, or undefined when it
 * holds anything the streaming decoder must handle (see the module comment); `retry` is
 * checked and otherwise ignored, comments are skipped.
 */
export function decodeWholeSse(text: string): SseEvent[] | undefined {
  const length = text.length;
  if (length === 0) return [];
  if (text.charCodeAt(length - 1) !== LF || text.charCodeAt(0) === 0xfeff || text.indexOf('\r') !== -1) return undefined;
  const events: SseEvent[] = [];
  let data = '';
  let dataLines = 0;
  let id: string | undefined;
  let type: string | undefined;
  for (let start = 0; start < length;) {
    const end = text.indexOf('\n', start); // found: the text ends with LF
    if (end === start) {
      if (dataLines > 0) {
        const event: SseEvent = { data };
        if (id !== undefined) event.id = id;
        if (type !== undefined) event.event = type;
        events.push(event);
      }
      data = '';
      dataLines = 0;
      id = undefined;
      type = undefined;
    } else {
      switch (text.charCodeAt(start)) {
        case D: {
          if (!text.startsWith('data:', start)) return undefined;
          const value = text.slice(valueStart(text, start + 5), end);
          data = dataLines === 0 ? value : `${data}\n${value}`;
          dataLines += 1;
          break;
        }
        case I: {
          if (!text.startsWith('id:', start)) return undefined;
          const value = text.slice(valueStart(text, start + 3), end);
          if (value.includes('\0')) return undefined;
          id = value;
          break;
        }
        case E:
          if (!text.startsWith('event:', start)) return undefined;
          type = text.slice(valueStart(text, start + 6), end) || undefined;
          break;
        case R:
          if (!text.startsWith('retry:', start) || !allDigits(text, valueStart(text, start + 6), end)) return undefined;
          break;
        case COLON:
          break;
        default:
          return undefined;
      }
    }
    start = end + 1;
  }
  // An event left without its blank line is the streaming decoder's to drop.
  if (dataLines > 0 || id !== undefined || type !== undefined) return undefined;
  return events;
}
