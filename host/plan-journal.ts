/**
 * The plans a run has not finished, kept in `<state>/plans.json` so that a host killed (or
 * left) mid-plan offers to finish it on its next start: the steps that ended keep their
 * outcome, a step's call in flight is resumed, the steps not yet started run, and the
 * combined answer follows. A plan is written when it is approved and after each step ends
 * (each write on disk before the run goes on), and removed once its answer is printed.
 * A file that cannot be read is set aside and named, as the call history's is.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import type { CallToolResult } from 'mcpwire/protocol';
import { removeStaleTemps, writeStateFile } from './state-file.ts';
import type { PlanStep } from './decompose.ts';
import type { StepOutcome, StepStatus } from './plan-step.ts';

/** Unfinished plans kept at most (the oldest dropped). Default 20. */
export const DEFAULT_MAX_KEPT_PLANS = 20;

/** One plan as kept. */
export interface PlanRecord {
  /** The plan's id: its steps' calls carry it (history.ts `PlanRef.id`). */
  id: string;
  goal: string;
  by: string;
  startedAt: number;
  steps: PlanStep[];
  /** Each step's servers, in the order they are tried (names). */
  routes: string[][];
  /** Each step's outcome once it ended; null while it has not. */
  outcomes: Array<StepOutcome | null>;
  /**
   * Each step's servers left so far, and why, while it has no outcome (saved as each is
   * left): a step the next run ends still names them ("on b, after a failed"). Absent in
   * files written before it was kept; read as none.
   */
  left?: Array<StepOutcome['route']>;
}

export interface PlanJournal {
  /** Read what an earlier run left; a damaged file is set aside (and said) and reads as none. */
  load(): Promise<void>;
  /** The plans on record, oldest first. */
  list(): PlanRecord[];
  /** Write `record` (new or changed); resolves once it is on disk. */
  save(record: PlanRecord): Promise<void>;
  /** The plan is over: forget it. */
  end(id: string): Promise<void>;
}

const STATUSES: readonly StepStatus[] = ['done', 'unfinished', 'error', 'failed', 'cancelled', 'skipped'];

function isStep(value: unknown): value is PlanStep {
  const s = value as PlanStep;
  return typeof s === 'object' && s !== null && typeof s.tool === 'string' && typeof s.purpose === 'string'
    && typeof s.args === 'object' && s.args !== null && (s.after === undefined || (Array.isArray(s.after) && s.after.every(Number.isSafeInteger)));
}

function isRoute(value: unknown): value is StepOutcome['route'] {
  return Array.isArray(value) && value.every((r) => typeof r?.server === 'string' && (r.problem === undefined || typeof r.problem === 'string')
    && (r.call === undefined || Number.isSafeInteger(r.call)));
}

function isOutcome(value: unknown): value is StepOutcome | null {
  if (value === null) return true;
  const o = value as StepOutcome;
  return typeof o === 'object' && isStep(o.step) && STATUSES.includes(o.status) && isRoute(o.route)
    && (o.result === undefined || typeof (o.result as CallToolResult) === 'object');
}

/**
 * Why `value` (plan `n` of the file, from 1) cannot be finished, or undefined when it can: a
 * step may only wait for earlier steps (runSteps starts them in order; checkPlan in
 * decompose.ts keeps only such dependencies), so one naming itself, a later step or a step
 * the plan does not have comes from a file edited by hand or written by another version.
 */
function planProblem(value: unknown, n: number): string | undefined {
  if (!isPlanRecord(value)) return `plan ${n}: not a plan of this version`;
  for (const [i, step] of value.steps.entries()) {
    const bad = step.after?.find((j) => j < 0 || j >= i);
    if (bad !== undefined) return `plan ${JSON.stringify(value.goal)}: step ${i + 1} depends on step ${bad + 1}, which is not an earlier step`;
  }
  return undefined;
}

function isPlanRecord(value: unknown): value is PlanRecord {
  const p = value as PlanRecord;
  return typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.goal === 'string' && typeof p.by === 'string'
    && typeof p.startedAt === 'number' && Array.isArray(p.steps) && p.steps.every(isStep)
    && Array.isArray(p.routes) && p.routes.length === p.steps.length && p.routes.every((r) => Array.isArray(r) && r.every((n) => typeof n === 'string'))
    && Array.isArray(p.outcomes) && p.outcomes.length === p.steps.length && p.outcomes.every(isOutcome)
    && (p.left === undefined || (Array.isArray(p.left) && p.left.length === p.steps.length && p.left.every(isRoute)));
}

/**
 * The plan journal in `file`; with no file (another host holds the state directory,
 * state-lock.ts) plans are kept in memory only.
 */
export function createPlanJournal(options: { file: string | undefined; onError: (error: Error) => void; maxPlans?: number }): PlanJournal {
  const file = options.file;
  const maxPlans = options.maxPlans ?? DEFAULT_MAX_KEPT_PLANS;
  let plans: PlanRecord[] = [];
  /** One write at a time, in call order: each resolves once its own state is on disk. */
  let chain: Promise<void> = Promise.resolve();
  /** The file is a newer host's: this run does not write it (its plans are kept in memory). */
  let readOnly = false;

  function write(): Promise<void> {
    const empty = plans.length === 0;
    const text = JSON.stringify({ version: 1, plans });
    const run = chain.then(async () => {
      if (file === undefined || readOnly) return;
      try {
        if (empty) {
          await rm(file, { force: true });
          return;
        }
        await writeStateFile(file, text); // durable (state-file.ts): each step's outcome is on disk before the run goes on
      } catch (error) {
        options.onError(new Error(`cannot save the plans to ${file}: ${(error as Error).message}; a plan cut off now cannot be finished by the next run`, { cause: error }));
      }
    });
    chain = run;
    return run;
  }

  return {
    async load() {
      if (file === undefined) return;
      await removeStaleTemps(file, options.onError); // a host killed mid-save left it
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(new Error(`cannot read the plans in ${file}: ${(error as Error).message}`));
        return;
      }
      const setAside = async (): Promise<string> => {
        const aside = `${file}.damaged-${Date.now()}`;
        return rename(file, aside).then(() => `kept as ${aside}`, (e: Error) => `could not keep it aside: ${e.message}`);
      };
      let found: unknown[];
      try {
        const parsed = JSON.parse(text) as { version?: unknown; plans?: unknown } | null;
        // A newer host's file may hold plans this one cannot read: setting it aside (as a
        // damaged one is) would hide them from that host, and writing it would lose them.
        if (typeof parsed?.version === 'number' && parsed.version > 1) {
          readOnly = true;
          options.onError(new Error(`the plans in ${file} are version ${parsed.version}, written by a newer host (this one reads version 1): they are left as they are, and this run's plans are kept in memory only`));
          return;
        }
        if (parsed?.version !== 1 || !Array.isArray(parsed.plans)) throw new Error('not a plans file of this version');
        found = parsed.plans;
      } catch (error) {
        options.onError(new Error(`the plans in ${file} could not be read (${(error as Error).message}); ${await setAside()}`));
        return;
      }
      // One plan that cannot be used does not cost the others: they are offered (and saved
      // again at the next write); the file as it was is kept aside.
      const problems: string[] = [];
      plans = found.filter((p, i): p is PlanRecord => {
        const why = planProblem(p, i + 1);
        if (why !== undefined) problems.push(why);
        return why === undefined;
      });
      if (problems.length > 0) {
        options.onError(new Error(`${problems.length} of ${found.length} plans in ${file} could not be read (${problems.join('; ')}); ${await setAside()}`));
      }
    },
    list: () => [...plans],
    save(record) {
      plans = [...plans.filter((p) => p.id !== record.id), record].slice(-maxPlans);
      return write();
    },
    end(id) {
      if (!plans.some((p) => p.id === id)) return chain;
      plans = plans.filter((p) => p.id !== id);
      return write();
    },
  };
}
