/**
 * `plan <goal>`: split a goal into calls across the servers (decompose.ts), show the plan
 * and ask for approval before anything with side effects runs (`--yes` approves), run the
 * steps (in order where one needs another, in parallel otherwise; plan-step.ts retries,
 * probes and redirects), and combine the results (plan-combine.ts): by the model when one is
 * configured, as a structured summary always.
 */
import { randomUUID } from 'node:crypto';
import type { Tool } from 'mcpwire/protocol';
import type { Connection } from './connection.ts';
import { IDEMPOTENCY_ARG, shownArgs } from './call-resend.ts';
import { decompose, type PlanStep } from './decompose.ts';
import type { Host, ToolEntry } from './host.ts';
import { combine, combineWithModel } from './plan-combine.ts';
import type { PlanRecord } from './plan-journal.ts';
import { DEFAULT_PLAN_LIMITS, runStep, type PlanLimits, type StepOutcome } from './plan-step.ts';

export { combine } from './plan-combine.ts';
export { DEFAULT_PLAN_LIMITS, type PlanLimits, type StepOutcome, type StepStatus } from './plan-step.ts';

export interface PlanOutcome {
  goal: string;
  by: string;
  steps: StepOutcome[];
  /** True when every step is done. */
  ok: boolean;
  /** False when the person did not approve it (nothing ran). */
  approved: boolean;
  elapsedMs: number;
  /** The combined answer, as printed. */
  text: string;
}

export interface PlanOptions {
  /** Limits of retries and probes; each defaults to {@link DEFAULT_PLAN_LIMITS}. */
  limits?: Partial<PlanLimits>;
  /** Approve without asking; default: the host's `--yes`. */
  approve?: boolean;
}


/** True unless the tool says it only reads (2025-11-25 server/tools: annotations are hints). */
function hasSideEffects(tool: Tool | undefined): boolean {
  return tool?.annotations?.readOnlyHint !== true;
}

/**
 * Servers offering each step's tool, spread over the steps; servers that were down go last (they
 * may be back by then), but never one known not to be MCP (it will not take a call over), nor
 * one that refused us (HTTP 401/403: the authorization it wants does not come by itself), nor
 * one on a port fetch never connects to (no retry reaches it), nor
 * one still connecting after the start-up wait (`late`: trying it would wait out its connect
 * timeout, for tools nobody knows; once it answers, its tools are in the index like any other's).
 */
export function routesFor(steps: readonly PlanStep[], index: readonly ToolEntry[]): Connection[][] {
  const offering = (tool: string) => index.filter((e) => e.tools?.some((t) => t.name === tool)).map((e) => e.conn);
  const down = index.filter((e) => e.error !== undefined && !e.notMcp && !e.refused && !e.badPort && !e.late).map((e) => e.conn);
  return steps.map((step, i) => {
    const up = offering(step.tool);
    const rotated = up.length === 0 ? [] : [...up.slice(i % up.length), ...up.slice(0, i % up.length)];
    return [...rotated, ...down.filter((c) => !rotated.includes(c))];
  });
}

/** The plan as shown before it runs. */
function describePlan(goal: string, by: string, steps: readonly PlanStep[], routes: Connection[][]): string {
  const parallel = steps.length > 1 && steps.every((s) => !s.after || s.after.length === 0);
  const head = `Plan for "${goal}" (${by}): ${steps.length} call${steps.length === 1 ? '' : 's'}${parallel ? ' in parallel' : ''}`;
  return [head, ...steps.map((s, i) => {
    const route = routes[i]!;
    const where = `on ${route[0]?.name ?? '?'}${route.length > 1 ? ` (then ${route.slice(1).map((c) => c.name).join(', ')})` : ''}`;
    const after = s.after && s.after.length > 0 ? `, after ${s.after.map((n) => n + 1).join(' and ')}` : '';
    return `  ${i + 1}. ${s.purpose}: ${s.tool} ${JSON.stringify(shownArgs(s.args))} ${where}${after}`;
  })].join('\n');
}

/** Ask whether to run a plan with side effects; true when approved. */
async function approve(host: Host, effects: string[], signal: AbortSignal, say: (text: string) => void): Promise<boolean> {
  say(`  This plan has side effects (${effects.join(', ')}).`);
  for (;;) {
    const answer = await host.term.ask('  Run it? [y/N]: ', { signal });
    if (answer === undefined) return false;
    const a = answer.trim().toLowerCase();
    if (a === 'y' || a === 'yes') return true;
    if (a === '' || a === 'n' || a === 'no') return false;
    say('  ✗ type y or n');
  }
}

/**
 * Plan and run. `say` prints the plan's own notes; the calls print their own progress.
 * Rejects only when the goal cannot be split.
 */
export async function runPlan(host: Host, goal: string, say: (text: string) => void, signal: AbortSignal, options: PlanOptions = {}): Promise<PlanOutcome> {
  const started = Date.now();
  const limits: PlanLimits = { ...DEFAULT_PLAN_LIMITS, ...host.planLimits, ...options.limits };
  const index = await host.toolIndex();
  for (const entry of index) if (entry.error) say(`  ⚠ ${entry.error}`);
  const catalogue = new Map<string, Tool>();
  for (const entry of index) for (const t of entry.tools ?? []) if (!catalogue.has(t.name)) catalogue.set(t.name, t);
  if (catalogue.size === 0) throw new Error('no server is reachable, so there is nothing to plan with');
  const plan = await decompose(goal, [...catalogue.values()], host.provider, signal);
  if (plan.note) say(`  ⚠ ${plan.note}`);
  for (const d of plan.dropped ?? []) say(`  ⚠ the model proposed ${d}`);
  // One key per step: a retry or a redirect of the step repeats it, so the step happens once.
  const runId = randomUUID();
  const steps = plan.steps.map((s, i) => (IDEMPOTENCY_ARG in (catalogue.get(s.tool)?.inputSchema.properties ?? {}) && s.args[IDEMPOTENCY_ARG] === undefined
    ? { ...s, args: { ...s.args, [IDEMPOTENCY_ARG]: `plan-${runId}-${i + 1}` } } : s));
  const routes = routesFor(steps, index);
  say(describePlan(goal, plan.by, steps, routes));

  const effects = [...new Set(steps.filter((s) => hasSideEffects(catalogue.get(s.tool))).map((s) => s.tool))];
  if (effects.length > 0 && !(options.approve ?? host.yes) && !(await approve(host, effects, signal, say))) {
    const text = `══ Plan: "${goal}" not run: not approved (nothing was called)`;
    return { goal, by: plan.by, steps: [], ok: false, approved: false, elapsedMs: Date.now() - started, text };
  }

  const record: PlanRecord = {
    id: runId, goal, by: plan.by, startedAt: started, steps, routes: routes.map((r) => r.map((c) => c.name)), outcomes: steps.map(() => null),
  };
  // On disk before any step starts: a host killed from here on offers to finish the plan.
  await host.plans?.save(record);
  const outcomes = await runSteps(host, record, routes, say, signal, limits, (tool) => !hasSideEffects(catalogue.get(tool)));
  const unused = index.filter((e) => e.error !== undefined).map((e) => ({ server: e.conn.name, why: e.error! }));
  const text = await finishPlan(host, record, outcomes, unused, signal);
  return { goal, by: plan.by, steps: outcomes, ok: outcomes.every((o) => o.status === 'done'), approved: true, elapsedMs: Date.now() - started, text };
}

/**
 * Run the steps of `record` that have no outcome yet: each when the steps it needs are done
 * (skipped, and said, when one is not), the others in parallel. `first(i, onLeft)`, when given,
 * may end a step another way (a resumed call); undefined runs it. Each outcome is saved as it
 * comes, unless the host is leaving (the step's call is kept, not ended); so is each server a
 * step leaves, so a step ended by a later run still names the servers an earlier one left.
 */
export async function runSteps(host: Host, record: PlanRecord, routes: Connection[][], say: (text: string) => void, signal: AbortSignal,
  limits: PlanLimits, readOnly: (tool: string) => boolean,
  first?: (i: number, onLeft: (route: StepOutcome['route']) => Promise<void>) => Promise<StepOutcome> | undefined): Promise<StepOutcome[]> {
  const { steps } = record;
  const running: Array<Promise<StepOutcome>> = [];
  steps.forEach((step, i) => {
    const kept = record.outcomes[i];
    if (kept) {
      running[i] = Promise.resolve(kept);
      return;
    }
    // Left by an earlier run: this run's route of the step comes after them.
    const earlier = record.left?.[i] ?? [];
    const onLeft = async (route: StepOutcome['route']) => {
      if (host.shutdown.aborted || record.outcomes[i] !== null) return;
      record.left ??= steps.map(() => []);
      record.left[i] = [...earlier, ...route];
      await host.plans?.save(record);
    };
    running[i] = Promise.all((step.after ?? []).map((j) => running[j]!)).then((needed) => {
      const missing = needed.findIndex((o) => o.status !== 'done');
      if (missing !== -1) {
        return { step, status: 'skipped', route: [], error: `skipped: step ${step.after![missing]! + 1} (${needed[missing]!.step.purpose}) did not get done` } satisfies StepOutcome;
      }
      const other = first?.(i, onLeft);
      if (other) return other;
      if ((step.after ?? []).length > 0) say(`  → step ${i + 1} (${step.purpose}) starts: what it needs is done`);
      return runStep(host, step, routes[i]!, signal, say, limits, { id: record.id, goal: record.goal, step: i + 1, steps: steps.length }, readOnly(step.tool), undefined, onLeft);
    }).then(async (ran) => {
      const outcome = earlier.length === 0 ? ran : { ...ran, route: [...earlier, ...ran.route] };
      if (!host.shutdown.aborted && record.outcomes[i] === null) {
        record.outcomes[i] = outcome;
        if (record.left) record.left[i] = [];
        await host.plans?.save(record);
      }
      return outcome;
    });
  });
  return Promise.all(running);
}

/** The combined answer of a plan whose steps all ended; the plan is then off the record (unless the host is leaving). */
export async function finishPlan(host: Host, record: PlanRecord, outcomes: StepOutcome[], unused: Array<{ server: string; why: string }>, signal: AbortSignal): Promise<string> {
  let text = combine(record.goal, record.by, outcomes, Date.now() - record.startedAt, unused);
  try {
    const answer = await combineWithModel(record.goal, outcomes, host.provider, signal);
    if (answer) text = `══ Answer (${answer.model}):\n${answer.text}\n\n${text}`;
  } catch (error) {
    text = `${text}\n\n(${host.provider.label} could not combine the results: ${(error as Error).message}; the summary above is the plan's own)`;
  }
  if (!host.shutdown.aborted) await host.plans?.end(record.id);
  return text;
}
