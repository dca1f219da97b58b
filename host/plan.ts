/**
 * `plan <goal>`: split a goal into calls across the servers (decompose.ts), run them in
 * parallel (each with its own progress line), redirect a call to another server offering
 * the same tool when its server is down (or retry once when none does), and combine the
 * results with their sources.
 */
import type { CallToolResult, Tool } from 'mcpwire/protocol';
import type { HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import { decompose, type PlanStep } from './decompose.ts';
import { explain, failureKind } from './explain.ts';
import type { Host } from './host.ts';
import { elapsedText } from './progress-view.ts';
import { renderResult, resultLinks } from './render.ts';

/** How one step went. */
export interface StepOutcome {
  step: PlanStep;
  status: 'done' | 'error' | 'failed' | 'cancelled';
  /** Servers tried, in order, and why each was left. */
  route: Array<{ server: string; problem?: string }>;
  result?: CallToolResult;
  error?: string;
}

export interface PlanOutcome {
  goal: string;
  by: string;
  steps: StepOutcome[];
  ok: boolean;
  elapsedMs: number;
  /** The combined answer, as printed. */
  text: string;
}

/** Failures that mean "this server is down or lost us", where another server may do. */
function isServerDown(error: unknown): boolean {
  const kind = failureKind(error);
  return kind === 'unreachable' || kind === 'session-gone' || kind === 'closed';
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/** Run one step: the preferred server first, then the others offering the tool, then one retry. */
async function runStep(host: Host, step: PlanStep, candidates: Connection[], signal: AbortSignal, say: (t: string) => void): Promise<StepOutcome> {
  const outcome: StepOutcome = { step, status: 'failed', route: [] };
  const order = [...candidates, ...(candidates.length > 0 ? [candidates[0]!] : [])]; // the retry goes back to the first
  for (let i = 0; i < order.length; i++) {
    const conn = order[i]!;
    if (signal.aborted) break;
    if (i === candidates.length) {
      say(`  ↻ retrying ${step.tool} on ${conn.name} in 1 s`);
      await sleep(1_000, signal);
    }
    let call: HostCall;
    try {
      await conn.ensure();
      call = host.start(conn, step.tool, step.args, { quiet: true });
    } catch (error) {
      outcome.route.push({ server: conn.name, problem: (error as Error).message });
      const next = order[i + 1];
      if (next) say(`  ↪ ${conn.name} is down (${(error as Error).message}); ${next === conn ? 'retrying' : `redirecting ${step.tool} to ${next.name}`}`);
      continue;
    }
    const onAbort = () => call.controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    await call.done;
    signal.removeEventListener('abort', onAbort);
    if (call.status === 'done') {
      outcome.route.push({ server: conn.name });
      outcome.result = call.result!;
      outcome.status = call.result!.isError ? 'error' : 'done';
      return outcome;
    }
    if (call.status === 'cancelled') {
      outcome.route.push({ server: conn.name, problem: 'cancelled' });
      outcome.status = 'cancelled';
      return outcome;
    }
    const why = explain(call.error, conn.name);
    outcome.route.push({ server: conn.name, problem: why });
    outcome.error = why;
    if (!isServerDown(call.error) && call.status !== 'kept') return outcome;
    const next = order[i + 1];
    if (next) say(`  ↪ ${why}; ${next === conn ? 'retrying' : `redirecting ${step.tool} to ${next.name}`}`);
  }
  return outcome;
}

/** The combined answer: each step's result under its purpose, then every source. */
export function combine(goal: string, by: string, outcomes: StepOutcome[], elapsedMs: number): string {
  const ok = outcomes.filter((o) => o.status === 'done').length;
  const lines = [`══ Plan: "${goal}" (${by}): ${ok} of ${outcomes.length} calls succeeded in ${elapsedText(elapsedMs)}`];
  const sources: string[] = [];
  outcomes.forEach((o, i) => {
    const served = o.route.filter((r) => r.problem === undefined).map((r) => r.server)[0];
    const detour = o.route.filter((r) => r.problem !== undefined).map((r) => r.server);
    const where = served ? `${o.step.tool} on ${served}${detour.length > 0 ? `, after ${[...new Set(detour)].join(', ')} failed` : ''}` : o.step.tool;
    lines.push('', `${i + 1}. ${o.step.purpose} (${where})`);
    if (o.result) {
      lines.push(renderResult(o.result).split('\n').filter((l) => !l.trimStart().startsWith('↗')).join('\n'));
      for (const link of resultLinks(o.result)) sources.push(`  [${i + 1}] ${link.uri}  ${link.title}`);
    } else {
      lines.push(`  ${o.status === 'cancelled' ? 'cancelled' : `not done: ${o.error ?? o.route.map((r) => r.problem).join('; ')}`}`);
    }
  });
  if (sources.length > 0) lines.push('', 'Sources:', ...sources);
  return lines.join('\n');
}

/**
 * Plan and run. `say` prints progress notes of the plan itself; the calls print their own
 * progress. Rejects only when the goal cannot be split.
 */
export async function runPlan(host: Host, goal: string, say: (text: string) => void, signal: AbortSignal): Promise<PlanOutcome> {
  const started = Date.now();
  const index = await host.toolIndex();
  for (const entry of index) if (entry.error) say(`  ⚠ ${entry.error}`);
  const catalogue = new Map<string, Tool>();
  for (const entry of index) for (const t of entry.tools ?? []) if (!catalogue.has(t.name)) catalogue.set(t.name, t);
  if (catalogue.size === 0) throw new Error('no server is reachable, so there is nothing to plan with');
  const plan = await decompose(goal, [...catalogue.values()], host.provider, signal);
  if (plan.note) say(`  ⚠ ${plan.note}`);
  // Spread the steps over the servers offering each tool; servers that were down go last.
  const offering = (tool: string) => index.filter((e) => e.tools?.some((t) => t.name === tool)).map((e) => e.conn);
  const down = index.filter((e) => e.error !== undefined).map((e) => e.conn);
  const routes = plan.steps.map((step, i) => {
    const up = offering(step.tool);
    const rotated = up.length === 0 ? [] : [...up.slice(i % up.length), ...up.slice(0, i % up.length)];
    return [...rotated, ...down.filter((c) => !rotated.includes(c))];
  });
  say([`Plan for "${goal}" (${plan.by}): ${plan.steps.length} call${plan.steps.length === 1 ? '' : 's'} in parallel`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${s.purpose}: ${s.tool} ${JSON.stringify(s.args)} on ${routes[i]![0]?.name ?? '?'}${routes[i]!.length > 1 ? ` (then ${routes[i]!.slice(1).map((c) => c.name).join(', ')})` : ''}`)].join('\n'));
  const outcomes = await Promise.all(plan.steps.map((step, i) => runStep(host, step, routes[i]!, signal, say)));
  const elapsedMs = Date.now() - started;
  const text = combine(goal, plan.by, outcomes, elapsedMs);
  return { goal, by: plan.by, steps: outcomes, ok: outcomes.every((o) => o.status === 'done'), elapsedMs, text };
}
