import type { Obj } from '../validate-schema-checks.ts';
/**
 * The id-0 request over stdio, with a fence (2025-11-25 basic/index: "Requests MUST include a
 * string or integer ID"; a response "MUST include the same ID as the request"). A server that
 * tests the id for truthiness takes the request for a notification and never answers it: judged
 * by the time alone, that cost the whole answer wait, once per era. A second request with an
 * id of its own is written just after it; once that one is answered, the server has read the
 * id-0 request, and its answer is waited for only {@link ZERO_FENCE_GRACE_MS} more (a server
 * may answer out of order, so not none at all). An id-0 answer that comes first waits as long
 * for the fence's, so nothing of this probe is left unread when the next one writes.
 */

/** How long the id-0 answer is still waited for once the request written after it is answered, ms. */
export const ZERO_FENCE_GRACE_MS = 1000;

/** Options of {@link askZeroFenced}. */
export interface ZeroFenceOptions {
  /** Answer callbacks by the text of the id; answers with id null are looked up as "null". */
  readonly waiting: Map<string, (m: Obj | undefined) => void>;
  write(message: Obj): void;
  /** The request with the id 0. */
  readonly zero: Obj;
  /** The request written after it, with a string id of its own. */
  readonly fence: Obj;
  /** Starts the whole wait (an answer clock's, stdio-start.ts); returns the way to stop it. */
  timer(fire: () => void): () => void;
  /** Default {@link ZERO_FENCE_GRACE_MS}. */
  readonly graceMs?: number;
}

/** The id-0 request's answer (or undefined), and whether the fence was answered. */
export function askZeroFenced(o: ZeroFenceOptions): Promise<{ answer: Obj | undefined; fenced: boolean }> {
  const fenceKey = String(o.fence.id);
  const graceMs = o.graceMs ?? ZERO_FENCE_GRACE_MS;
  return new Promise((resolve) => {
    let fenced = false;
    let answered = false;
    let zeroAnswer: Obj | undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      stopWhole();
      clearTimeout(grace);
      for (const key of ['0', 'null', fenceKey]) o.waiting.delete(key);
      resolve({ answer: zeroAnswer, fenced });
    };
    const stopWhole = o.timer(done);
    const onZero = (answer: Obj | undefined) => {
      if (answered) return;
      answered = true;
      zeroAnswer = answer;
      o.waiting.delete('0');
      o.waiting.delete('null');
      if (fenced) return done();
      // The fence may still be unread in the pipe: the next probe's request would share its
      // read, and a server that handles one line a read would drop that one instead (a flaky
      // extra finding). So the fence is waited for too, briefly.
      clearTimeout(grace);
      grace = setTimeout(done, graceMs);
    };
    o.waiting.set('0', onZero);
    o.waiting.set('null', onZero); // 0 read as no id: answered with id null
    o.waiting.set(fenceKey, () => {
      o.waiting.delete(fenceKey);
      fenced = true;
      if (answered) return done();
      grace = setTimeout(done, graceMs);
    });
    o.write(o.zero);
    o.write(o.fence);
  });
}
