/**
 * A host terminal for tests that drive host/asks.ts directly: what the host prints is kept, and
 * each question waits until the test answers it by hand.
 */
import { createPaint } from '../host/progress-view.ts';
import type { Terminal } from '../host/terminal.ts';

/** A question the host asked, answered by the test. */
export interface Asked { prompt: string; answer(text: string): void }

/** The terminal, what it printed, the questions asked so far, and a wait for the `count`th question. */
export function scriptedTerminal() {
  const printed: string[] = [];
  const asked: Asked[] = [];
  let onAsk: (() => void) | undefined;
  const term = {
    tty: false, paint: createPaint(false), columns: 80, asking: false,
    start() {}, setLive() {}, close() {},
    print: (text: string) => { printed.push(text); },
    // A question withdrawn (its signal aborted) resolves with no answer, as the real terminal's does.
    ask: (prompt: string, options?: { signal?: AbortSignal }) => new Promise<string | undefined>((resolve) => {
      asked.push({ prompt, answer: resolve });
      options?.signal?.addEventListener('abort', () => resolve(undefined), { once: true });
      onAsk?.();
    }),
  } as unknown as Terminal;
  const nextAsk = (count: number) => new Promise<void>((resolve) => {
    if (asked.length >= count) return resolve();
    onAsk = () => { if (asked.length >= count) resolve(); };
  });
  return { term, printed, asked, nextAsk };
}
