/**
 * One plan step, run to an end: on its first server, retried there with backoff when a call
 * fails in a way a retry may cure, then redirected to the next server offering the same tool.
 * While a call runs and another server could take over, the server is probed (`ping` with a
 * short timeout): a dead one is noticed in seconds, not when the transport gives up. Every
 * attempt the step leaves behind is cancelled and forgotten (never resumed later), the
 * step's idempotency key makes a re-run on any server return the first result, and the
 * person's answers travel with the step so a redirected call does not ask again.
 */
import { RpcError, type CallToolResult, type RequestId } from 'mcpwire/protocol';
import type { HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import type { PlanStep } from './decompose.ts';
import { explain, failureKind } from './explain.ts';
import { resultText } from './render.ts';
import type { PlanRef } from './history.ts';
import type { Host } from './host.ts';

/** Limits of plan execution; every one has a default (README, "Limits"). */
export interface PlanLimits {
  /** Retries of a failed call on the same server before redirecting. Default 1. */
  retries: number;
  /** Wait before the first retry; doubles for each further one. Default 500 ms. */
  retryDelayMs: number;
  /** How often a server running a step is probed while another could take over. Default 1000 ms. */
  probeIntervalMs: number;
  /** How long a probe (`ping`) may take. Default 1500 ms. */
  probeTimeoutMs: number;
  /** Failed probes in a row that declare a server dead (a refused connection counts at once). Default 2. */
  probeFailures: number;
  /**
   * How long to keep trying to deliver the cancel of a call left on a dead server, so that the
   * server does not finish it when it comes back (it re-runs calls after a restart). Default 120 000 ms.
   */
  cancelRetryMs: number;
  /**
   * Steps whose tool reported an error (`isError`) redirected to the next server offering it,
   * when repeating is safe (read-only tool, or an idempotency key). Default 1: a second
   * server reporting an error too points at the request, and it is not tried further.
   */
  errorRedirects: number;
}

export const DEFAULT_PLAN_LIMITS: PlanLimits = {
  retries: 1, retryDelayMs: 500, probeIntervalMs: 1_000, probeTimeoutMs: 1_500, probeFailures: 2, cancelRetryMs: 120_000, errorRedirects: 1,
};

/** How a step ended. `unfinished`: the tool answered but did not do the job (declined, nothing found). */
export type StepStatus = 'done' | 'unfinished' | 'error' | 'failed' | 'cancelled' | 'skipped';

/** How one step went. */
export interface StepOutcome {
  step: PlanStep;
  status: StepStatus;
  /**
   * Servers tried, in order, and why each was left. A problem that starts with "cancelled" is
   * no failure of the server; `call` numbers an attempt an earlier run cancelled (on leaving).
   */
  route: Array<{ server: string; problem?: string; call?: number }>;
  result?: CallToolResult;
  error?: string;
}

/** Structured statuses of our agents that mean "answered, but not done". */
const UNFINISHED = new Set(['declined', 'cancelled', 'not_confirmed', 'no_options', 'no_sources', 'confirmation_failed']);

/** How a step whose call answered `result` ended: the tool's error, answered but not done, or done. */
export function resultStatus(result: CallToolResult): 'error' | 'unfinished' | 'done' {
  const status = (result.structuredContent as { status?: unknown } | undefined)?.status;
  return result.isError ? 'error' : typeof status === 'string' && UNFINISHED.has(status) ? 'unfinished' : 'done';
}

/** What one attempt on one server came to. */
type Attempt =
  | { kind: 'final'; outcome: StepOutcome['status']; result?: CallToolResult; error?: string }
  | { kind: 'dead'; problem: string }
  | { kind: 'retry'; problem: string };

/** Failures that mean "this server is down or lost us": another server may do. */
function isServerDown(error: unknown): boolean {
  const kind = failureKind(error);
  return kind === 'unreachable' || kind === 'session-gone' || kind === 'closed';
}

/** JSON-RPC's "Internal error": the server failed, not the request. */
function isInternalError(error: unknown): boolean {
  for (let e = error, i = 0; e !== undefined && e !== null && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof RpcError) return e.code === -32603;
  }
  return false;
}

export const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  if (signal.aborted) return resolve();
  const onAbort = () => { clearTimeout(t); resolve(); };
  const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
  signal.addEventListener('abort', onAbort, { once: true });
});

/** Why `forget` ended an attempt, as its history record says: a plan finished later knows it named that attempt already. */
export const LEFT_NOTES = {
  moved: 'ended: the plan moved this step to another server; it will not be resumed',
  ranAgain: 'left behind: the step ran again; it will not be resumed',
} as const;

/**
 * End an attempt the step leaves behind: cancel it on the server if it still runs, and never
 * resume it. One kept (cut off, resumable) is ended in the history too, with `note`: it would
 * read "kept" there, as if "resume" could still follow it.
 */
export function forget(host: Pick<Host, 'history'>, call: HostCall, note: string = LEFT_NOTES.moved): void {
  if (call.status === 'running') {
    call.endNote = note;
    call.leftAsking = call.asking;
    call.controller.abort();
  }
  if (call.requestId !== undefined) call.conn.journal.end(call.requestId);
  const record = call.status === 'kept' ? host.history.byNumber(call.n) : undefined;
  if (record?.status === 'kept') host.history.update(record, { status: 'cancelled', endedAt: Date.now(), error: note });
}

/**
 * The cancel of a call on a dead server was lost with it. Until `cancelRetryMs` has passed (or
 * the host leaves), probe the server and, once it answers, send the cancel again (2025-11-25
 * basic/utilities/cancellation): a server that restores its sessions re-runs the call with the
 * same request id, and this stops it.
 */
async function cancelWhenBack(conn: Connection, requestId: RequestId, limits: PlanLimits, stop: AbortSignal): Promise<void> {
  const until = Date.now() + limits.cancelRetryMs;
  while (!stop.aborted && Date.now() < until) {
    await sleep(limits.probeIntervalMs, stop);
    if (stop.aborted) return;
    try {
      const client = await conn.ensure();
      await client.ping({ timeoutMs: limits.probeTimeoutMs });
      await client.peer.notify('notifications/cancelled', { requestId, reason: 'the plan moved this step to another server' });
      return;
    } catch {
      // Still down (or not yet back): the next probe tries again, until the deadline.
    }
  }
}

/**
 * Watch `conn` while `call` runs: resolves with why the server is dead, or undefined when the
 * call ended first. A refused connection or a forgotten session is dead at once; timeouts
 * need `probeFailures` in a row.
 */
async function watch(conn: Connection, call: HostCall, limits: PlanLimits, shutdown: AbortSignal): Promise<string | undefined> {
  let failures = 0;
  const ended = call.done.then(() => true);
  for (;;) {
    const stop = new AbortController();
    const woke = await Promise.race([ended, sleep(limits.probeIntervalMs, AbortSignal.any([stop.signal, shutdown])).then(() => false)]);
    stop.abort();
    // The host left: the call stays on record (detached), and nothing is probed any more.
    if (woke || call.status !== 'running' || shutdown.aborted) return undefined;
    try {
      const client = await conn.ensure();
      await client.ping({ timeoutMs: limits.probeTimeoutMs });
      failures = 0;
    } catch (error) {
      if (call.status !== 'running') return undefined;
      const kind = failureKind(error);
      failures++;
      if (kind === 'unreachable' || kind === 'session-gone' || failures >= limits.probeFailures) {
        return `${conn.name} stopped answering (${explain(error, conn.name)})`;
      }
    }
  }
}

/** One call of the step on `conn`: a new one, or `resumed` (the step's call an earlier run left, resumed on `conn`). */
async function attempt(host: Host, step: PlanStep, conn: Connection, canMove: boolean, answers: Map<string, unknown>,
  signal: AbortSignal, limits: PlanLimits, attempts: HostCall[], plan: PlanRef | undefined, resumed?: HostCall): Promise<Attempt> {
  if (!resumed) {
    try {
      await conn.ensure();
    } catch (error) {
      const why = (error as Error).message;
      return failureKind(error) === 'unreachable' || failureKind((error as Error).cause) === 'unreachable' ? { kind: 'dead', problem: why } : { kind: 'retry', problem: why };
    }
  }
  // A plain call, never a task: a step redirected to another server must stop here for good,
  // and the journal cancels a call again when its restarted server re-runs it (a task would
  // go on on the server and book twice).
  const call = resumed ?? host.start(conn, step.tool, step.args, { quiet: true, answers, plain: true, ...(plan ? { plan } : {}) });
  attempts.push(call);
  call.planMoves = canMove;
  // The plan is stopped (--exec interrupted): the call is cancelled. The host leaving is not
  // a stop: leaving detached the call (it goes on, "resume" picks it up, as the person was
  // told) or cancelled it itself when it could not be resumed.
  const onAbort = () => { if (!host.shutdown.aborted) call.controller.abort(); };
  signal.addEventListener('abort', onAbort, { once: true });
  let dead: string | undefined;
  if (canMove) {
    void watch(conn, call, limits, host.shutdown).then((why) => {
      if (why === undefined || call.status !== 'running') return;
      dead = why;
      call.endSaid = true; // by the step's `↪` line, which gives the reason (runStep)
      forget(host, call);
      if (call.requestId !== undefined) void cancelWhenBack(conn, call.requestId, limits, host.shutdown);
    });
  }
  await call.done;
  signal.removeEventListener('abort', onAbort);
  if (call.status === 'done') return { kind: 'final', outcome: resultStatus(call.result!), result: call.result! };
  if (dead !== undefined) return { kind: 'dead', problem: dead };
  if (call.status === 'cancelled') return { kind: 'final', outcome: 'cancelled', error: 'cancelled' };
  const why = explain(call.error, conn.name);
  if (isServerDown(call.error) || call.status === 'kept') return { kind: 'dead', problem: why };
  // The server answered with an error: the same request would get the same answer, unless
  // the error is the server's own (2025-11-25 basic: -32603 Internal error), which a retry
  // or another server may not meet.
  if (failureKind(call.error) === 'server' && !isInternalError(call.error)) return { kind: 'final', outcome: 'failed', error: why };
  return { kind: 'retry', problem: why };
}

/** Whether `conn` is known not to answer now: its connect failed, or it was lost while in use. */
function knownDown(conn: Connection): boolean {
  return conn.state === 'unreachable' || conn.state === 'down' || conn.lostContact !== undefined;
}

/** A stdio server the host starts again after its process exited (restarts.ts): being restarted, or back. */
function restartedByHost(conn: Connection): boolean {
  return conn.spec.kind === 'stdio' && (conn.restarting || conn.state === 'connecting' || conn.state === 'ready');
}

/** `conns` with those known down moved last, each group in its order. */
function laterFirst(conns: Connection[]): Connection[] {
  return [...conns.filter((c) => !knownDown(c)), ...conns.filter(knownDown)];
}

/**
 * Run `step` over `candidates` (in order; see laterFirst). `say` prints the plan's own notes. The attempts
 * the step leaves behind are cancelled and forgotten, so `resume` never runs one again.
 * `resumed`, when given, is the step's call an earlier run left, resumed on `candidates[0]`:
 * it is the first attempt, watched and redirected as a new one would be. `onLeft`, when given,
 * hears the route so far each time a server is left (awaited before the step goes on), so a
 * plan kept on disk names the servers left even when the step ends in a later run.
 */
export async function runStep(host: Host, step: PlanStep, candidates: Connection[], signal: AbortSignal,
  say: (text: string) => void, limits: PlanLimits, plan?: PlanRef, readOnly = false, resumed?: HostCall,
  onLeft?: (route: StepOutcome['route']) => Promise<void>): Promise<StepOutcome> {
  const outcome: StepOutcome = { step, status: 'failed', route: [] };
  // A tool's error result (2025-11-25 server/tools: tool execution errors) may be the
  // request's fault or the server's; another server tells which. Only where repeating cannot
  // do a thing twice: the tool only reads, or the step's key makes a repeat return the first.
  const repeatable = readOnly || 'idempotencyKey' in step.args;
  let errorRedirects = limits.errorRedirects ?? DEFAULT_PLAN_LIMITS.errorRedirects;
  const erred: string[] = [];
  const answers = new Map<string, unknown>();
  const attempts: HostCall[] = [];
  const route = [...candidates];
  /** Servers left because they went away (not for an error), and whether the step went back to one already. */
  const died = new Set<Connection>();
  let wentBack = false;
  let lastKind: Attempt['kind'] | undefined;
  for (let s = 0; s < route.length && !signal.aborted; s++) {
    // The route was ordered when the plan was made; a server found down since (another step
    // lost it, a connect failed) goes after those still answering, so a step moving on does
    // not spend an attempt on it first. It stays a fallback: it may be back by then.
    const upNext = () => {
      route.splice(s + 1, route.length, ...laterFirst(route.slice(s + 1)));
      return route[s + 1];
    };
    const conn = route[s]!;
    let next = upNext();
    for (let tries = 0; tries <= limits.retries && !signal.aborted; tries++) {
      if (tries > 0) {
        const delay = limits.retryDelayMs * 2 ** (tries - 1);
        say(`  ↻ retrying ${step.tool} on ${conn.name} in ${delay} ms (attempt ${tries + 1} of ${limits.retries + 1})`);
        await sleep(delay, signal);
        if (signal.aborted) break;
      }
      for (const old of attempts) forget(host, old);
      const first = s === 0 && tries === 0 ? resumed : undefined;
      const got = await attempt(host, step, conn, next !== undefined, answers, signal, limits, attempts, plan, first);
      // The resumed call's answers are in the history (given in this run or an earlier one):
      // they travel with the step as a new attempt's do.
      if (first) for (const a of host.history.byNumber(first.n)?.answers ?? []) if (!answers.has(a.key)) answers.set(a.key, a.answer);
      if (got.kind === 'final') {
        // Said now: the call prints no result of its own (the plan's summary has it), so a tool
        // that reported an error at once was silent until every other step had ended.
        const last = attempts[attempts.length - 1];
        if (got.outcome === 'error' && last) {
          const why = (got.result ? resultText(got.result) : '').split('\n')[0] || 'no message';
          say(`  ✗ #${last.n} ${step.tool} on ${conn.name} reported an error: ${why}`);
          erred.push(conn.name);
          // The server stopped waiting for the person: the next server would ask them the same
          // and wait as long; not answering is no reason to try elsewhere (hostwalk16's leftover).
          const unanswered = last.withdrawnAsk;
          if (unanswered) {
            if (next) say(`  (not tried on ${next.name}: ${conn.name} withdrew its ${unanswered} before you answered, and ${next.name} would ask you the same; run it again when you can answer)`);
          } else if (next && errorRedirects > 0 && repeatable && !signal.aborted) {
            errorRedirects--;
            outcome.route.push({ server: conn.name, problem: `reported an error: ${why}` });
            outcome.error = `${conn.name} reported an error`;
            await onLeft?.([...outcome.route]);
            break;
          } else if (erred.length > 1) say(`  ✗ ${erred.join(' and ')} both reported an error for this step: most likely the request itself; not tried further`);
          else if (next && !repeatable) say(`  (not tried on ${next.name}: ${step.tool} may change something and the step has no idempotency key, so a repeat could do it twice)`);
        }
        const problem = got.outcome === 'cancelled' ? 'cancelled' : got.outcome === 'failed' ? got.error : undefined;
        outcome.route.push(problem === undefined ? { server: conn.name } : { server: conn.name, problem });
        outcome.status = got.outcome;
        if (got.result) outcome.result = got.result;
        if (got.error) outcome.error = got.error;
        return outcome;
      }
      outcome.route.push({ server: conn.name, problem: got.problem });
      outcome.error = got.problem;
      lastKind = got.kind;
      await onLeft?.([...outcome.route]);
      if (got.kind === 'dead' && next) break; // retrying a dead server only wastes time when another can take over
    }
    if (lastKind === 'dead') died.add(conn);
    next = upNext();
    // A server left because its process exited is being started again by the host (a stdio
    // server): the step goes back to it, once, before fallbacks known to be down (one down
    // from the start was tried, and retried, first: hostwalk15's leftover), and rather than
    // failing when none is left. Those stay after it.
    const back = (next === undefined || knownDown(next)) && !wentBack && !signal.aborted ? [...died].find(restartedByHost) : undefined;
    if (back) {
      wentBack = true;
      route.splice(s + 1, 0, back);
      next = back;
    }
    // The attempt the server's silence ended: its end is said here, after its reason. A
    // question of it the person was answering closes with it, and said so (it vanished
    // without a word, and the next server asked it again whole: hostwalk20's leftover).
    const left = attempts.at(-1)?.endSaid ? attempts.at(-1) : undefined;
    const closed = left?.leftAsking === undefined ? ''
      : `; the ${left.leftAsking} you were ${left.leftAsking === 'model request' ? 'approving' : 'answering'} closes with it${next && !signal.aborted ? `, and ${next.name} asks it again` : ''}`;
    const leftNote = left ? ` (#${left.n} on ${conn.name} ends; it will not be resumed${closed})` : '';
    if (next && !signal.aborted) {
      for (const old of attempts) forget(host, old);
      // A reason that ends in a question ("...; is it running?") ends its sentence there.
      const why = outcome.error ?? '';
      const withAnswers = answers.size > 0 ? ' with your answers' : '';
      const end = why.endsWith('?');
      say(back ? `  ↪ ${why}${end ? ' Going' : '; going'} back to ${back.name} with ${step.tool}${withAnswers}: the host is starting it again after its process exited${leftNote}`
        : `  ↪ ${why}${end ? ' Redirecting' : '; redirecting'} ${step.tool} to ${next.name}${withAnswers}${leftNote}`);
    } else if (left) say(`  ⊘ #${left.n} ${step.tool}@${conn.name} ended: ${outcome.error ?? `${conn.name} stopped answering`}; it will not be resumed${closed}`);
  }
  if (signal.aborted) outcome.status = 'cancelled';
  // Only the last attempt may stay on record (to resume by hand); the others are gone.
  for (const old of attempts.slice(0, -1)) forget(host, old);
  return outcome;
}
