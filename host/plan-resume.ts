/**
 * Finishing a plan an earlier run left unfinished (plan-journal.ts). What a person who was
 * cut off mid-plan expects: the steps that ended keep their results (nothing runs twice),
 * a step whose call was in flight is resumed (its stream replayed from where it was seen),
 * the steps not yet started run, and the combined answer comes as if nothing had happened.
 * A step whose call cannot be resumed runs again only where repeating is safe (a read-only
 * tool, or the step's idempotency key); otherwise it is named as not done, not repeated.
 */
import type { HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import type { CallRecord } from './history.ts';
import type { Host, ToolEntry } from './host.ts';
import { elapsedText } from './progress-view.ts';
import { finishPlan, runSteps } from './plan.ts';
import type { PlanRecord } from './plan-journal.ts';
import { DEFAULT_PLAN_LIMITS, forget, LEFT_NOTES, resultStatus, runStep, type StepOutcome } from './plan-step.ts';
import { explain } from './explain.ts';

/** The newest call of step `i` (from 0) on record, if any ran. */
function lastCallOf(host: Host, record: PlanRecord, i: number): CallRecord | undefined {
  return host.history.list().filter((r) => r.plan?.id === record.id && r.plan.step === i + 1).at(-1);
}

/** The names of the tools a server of `index` marks read-only (2025-11-25 server/tools: `readOnlyHint`). */
export function readOnlyToolsOf(index: readonly ToolEntry[]): Set<string> {
  return new Set(index.flatMap((e) => e.tools ?? []).filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name));
}

/**
 * Whether step `i` may run again after its call ended without an answer: its tool is
 * read-only, or the step carries an idempotency key, so a repeat cannot do it twice.
 */
function repeatableStep(record: PlanRecord, i: number, readOnlyTools: ReadonlySet<string>): boolean {
  return readOnlyTools.has(record.steps[i]!.tool) || 'idempotencyKey' in record.steps[i]!.args;
}

/**
 * What the next start does with a step whose call ended without an answer, as the offer and
 * the quit line say it (repeatableStep's rule: `readOnly` tool, or the step's idempotency key).
 */
export function againText(tool: string, readOnly: boolean, keyed: boolean): string {
  return readOnly || keyed ? `runs again (${readOnly ? `${tool} is read-only` : 'the step has an idempotency key'})`
    : `not run again (${tool} may change something and the step has no idempotency key)`;
}

/**
 * One line per step of the plan, as the offer shows it; `index` is the servers' tools, which
 * say whether a step whose call ended runs again. The offer said "run again where that is
 * safe" of every such step, and the plan then refused a tool that may change something
 * (hostwalk19's walk): the person said yes to a re-run that never came.
 */
export function describeUnfinished(host: Host, record: PlanRecord, index: readonly ToolEntry[]): string[] {
  const readOnlyTools = readOnlyToolsOf(index);
  const lines = [`An earlier run left the plan "${record.goal}" unfinished (started ${elapsedText(Date.now() - record.startedAt)} ago):`];
  record.steps.forEach((step, i) => {
    const kept = record.outcomes[i];
    const call = lastCallOf(host, record, i);
    const again = () => againText(step.tool, readOnlyTools.has(step.tool), 'idempotencyKey' in step.args);
    const state = kept ? `${kept.status}${kept.route.at(-1) ? ` on ${kept.route.at(-1)!.server}` : ''}`
      : call?.status === 'done' ? `done on ${call.serverName} (#${call.n})`
        : call && (call.status === 'running' || call.status === 'kept') ? `in flight on ${call.serverName} (#${call.n})`
          : call ? `#${call.n} ${call.status} on ${call.serverName}: ${again()}`
            : 'not started';
    lines.push(`  ${i + 1}. ${step.purpose}: ${step.tool} · ${state}`);
  });
  return lines;
}

/** The outcome of a resumed (or already ended) call of a step: undefined when it did not end with an answer. */
function outcomeOfCall(step: StepOutcome['step'], server: string, status: string, result: CallRecord['result']): StepOutcome | undefined {
  if (status !== 'done' || !result) return undefined;
  return { step, status: resultStatus(result), route: [{ server }], result };
}

/**
 * Run what is left of `record` and resolve its combined answer. Calls of its steps that the
 * start-up resumed (or that are on record to resume) are followed, not started again.
 */
export async function resumePlan(host: Host, record: PlanRecord, say: (text: string) => void, signal: AbortSignal): Promise<string> {
  const readOnlyTools = readOnlyToolsOf(await host.toolIndex());
  const byName = (name: string) => host.connections.find((c) => c.name === name);
  const routes = record.routes.map((names) => names.map(byName).filter((c): c is Connection => c !== undefined));
  const repeatable = (i: number) => repeatableStep(record, i, readOnlyTools);
  const limits = { ...DEFAULT_PLAN_LIMITS, ...host.planLimits };

  /** Follow step i's call when one is on record; undefined runs the step (runStep). */
  const first = (i: number, onLeft: (route: StepOutcome['route']) => Promise<void>): Promise<StepOutcome> | undefined => {
    const step = record.steps[i]!;
    const call = lastCallOf(host, record, i);
    if (!call) return undefined; // not started: it runs now
    const ended = outcomeOfCall(step, call.serverName, call.status, call.result);
    if (ended) return Promise.resolve(ended);
    if (call.status !== 'running' && call.status !== 'kept') {
      return repeatable(i) ? runStepAfter(i, endedAttempt(call, record.left?.[i] ?? []), onLeft)
        : Promise.resolve(notRepeated(step, `#${call.n} ${endedText(call)}`));
    }
    let followed: HostCall | undefined = host.output.calls.find((c) => c.n === call.n && c.status === 'running');
    if (!followed) {
      const stored = host.storedCalls().find((s) => s.n === call.n);
      if (stored) followed = host.resume(stored.conn, stored.entry, { quiet: true });
    }
    if (!followed) return repeatable(i) ? undefined : Promise.resolve(notRepeated(step, `#${call.n} was cut off before it could be resumed`));
    const watched = followed;
    say(`  ↻ step ${i + 1} (${step.purpose}) follows #${watched.n} on ${watched.conn.name}`);
    // Where repeating is safe and another server offers the tool, the resumed call is watched
    // as a new step's is: a server that is gone is left at once for the next one, with the
    // answers given. It used to be waited for until its server came back, or the transport
    // gave up minutes later.
    const others = routes[i]!.filter((c) => c !== watched.conn);
    if (repeatable(i) && others.length > 0) {
      return runStep(host, step, [watched.conn, ...others], signal, say, limits,
        { id: record.id, goal: record.goal, step: i + 1, steps: record.steps.length }, readOnlyTools.has(step.tool), watched, onLeft);
    }
    return watched.done.then(() => {
      const got = outcomeOfCall(step, watched.conn.name, watched.status, watched.result);
      if (got) return got;
      if (host.shutdown.aborted) return { step, status: 'cancelled', route: [{ server: watched.conn.name, problem: 'cancelled' }], error: 'cancelled' } satisfies StepOutcome;
      // Ended without an answer (its server is gone, the session lost): as a plan step would.
      if (!repeatable(i)) return notRepeated(step, `#${watched.n} ${explain(watched.error, watched.conn.name)}`);
      // The step runs again: the cut-off call is left behind for good, as runStep leaves an
      // attempt, or the next start would offer to resume it as a call of its own.
      forget(host, watched, LEFT_NOTES.ranAgain);
      const why = explain(watched.error, watched.conn.name);
      say(`  ↪ #${watched.n} was cut off (${why}); it is left behind and the step runs again`);
      return runStepAfter(i, { server: watched.conn.name, problem: `#${watched.n} was cut off (${why})` }, onLeft);
    });
  };
  /**
   * Run step i again after `before`, the attempt an earlier run (or this one) ended without an
   * answer: the step's route names it first, so the answer says what became of it ("on a,
   * after b failed"; "#2 on b was cancelled on leaving"). It used to name only this run's servers.
   */
  const runStepAfter = (i: number, before: RouteEntry | undefined, onLeft: (route: StepOutcome['route']) => Promise<void>): Promise<StepOutcome> => {
    if (before === undefined) return runStepAgain(i, onLeft);
    return runStepAgain(i, (route) => onLeft([before, ...route])).then((ran) => ({ ...ran, route: [before, ...ran.route] }));
  };
  const runStepAgain = (i: number, onLeft: (route: StepOutcome['route']) => Promise<void>) => runStep(host, record.steps[i]!, routes[i]!, signal, say, limits,
    { id: record.id, goal: record.goal, step: i + 1, steps: record.steps.length }, readOnlyTools.has(record.steps[i]!.tool), undefined, onLeft);

  const outcomes = await runSteps(host, record, routes, say, signal, limits, (tool) => readOnlyTools.has(tool), first);
  return finishPlan(host, record, outcomes, [], signal);
}

type RouteEntry = StepOutcome['route'][number];

/**
 * The route entry of `call`, a step's last attempt that ended without an answer in an earlier
 * run (cancelled on leaving: no stream to resume; failed with its stdio server), or undefined
 * when the route names it already: the plan left it (its note), or the route's last server
 * left is the call's (it failed there, and the host left before the step went on).
 */
function endedAttempt(call: CallRecord, left: StepOutcome['route']): RouteEntry | undefined {
  if (call.error === LEFT_NOTES.moved || call.error === LEFT_NOTES.ranAgain) return undefined;
  const last = left.at(-1);
  if (call.status !== 'cancelled' && last?.server === call.serverName && last.problem !== undefined) return undefined;
  // A cancelled attempt is no failure of its server: the answer names it apart (plan-combine.ts).
  if (call.status === 'cancelled') return { server: call.serverName, problem: call.error?.split(':')[0] ?? 'cancelled', call: call.n };
  return { server: call.serverName, problem: `#${call.n} ${endedText(call)}` };
}

/** How a call ended, as its record says: "cancelled on leaving: ...", "failed (why)". */
function endedText(call: CallRecord): string {
  if (call.error === undefined) return call.status;
  return call.error.startsWith(call.status) ? call.error : `${call.status} (${call.error})`;
}

/** A step that may change something, cut off where it cannot be resumed: not done, and not repeated. */
function notRepeated(step: StepOutcome['step'], why: string): StepOutcome {
  return { step, status: 'failed', route: [], error: `${why}; not run again: ${step.tool} may change something and the step has no idempotency key, so a repeat could do it twice` };
}
