/**
 * How long the check waits for a stdio server's answers while the process is still starting.
 * A fresh process answers its first request only once it has loaded (a Python server, an `npx`
 * download): judged by the per-exchange `--timeout`, a slow start read as "not reachable", or as
 * "does not speak 2026-07-28" when the first request was `server/discover`.
 */
import type { ChildProcess } from 'node:child_process';

/** Default of `--start-timeout`: the wait for a fresh stdio process's first answer, ms. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** The wait for the first answer of a fresh process: `startMs`, or `timeoutMs` when longer. */
export function startWait(timeoutMs: number, startMs: number | undefined): number {
  return Math.max(timeoutMs, startMs ?? DEFAULT_START_TIMEOUT_MS);
}

/**
 * The wait for an answer from `child`: {@link startWait} until it has written anything to
 * stdout, `timeoutMs` after.
 */
export function answerWait(child: ChildProcess, timeoutMs: number, startMs: number | undefined): () => number {
  let heard = false;
  child.stdout?.once('data', () => { heard = true; });
  return () => (heard ? timeoutMs : startWait(timeoutMs, startMs));
}

/** The bound on a connect: a stdio target's process is fresh, so its first answer waits for its start. */
export function connectWait(target: { readonly kind: 'http' | 'stdio' }, timeoutMs: number, startMs: number | undefined): number {
  return target.kind === 'stdio' ? startWait(timeoutMs, startMs) : timeoutMs;
}

/** The bounds on the answers a probe waits for from one process (see {@link answerClock}). */
export interface AnswerClock {
  /** The wait for an answer asked for now, ms (0 once the process has gone). */
  wait(): number;
  /** Call `fire` when an answer asked for now is late; returns the way to stop the timer. */
  timer(fire: () => void): () => void;
}

/**
 * {@link answerWait} with two more bounds: a wait begun while the process was starting is cut
 * to `timeoutMs` from the moment it first writes to stdout (a program that prints a banner and
 * never answers is not still loading), and every wait ends when the process's stdio closes (a
 * process that exited answers nothing more).
 */
export function answerClock(child: ChildProcess, timeoutMs: number, startMs: number | undefined): AnswerClock {
  let heard = false;
  let gone = false;
  const armed = new Set<Armed>();
  child.stdout?.once('data', () => {
    heard = true;
    for (const a of armed) { clearTimeout(a.handle); a.handle = setTimeout(a.fire, timeoutMs); }
  });
  child.once('close', () => {
    gone = true;
    for (const a of [...armed]) a.fire();
  });
  const wait = () => (gone ? 0 : heard ? timeoutMs : startWait(timeoutMs, startMs));
  return {
    wait,
    timer(fire) {
      const a: Armed = { fire() { stop(); fire(); }, handle: undefined };
      const stop = () => { clearTimeout(a.handle); armed.delete(a); };
      a.handle = setTimeout(a.fire, wait());
      armed.add(a);
      return stop;
    },
  };
}

/** One wait of an {@link AnswerClock}. */
interface Armed { fire(): void; handle: ReturnType<typeof setTimeout> | undefined }
