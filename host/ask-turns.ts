/**
 * Whose turn it is to ask the person: one question on screen at a time (asks.ts), the others
 * waiting in order, each giving up its place when its signal aborts.
 */

/** A mutex whose waiters give up when their signal aborts. */
export function createTurns(): (signal: AbortSignal) => Promise<() => void> {
  let busy = false;
  const waiting: Array<() => void> = [];
  const next = () => {
    const wake = waiting.shift();
    if (wake) wake();
    else busy = false;
  };
  return (signal) => new Promise((resolve, reject) => {
    if (!busy) {
      busy = true;
      return resolve(next);
    }
    const wake = () => { signal.removeEventListener('abort', onAbort); resolve(next); };
    const onAbort = () => {
      const i = waiting.indexOf(wake);
      if (i !== -1) waiting.splice(i, 1);
      reject(signal.reason);
    };
    waiting.push(wake);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The call a question belongs to ended (cancelled, or moved elsewhere by a plan) before the
 * question's turn came: it is dropped unasked. A question already on screen stays (its answer
 * travels with a redirected plan step).
 */
export class CallEnded extends Error {
  override name = 'CallEnded';
}
