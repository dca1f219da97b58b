/**
 * An SSE body whose events are passed on one at a time, each notification (progress, a log
 * line) and each event without a message (the priming event) only once its id is on disk.
 * The reader (the transport) hands a message up, and the host shows it, before the reader
 * records its id; a host killed in between showed the event again after a restart. Saving
 * the id first means what was shown is what was saved: a resume starts right after it.
 * 2025-11-25 basic/transports: resumability (the server replays what follows Last-Event-ID);
 * the server SHOULD open a POST's stream with an event id and empty data (priming).
 *
 * Requests (a form, a model request) and the response pass at once: a question counts as seen
 * only once it is answered (journal.ts `holdQuestion`), and a call's end is saved before its
 * result is shown (connection.ts), so neither may be saved ahead of being shown.
 */

/** Bytes of one event held while looking for its end; a longer event passes on as it comes, ungated. Default 64 KiB. */
export const EVENT_GATE_SEARCH_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Where the first event ends in `bytes` (the index after its blank line), or -1. `before` is
 * the last two bytes already passed on, so a blank line split between chunks is found.
 * SSE ends an event at an empty line: LF LF, CR LF CR LF or CR CR (a lone CR ends a line).
 */
export function firstEventEnd(bytes: Uint8Array, before: readonly number[]): number {
  const at = (i: number) => (i >= 0 ? bytes[i]! : before[before.length + i] ?? -1);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const p1 = at(i - 1);
    // LF LF, or CR LF after a line's LF: the empty line ends at this LF.
    if (b === LF && (p1 === LF || (p1 === CR && at(i - 2) === LF))) return i + 1;
    // CR CR (not the CR of a CR LF pair): the empty line ends at this CR.
    if (b === CR && p1 === CR) return i + 1;
  }
  return -1;
}

/**
 * The id of one whole event when the host shows it at once on delivery (a notification, or no
 * message at all), else undefined. The SSE field rules (WHATWG HTML, server-sent events:
 * "id", "data", "event"; one space after the colon dropped; a comment line starts with ":").
 */
export function gatedEventId(event: Uint8Array): string | undefined {
  let id: string | undefined;
  let type: string | undefined;
  const data: string[] = [];
  for (const line of new TextDecoder().decode(event).split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
  }
  if (id === undefined || id === '') return undefined;
  const text = data.join('\n');
  if (text === '' || (type !== undefined && type !== 'message')) return id;
  try {
    const message = JSON.parse(text) as Record<string, unknown> | null;
    const notification = message !== null && typeof message === 'object' && !Array.isArray(message)
      && typeof message.method === 'string' && !('id' in message);
    return notification ? id : undefined;
  } catch {
    return undefined; // not ours to judge: the transport reports it
  }
}

/**
 * `body` passed on event by event; before the events `gatedEventId` names, `save(ids)` must
 * resolve. Gated events already read one after another (a tool that reports fast) are saved
 * in one call and passed on together; a request or response between them ends the batch.
 * `save` resolving false (the disk did not answer in time) ends the gating: the rest passes
 * on as it comes.
 */
export function gateEvents(body: ReadableStream<Uint8Array>, save: (eventIds: string[]) => Promise<boolean>, searchBytes = EVENT_GATE_SEARCH_BYTES): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let gating = true;
  /** Bytes of the event being read (and any after it), and how far its end was looked for. */
  let held: Uint8Array = new Uint8Array(0);
  let scanned = 0;
  /** Inside an event longer than `searchBytes`: its bytes pass on until its end; the last two passed. */
  let passing = false;
  let tail: number[] = [];

  /** The whole event at the start of `held`, taken off it; undefined while it is not all there. */
  function takeEvent(): Uint8Array | undefined {
    const found = firstEventEnd(held.subarray(scanned), scanned === 0 ? [] : [...held.subarray(Math.max(0, scanned - 2), scanned)]);
    if (found === -1) {
      scanned = held.length;
      return undefined;
    }
    const event = held.subarray(0, scanned + found);
    held = held.subarray(scanned + found);
    scanned = 0;
    return event;
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (!passing && held.length > 0) {
          const event = takeEvent();
          if (event) {
            const id = gating ? gatedEventId(event) : undefined;
            if (id === undefined) {
              controller.enqueue(event);
              return;
            }
            const ids = [id];
            const parts = [event];
            for (;;) {
              const before = { held, scanned };
              const next = held.length > 0 ? takeEvent() : undefined;
              const nextId = next ? gatedEventId(next) : undefined;
              if (!next || nextId === undefined) {
                ({ held, scanned } = before);
                break;
              }
              ids.push(nextId);
              parts.push(next);
            }
            // A turn first: the previous event's handlers (a question's hold) run before these ids are taken.
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (!(await save(ids))) gating = false;
            controller.enqueue(parts.length === 1 ? event : joined(parts));
            return;
          }
          if (held.length >= searchBytes) {
            passing = true;
            tail = [...held.subarray(Math.max(0, held.length - 2))];
            controller.enqueue(held);
            held = new Uint8Array(0);
            scanned = 0;
            return;
          }
        }
        const next = await reader.read();
        if (next.done) {
          if (held.length > 0) controller.enqueue(held);
          held = new Uint8Array(0);
          controller.close();
          return;
        }
        const chunk = next.value;
        if (passing) {
          const end = firstEventEnd(chunk, tail);
          if (end === -1) {
            tail = [...tail, ...chunk.subarray(Math.max(0, chunk.length - 2))].slice(-2);
            controller.enqueue(chunk);
            return;
          }
          passing = false;
          controller.enqueue(chunk.subarray(0, end));
          held = chunk.subarray(end);
          scanned = 0;
          return;
        }
        held = joined([held, chunk]);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** One array of `parts`, in order. */
function joined(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
