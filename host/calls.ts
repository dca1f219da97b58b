/**
 * A call as the host tracks it: its progress, whether the person watches it (attached) or
 * not (detached: its lines wait in a buffer and are shown once on resume), the forms it
 * waits on, and how it ended. Progress that was already shown is never shown again, so a
 * replay after a resume or a server restart prints each step once.
 */
import { createLogRate, type LogRate } from './log-rate.ts';
import type { TaskSnapshot } from 'mcpwire/client';
import type { CallToolResult, Progress, RequestId } from 'mcpwire/protocol';
import type { Connection } from './connection.ts';
import { elapsedText, progressLine, progressText, type ProgressState } from './progress-view.ts';
import type { Terminal } from './terminal.ts';
import { displayWidth, wrapLine } from './wrap.ts';

export type CallStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'kept';

/** Lines kept for a detached call before the oldest are dropped. */
const MAX_BUFFERED_LINES = 2_000;

export interface HostCall {
  readonly n: number;
  readonly conn: Connection;
  readonly tool: string;
  readonly args: Record<string, unknown>;
  /** Started by an earlier run and resumed here. */
  readonly resumed: boolean;
  /** The plan runs calls quietly: progress shows, the result is the plan's to print. */
  readonly quiet: boolean;
  /**
   * Answers the person gave to this call's questions, by question; shared by the attempts of
   * one plan step, so a step redirected to another server does not ask again (see asks.ts).
   */
  readonly answers?: Map<string, unknown>;
  /** Why the call was ended here when it was not the person's cancel (a plan moved its step elsewhere). */
  endNote?: string;
  /** Its end is said by what ended it (the plan's `↪` line, plan-step.ts), not by a `⊘` line of its own. */
  endSaid?: boolean;
  /** Its question that was on screen when a plan ended it (plan-step.ts `forget`): the plan's line says it closed. */
  leftAsking?: QuestionKind | undefined;
  /**
   * A plan step's attempt with another server to go to: if its server stops answering, the
   * plan ends it and runs the step there (plan-step.ts), so losing contact does not keep it.
   */
  planMoves?: boolean;
  status: CallStatus;
  attached: boolean;
  requestId: RequestId | undefined;
  progress: ProgressState | undefined;
  startedAt: number;
  endedAt: number | undefined;
  /** Forms or sampling approvals open for this call. */
  waiting: number;
  /** What the last of them is; said on the live line and by `status` (see waitingText). */
  waitsFor: QuestionKind | undefined;
  /** Its question on screen now, at the prompt; undefined while it waits its turn (or to be watched). */
  asking: QuestionKind | undefined;
  /** A question of its server on screen now that may be this call's: it named no call (stdio; ask-unnamed.ts). */
  mayBeAsked?: QuestionKind | undefined;
  /**
   * A question of it its server withdrew before the person answered (its limit for an answer
   * passed; asks.ts): a tool error that follows is no server's fault, nor cured elsewhere.
   */
  withdrawnAsk?: QuestionKind | undefined;
  /** Its model request was approved and the model is answering it (a slow endpoint takes a while). */
  modelAnswering: boolean;
  /** The task the call runs as, as last seen (task-calls.ts); undefined for a plain call. */
  task: TaskSnapshot | undefined;
  result: CallToolResult | undefined;
  error: unknown;
  /** Aborting it cancels the call (notifications/cancelled). */
  readonly controller: AbortController;
  /** Aborted when the call is detached: withdraws its open questions until it is attached again. */
  attention: AbortController;
  /** Settles when the call ended, whatever the outcome. */
  done: Promise<void>;
}

/** What a call can wait on the person for. */
export type QuestionKind = 'form' | 'URL request' | 'model request';

/**
 * What a call waits for and how to answer it, for its live line and `status`: it said
 * "waiting for you" even while its question waited behind another's, not yet shown.
 */
export function waitingText(call: HostCall): string {
  if (call.waiting === 0) return call.mayBeAsked ? `the ${call.mayBeAsked} below may be for it` : '';
  const kind = call.waitsFor ?? 'form';
  // Approved: it said "approve its model request below" for as long as a slow model took.
  if (call.modelAnswering) return 'your model is answering its request';
  // Short: at 100 columns a live line has about 40 cells left after the bar and the clock.
  // "below" is the prompt, under the live lines.
  if (call.asking === 'model request') return 'approve its model request below';
  if (call.asking) return `answer its ${call.asking} below`;
  if (!call.attached) return `its ${kind} waits for you: type "resume ${call.n}"`;
  return `its ${kind} comes next`;
}

/** Routes each call's output to the terminal or, while detached, to its buffer. */
export interface CallOutput {
  readonly calls: HostCall[];
  /** Track a new call under `n`, its number in the host's history (stable across restarts). */
  add(n: number, init: Omit<HostCall, 'n' | 'status' | 'attached' | 'requestId' | 'progress' | 'startedAt' | 'endedAt' | 'waiting' | 'waitsFor' | 'asking' | 'modelAnswering' | 'task' | 'result' | 'error' | 'controller' | 'attention' | 'done'> & {
    /** Where a resumed call was when an earlier run last showed it: its live line until new progress comes. */
    progress?: ProgressState;
    /** When it started, if before now (a resumed call): its live line's first draw counts from there. */
    startedAt?: number;
  }): HostCall;
  label(call: HostCall): string;
  emit(call: HostCall, text: string): void;
  progress(call: HostCall, p: Progress): void;
  detach(call: HostCall): void;
  /**
   * Show what the call's buffer holds (once) and watch it again. Its stored position moves to
   * the last buffered event first: the buffer is shown once that is on disk (or the wait for it
   * timed out), and the promise resolves then. Until then the call counts as detached.
   */
  attach(call: HostCall): Promise<void>;
  /** Resolves when the call is attached again, or rejects when `signal` aborts. */
  whenAttached(call: HostCall, signal: AbortSignal): Promise<void>;
  /** The call ended: drop its live line. */
  finish(call: HostCall): void;
  find(conn: Connection, requestId: RequestId | undefined): HostCall | undefined;
}

export function createCallOutput(term: Terminal, labelOf: (call: HostCall) => string, progressRate: LogRate = createLogRate({ noun: 'progress line' })): CallOutput {
  const calls: HostCall[] = [];
  const buffers = new Map<HostCall, string[]>();
  const dropped = new Map<HostCall, number>();
  const lastShown = new Map<HostCall, { progress: number; message: string | undefined; percent: number }>();
  const waiters = new Map<HostCall, Array<() => void>>();
  const settlers = new Map<HostCall, () => void>();
  /** Calls being attached again, waiting for their position to be saved; the token of that attach. */
  const attaching = new Map<HostCall, object>();
  /** Resumed calls whose progress is still the earlier run's (no progress came in this run yet). */
  const recalled = new Set<HostCall>();
  let ticker: ReturnType<typeof setInterval> | undefined;

  const liveKey = (call: HostCall) => `call-${call.n}`;
  // A narrow terminal gets a shorter bar: at 40 columns the 20-cell one took the live line's
  // room and pushed the percent and the step to a row of their own.
  const barWidth = () => (term.columns < 60 ? 10 : 20);
  // Elapsed time before the message: a narrow terminal cuts the message, not the clock.
  const liveLine = (call: HostCall) => {
    const took = elapsedText(Date.now() - call.startedAt);
    // Before the server's message: a narrow terminal cut it off the end (`waitin…`).
    const waits = waitingText(call);
    const waiting = waits !== '' ? ` · ${waits}` : '';
    // Before any progress: a call resumed from an earlier run is not just "started".
    const state = !call.progress ? (call.resumed ? 'resumed' : 'started') : undefined;
    const { message, ...bar } = call.progress ?? { progress: 0 };
    const resumed = recalled.has(call) ? ' · resumed' : '';
    const tail = message ? ` · ${message}` : '';
    // Under 50 columns the live line has no bar (the printed progress lines keep theirs): label,
    // bar and step filled 40 columns, and the clock and what it waits for were cut.
    const head = state ?? (term.columns < 50 ? progressText(bar) : progressLine('', bar, barWidth()).trimStart());
    const line = `${labelOf(call)} ${head}${resumed} · ${took}${waiting}`;
    // The server's message last: where it does not fit, the screen cuts it (terminal-screen.ts).
    if (waits === '' || displayWidth(line) <= term.columns) return `${line}${tail}`;
    // Too narrow for what the person is waited on: it comes first, whole (at 40 columns it was
    // cut: `· answer its f…`), and the rest on a row under it, cut there.
    return [...wrapLine(`${labelOf(call)} · ${waits}`, term.columns), `  ${head}${resumed} · ${took}${tail}`].join('\n');
  };

  /** On a terminal the live lines tick once a second so elapsed time moves. */
  function tick(): void {
    const watched = calls.filter((c) => c.status === 'running' && c.attached);
    for (const c of watched) term.setLive(liveKey(c), liveLine(c));
    if (watched.length === 0 && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }
  function ensureTicker(): void {
    if (!term.tty || ticker) return;
    ticker = setInterval(tick, 1000);
    ticker.unref();
  }

  function emit(call: HostCall, text: string): void {
    if (call.attached) {
      term.print(text);
      return;
    }
    const buffer = buffers.get(call) ?? [];
    buffers.set(call, buffer);
    buffer.push(text);
    if (buffer.length > MAX_BUFFERED_LINES) {
      buffer.shift();
      dropped.set(call, (dropped.get(call) ?? 0) + 1);
    }
  }

  const output: CallOutput = {
    calls,
    add(n, { progress, startedAt, ...init }) {
      let settle!: () => void;
      const call: HostCall = {
        ...init, n, status: 'running', attached: true, requestId: undefined, progress, startedAt: startedAt ?? Date.now(),
        endedAt: undefined, waiting: 0, waitsFor: undefined, asking: undefined, modelAnswering: false, task: undefined, result: undefined, error: undefined, controller: new AbortController(),
        attention: new AbortController(), done: new Promise<void>((r) => { settle = r; }),
      };
      settlers.set(call, settle);
      if (progress) recalled.add(call);
      calls.push(call);
      if (term.tty) {
        term.setLive(liveKey(call), liveLine(call));
        ensureTicker();
      }
      return call;
    },
    label: labelOf,
    emit,
    progress(call, p) {
      const shown = lastShown.get(call);
      // Progress only grows (2025-11-25 utilities/progress): anything not above what was shown is a repeat.
      if (shown && p.progress <= shown.progress) return;
      const state: ProgressState = { progress: p.progress, total: p.total, message: p.message };
      call.progress = state;
      recalled.delete(call);
      if (call.attached && call.requestId !== undefined) call.conn.noteProgress(call.requestId, state);
      const percent = p.total ? Math.floor((p.progress / p.total) * 100) : Math.floor(p.progress);
      if ((!shown || shown.message !== p.message || shown.percent !== percent)
        // Past the rate, the count line also says where the call got to: the lines shown are the
        // first of each second, and a long run's scrollback otherwise ends far before its end.
        && progressRate.admit(`#${call.n}`, undefined, (text) => emit(call, `  ${labelOf(call)} · ${text}; the last: ${progressText(state)}`))) {
        emit(call, progressLine(labelOf(call), state, barWidth()));
      }
      lastShown.set(call, { progress: p.progress, message: p.message, percent });
      if (call.attached && term.tty) term.setLive(liveKey(call), liveLine(call));
    },
    detach(call) {
      if (attaching.delete(call)) {
        // Detached again before its buffer was shown: the attach gives up, and the position goes
        // back before the buffered events (its release had moved it past them), held again.
        if (call.requestId !== undefined) call.conn.hold(call.requestId, true);
        return;
      }
      if (!call.attached) return;
      call.attached = false;
      call.attention.abort();
      term.setLive(liveKey(call), undefined);
      if (call.requestId !== undefined) call.conn.hold(call.requestId);
    },
    async attach(call) {
      if (call.attached || attaching.has(call)) return;
      const token = {};
      attaching.set(call, token);
      if (call.requestId !== undefined) {
        // 2025-11-25 basic/transports (resumability): the stored position is the last event
        // the person saw. It moves to the last buffered one and is on disk before they are
        // shown, as the event gate does for live events: a kill between the two shows none of
        // them twice. Events that come meanwhile are buffered (saved ahead, host-fetch.ts).
        call.conn.release(call.requestId);
        await call.conn.saved();
      }
      if (attaching.get(call) !== token) return; // detached again meanwhile
      attaching.delete(call);
      const buffer = buffers.get(call) ?? [];
      buffers.delete(call);
      const lost = dropped.get(call);
      dropped.delete(call);
      call.attached = true;
      call.attention = new AbortController();
      if (lost) term.print(`${labelOf(call)}: ${lost} earlier lines were dropped while detached`);
      if (buffer.length > 0) term.print(buffer.join('\n'));
      if (call.progress && call.requestId !== undefined && !recalled.has(call)) call.conn.noteProgress(call.requestId, call.progress);
      if (call.status === 'running' && term.tty) {
        term.setLive(liveKey(call), liveLine(call));
        ensureTicker();
      }
      for (const wake of waiters.get(call)?.splice(0) ?? []) wake();
    },
    whenAttached(call, signal) {
      if (call.attached) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const list = waiters.get(call) ?? [];
        waiters.set(call, list);
        const onAbort = () => reject(signal.reason);
        list.push(() => { signal.removeEventListener('abort', onAbort); resolve(); });
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    finish(call) {
      call.endedAt = Date.now();
      recalled.delete(call);
      term.setLive(liveKey(call), undefined);
      settlers.get(call)?.();
      settlers.delete(call);
    },
    find(conn, requestId) {
      if (requestId !== undefined) {
        const exact = calls.find((c) => c.conn === conn && c.requestId === requestId);
        if (exact) return exact;
      }
      // A message not tied to a stream: it is the call's when only one runs on that server.
      const running = calls.filter((c) => c.conn === conn && c.status === 'running');
      return running.length === 1 ? running[0] : undefined;
    },
  };
  return output;
}
