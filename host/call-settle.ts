/**
 * How a host call ends: its result or failure shown under its label and written to the
 * history; a call cut off while it can be resumed (or its task goes on) is kept, not failed.
 */
import type { CallToolResult } from 'mcpwire/protocol';
import type { CallOutput, HostCall } from './calls.ts';
import { explain, failureKind } from './explain.ts';
import type { CallHistory, CallRecord } from './history.ts';
import { elapsedText } from './progress-view.ts';
import { renderResult } from './render.ts';
import type { Terminal } from './terminal.ts';

export interface SettleDeps {
  term: Terminal;
  output: CallOutput;
  history: CallHistory;
  /** Each call's entry in the history. */
  records: Map<HostCall, CallRecord>;
  /** Aborted when the host leaves: calls cut off then are kept quietly. */
  shutdown: AbortSignal;
}

/** Follows a started or resumed call's outcome to its end (host.ts `start`, `resume`, `resumeTask`). */
export function createSettle(deps: SettleDeps): (call: HostCall, outcome: Promise<CallToolResult>) => void {
  const { term, output, history, records, shutdown } = deps;
  const paint = term.paint;
  /**
   * A plan's step that ends before its other steps: said in one line (the result is the plan's
   * to show). It ended without a word, its live line gone, while the plan waited on another step
   * for minutes (hostwalk18's walk: the research done while the booking waited for its form).
   */
  function stepNote(call: HostCall, record: CallRecord | undefined): string | undefined {
    const plan = record?.plan;
    if (!plan) return undefined;
    // Another step of the same plan (an earlier attempt of this step, redirected, is not one).
    const samePlan = (other: CallRecord | undefined) => other?.plan !== undefined && other.plan.step !== plan.step
      && (plan.id !== undefined ? other.plan.id === plan.id : other.plan.goal === plan.goal && other.plan.steps === plan.steps);
    const others = output.calls.filter((c) => c !== call && c.status === 'running' && samePlan(records.get(c)));
    if (others.length === 0) return undefined;
    const labels = others.map((c) => output.label(c));
    const waited = labels.length === 1 ? `${labels[0]} is` : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)} are`;
    return `: step ${plan.step} of ${plan.steps}; the plan shows its result once ${waited} done`;
  }

  return function settle(call: HostCall, outcome: Promise<CallToolResult>): void {
    const record = records.get(call);
    outcome.then((result) => {
      call.status = 'done';
      call.result = result;
      if (record) history.update(record, { status: result.isError ? 'failed' : 'done', result, endedAt: Date.now() });
      const took = elapsedText(Date.now() - call.startedAt);
      if (!call.quiet) {
        const head = result.isError
          ? paint.red(`✗ ${output.label(call)} reported an error after ${took}:`)
          : paint.green(`✓ ${output.label(call)} finished in ${took}`);
        output.emit(call, `${head}\n${renderResult(result)}`);
      } else if (!result.isError) {
        // A tool error of a step: the plan says what it does next (plan-step.ts).
        const waiting = stepNote(call, record);
        if (waiting) output.emit(call, paint.green(`✓ ${output.label(call)} finished in ${took}${waiting}`));
      }
    }, (error: unknown) => {
      call.error = error;
      const kind = failureKind(error);
      const label = output.label(call);
      if (call.controller.signal.aborted) {
        call.status = 'cancelled';
        // Why, when the host ended it itself (a plan's left-behind attempt, cancelled on leaving):
        // "history N" says so, and a plan finished later names the attempt (plan-resume.ts).
        if (record) history.update(record, { status: 'cancelled', endedAt: Date.now(), ...(call.endNote !== undefined ? { error: call.endNote } : {}) });
        if (!call.endSaid) output.emit(call, paint.yellow(`⊘ ${label} ${call.endNote ?? 'cancelled; the server was told to stop'}`));
      } else if (call.task && !['completed', 'failed', 'cancelled'].includes(call.task.status) && (shutdown.aborted || kind === 'closed' || kind === 'unreachable')) {
        // The task goes on on the server: the next "status" or host run finds it.
        call.status = 'kept';
        if (record) history.update(record, { status: 'kept' });
        if (!shutdown.aborted) output.emit(call, paint.yellow(`⚠ ${label}: ${explain(error, call.conn.name)}; its task goes on on the server: "status" shows it, "resume ${call.n}" follows it`));
      } else if ((kind === 'closed' || kind === 'unreachable') && call.requestId !== undefined && call.conn.journal.resumable(call.requestId)) {
        call.status = 'kept';
        if (record) history.update(record, { status: 'kept' });
        if (!shutdown.aborted) output.emit(call, paint.yellow(`⚠ ${label}: ${explain(error, call.conn.name)}; it stays on record: type "resume" when the server is back`));
      } else {
        call.status = 'failed';
        // 2025-11-25 basic/transports: only Streamable HTTP streams can be resumed; a stdio call
        // dies with its server. A plan step's call is the plan's to run again (plan-step.ts).
        const again = record?.plan !== undefined ? 'the plan runs its step again where it can' : 'run it again';
        // The host leaving stops its stdio servers (its children): said as such, not as a server
        // that "exited under it", which a plan's answer then repeated (hostwalk19's walk).
        const why = call.conn.spec.kind === 'stdio' && shutdown.aborted
          ? `ended with the host, which stops its stdio server ${call.conn.name} when it leaves; a stdio call cannot be resumed: ${again}`
          : call.conn.spec.kind === 'stdio' && kind === 'closed'
            ? `${call.conn.name} exited under it${call.conn.detail ? ` (${call.conn.detail.split(';')[0]})` : ''}; a stdio call cannot be resumed: ${again}`
            : explain(error, call.conn.name);
        if (record) history.update(record, { status: 'failed', endedAt: Date.now(), error: why });
        output.emit(call, paint.red(`✗ ${label} failed: ${why}`));
      }
    }).finally(() => {
      output.finish(call);
      // A call ended here on purpose (cancelled on leaving) has said so: "resume" would show nothing.
      if (!call.attached && !shutdown.aborted && !call.quiet && call.endNote === undefined) {
        term.print(`${output.label(call)} ended while detached; type "resume ${call.n}" to see how`);
      }
    });
  };
}
