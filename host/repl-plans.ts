/**
 * The REPL's plans (repl-commands.ts): `plan <goal>` and a plan an earlier run left, each run
 * in the background with its notes printed as it goes, and the goals running now (leaving
 * says what becomes of them).
 */
import type { Host } from './host.ts';
import { runPlan } from './plan.ts';
import type { PlanRecord } from './plan-journal.ts';
import { resumePlan } from './plan-resume.ts';

export interface ReplPlans {
  /** `plan <goal>`: run it in the background (a piped script waits for it). */
  plan(goal: string): Promise<void>;
  /** Finish a plan an earlier run left (plan-resume.ts), in the background as `plan` runs. */
  finishLeftPlan(record: PlanRecord): Promise<void>;
  /** The goals of the plans running now. */
  running(): string[];
  /** How many plans of this run ran (approved) and ended with a step not done, or failed. */
  readonly failed: number;
}

export function createReplPlans(host: Host, script: boolean): ReplPlans {
  const { term } = host;
  const paint = term.paint;
  const plans = new Set<{ goal: string }>();
  let failed = 0;

  /** Run a plan's work as `plan` does: its notes in cyan, its answer printed at the end (unless the host left). */
  async function inBackground(goal: string, work: (say: (text: string) => void) => Promise<{ text: string; failed: boolean }>): Promise<void> {
    const say = (text: string) => term.print(paint.cyan(text));
    const running = { goal };
    plans.add(running);
    // A plan the host left in the middle ends there (leaving said so): its calls, cut off by
    // the closing connections, are kept for "resume", not "cancelled" as its summary would say.
    const done = work(say).then(({ text, failed: short }) => {
      if (host.shutdown.aborted) return;
      if (short) failed++;
      term.print(text);
    }, (error: unknown) => {
      failed++;
      term.print(paint.red(`✗ plan: ${(error as Error).message}`));
    })
      .finally(() => plans.delete(running));
    // A piped script: the lines after the plan wait for it (its approval and forms take them
    // first), as after a tool call. They ran at once: the end of input, or a "quit", cancelled
    // every step ("0 of 2 steps done ... 2 cancelled").
    if (script) await done;
  }

  return {
    async plan(goal) {
      if (goal === '') throw new Error('plan needs a goal, e.g. plan a research trip to Tokyo');
      await inBackground(goal, (say) => runPlan(host, goal, say, host.shutdown).then((outcome) => ({ text: outcome.text, failed: outcome.approved && !outcome.ok })));
    },
    finishLeftPlan: (record) => inBackground(record.goal, (say) => resumePlan(host, record, say, host.shutdown).then((text) => ({ text, failed: false }))),
    running: () => [...plans].map((p) => p.goal),
    get failed() { return failed; },
  };
}

/**
 * What leaving says becomes of a plan kept for the next start: `cancelled` its calls cancelled
 * on leaving, `ending` those that end with their stdio server (as `#n`). `serverStops`: the
 * demo stops its server with the host, so calls in flight stop and resume rather than go on.
 * `again`, when given, says per such call what the next start does with its step (`#1 runs
 * again (...)`, plan-resume.ts `againText`), as its offer will (it said "runs again only where
 * that is safe" of every one: hostwalk20's leftover).
 */
export function planKeptLine(cancelled: string[], ending: string[], serverStops: boolean, again: string[] = []): string {
  const inFlight = serverStops ? 'its calls in flight stop with the server and resume when you start again' : 'its calls in flight go on';
  if (cancelled.length === 0 && ending.length === 0) return `${inFlight}, and the next start offers to finish it (the steps not yet started, then the combined answer)`;
  const next = again.length > 0 ? `the next start offers to finish it: ${again.join(', ')}, then the steps not yet started and the combined answer`
    : 'the next start offers to finish it: a cancelled step runs again only where that is safe (a read-only tool, or the step\'s idempotency key), then the steps not yet started and the combined answer';
  if (ending.length === 0) return `${cancelled.join(', ')} could not be resumed and ${cancelled.length === 1 ? 'was' : 'were'} cancelled; ${next}`;
  const why = [...(cancelled.length > 0 ? [`${cancelled.join(', ')} cancelled`] : []), `${ending.join(', ')} ${ending.length === 1 ? 'ends' : 'end'} with the stdio server`];
  return `${[...cancelled, ...ending].join(', ')} could not be resumed (${why.join('; ')}); ${next.replace('a cancelled step', 'such a step')}`;
}
