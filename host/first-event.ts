/**
 * An SSE body whose first event is passed on at once and the rest only once `durable`
 * resolves. The reader (the transport) takes the first event's id as the call's resumption
 * token, which the journal writes; holding what follows until that write is on disk means
 * nothing of the call (progress, a question, the result) is shown before a resume could
 * start from it. 2025-11-25 basic/transports: the server SHOULD open a POST's stream with an
 * event id and empty data (priming), so the first event is usually the position alone.
 */

/** Bytes searched for the end of the first event before giving up holding anything. Default 64 KiB. */
export const FIRST_EVENT_SEARCH_BYTES = 64 * 1024;

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

/** `body` with everything after its first event held until `durable` resolves (once). */
export function holdAfterFirstEvent(body: ReadableStream<Uint8Array>, durable: () => Promise<void>, searchBytes = FIRST_EVENT_SEARCH_BYTES): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  /** Still looking for the first event's end. */
  let looking = true;
  let searched = 0;
  let tail: number[] = [];
  /** The first event was passed on: wait for `durable` before the next bytes. */
  let gate = false;
  let rest: Uint8Array | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (gate) {
        // The reader asks for more only after it took the first event in: its id is in the journal.
        gate = false;
        await durable();
        if (rest && rest.length > 0) {
          controller.enqueue(rest);
          rest = undefined;
          return;
        }
      }
      const next = await reader.read();
      if (next.done) {
        controller.close();
        return;
      }
      const chunk = next.value;
      if (!looking) {
        controller.enqueue(chunk);
        return;
      }
      const end = firstEventEnd(chunk, tail);
      if (end === -1) {
        searched += chunk.length;
        if (searched >= searchBytes) looking = false; // an event this long is not a priming one: pass on as it comes
        tail = [...tail, ...chunk.subarray(Math.max(0, chunk.length - 2))].slice(-2);
        controller.enqueue(chunk);
        return;
      }
      looking = false;
      gate = true;
      rest = chunk.subarray(end);
      controller.enqueue(chunk.subarray(0, end));
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
