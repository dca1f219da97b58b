/**
 * Answering what servers ask mid-call: forms (elicitation) and model requests (sampling).
 * One question at a time: a second form waits until the first is done. A detached call's
 * question waits until the call is watched again, and its stored position stays before the
 * question, so a resume after quitting asks it again. The person is asked once per question
 * of a call (ask-once.ts).
 */
import { CancelledByPeer, RpcError } from 'mcpwire/protocol';
import type { CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult, RequestId } from 'mcpwire/protocol';
import type { CallOutput, HostCall, QuestionKind } from './calls.ts';
import { askerText, markMayBeAsked, mayBeFor } from './ask-unnamed.ts';
import { CallEnded, createTurns } from './ask-turns.ts';
import type { Connection } from './connection.ts';
import type { CallHistory, CallRecord } from './history.ts';
import { createAskOnce, questionKey } from './ask-once.ts';
import { explain, networkReason } from './explain.ts';
import { autoAnswer, runElicitationForm, runUrlElicitation, type FormIO } from './forms.ts';
import { showPaged } from './pager.ts';
import { createLocalSummariser, describeSamplingRequest, type SamplingProvider } from './sampling.ts';
import type { Terminal } from './terminal.ts';

export interface AskDeps {
  term: Terminal;
  output: CallOutput;
  shutdown: AbortSignal;
  yes: boolean;
  provider: SamplingProvider;
  openUrl: ((url: string) => Promise<boolean>) | undefined;
  history: CallHistory;
  /** Lines of a model request shown per page before its approval. */
  pageLines: number;
  /** The history entry of a call of this run. */
  recordOf(call: HostCall): CallRecord | undefined;
}

export interface AskHandlers {
  elicit(conn: Connection, related: RequestId | undefined, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult>;
  sample(conn: Connection, related: RequestId | undefined, params: CreateMessageParams, signal: AbortSignal): Promise<CreateMessageResult>;
}

/** A question's terminal, which also says why an answer was missing. */
interface AskIO extends FormIO {
  /** Why a prompt got no answer, when not withdrawn: what to say after `→ cancel` or `→ declined`. */
  readonly noAnswer: string;
}

/** Said after `→ cancel` or `→ declined` when nobody was left to answer (hostwalk11's leftover: it said nothing). */
const INPUT_ENDED = ': the input ended before an answer (put the answers on the lines after the command, one a line, or pass --yes)';
/** Said when the piped line meant as the answer was not UTF-8 (terminal.ts says which line). */
const UNREADABLE_ANSWER = ': its answer\'s line was not UTF-8, so it got none';

/** What a sampling question ended with, as the history keeps it. */
type SampleAnswer = { declined: true } | { declined: false; result: CreateMessageResult };

export function createAskHandlers(deps: AskDeps): AskHandlers {
  const { term, output, shutdown, history } = deps;
  const paint = term.paint;
  const takeTurn = createTurns();
  const fallback = createLocalSummariser();
  const once = createAskOnce(history, deps.recordOf);

  const printFor = (call: HostCall | undefined) => (text: string) => (call ? output.emit(call, text) : term.print(text));

  /** The kind of question on screen now (it holds the turn), if any. */
  let onScreen: QuestionKind | undefined;

  /**
   * The server cancelled its question before an answer (2025-11-25 basic/utilities/cancellation;
   * our servers do when their time limit for an answer passes): say so, with its reason, and
   * mark the call, whose tool error then is no server's fault (a plan does not ask elsewhere).
   */
  function withdrawnByServer(conn: Connection, call: HostCall | undefined, kind: QuestionKind, signal: AbortSignal, shown: boolean): void {
    if (!(signal.reason instanceof CancelledByPeer) || shutdown.aborted || call?.controller.signal.aborted) return;
    const why = /^cancelled by peer: (.+)$/s.exec(signal.reason.message)?.[1] ?? 'it gave no reason';
    if (call) call.withdrawnAsk = kind;
    printFor(call)(paint.yellow(`⊘ ${call ? `${output.label(call)}: ` : ''}${conn.name} withdrew its ${kind} ${shown ? 'before you answered' : 'before it was shown'} (${why})`));
  }

  /**
   * Run `ask` when it is this question's turn and its call is watched; run it again if the call
   * is detached meanwhile. Holds the call's stored position until the server has the answer.
   */
  async function inTurn<T>(conn: Connection, call: HostCall | undefined, signal: AbortSignal, kind: QuestionKind,
    ask: (io: AskIO, withdraw: AbortSignal) => Promise<T>): Promise<T> {
    const what = kind === 'model request' ? 'your approval of a model request' : `your answer to a ${kind}`;
    const id = call?.requestId;
    if (id !== undefined) conn.holdQuestion(id);
    if (call) {
      call.waiting++;
      call.waitsFor = kind;
    }
    const stop = AbortSignal.any([signal, shutdown]);
    // Waiting for its turn (or to be watched) also ends when the call does.
    const ended = call?.controller.signal;
    const waitStop = ended ? AbortSignal.any([stop, ended]) : stop;
    const endedFirst = <V>(waiting: Promise<V>) => waiting.catch((error: unknown) => {
      throw ended?.aborted && !stop.aborted ? new CallEnded(`${output.label(call!)} ended before its question was asked`) : error;
    });
    let answered = false;
    let shown = false;
    let toldWaiting = false;
    const waitsLine = () => `${output.label(call!)} waits for ${what}; type "resume ${call!.n}" to see it`;
    /** The detach (its attention signal) already said, at once, in the order calls are detached. */
    let toldFor: AbortSignal | undefined;
    let stopListening = () => {};
    try {
      for (;;) {
        stopListening();
        if (call && !call.attached) {
          if (toldFor !== call.attention.signal) term.print(waitsLine());
          await endedFirst(output.whenAttached(call, waitStop));
        }
        // Detached while its question is shown or waits its turn: said then, after the detach's own
        // lines (said when the turn came round, `d` at Ctrl+C listed them reversed: hostwalk18).
        const attention = call?.attention.signal;
        const sayNow = () => {
          toldFor = attention;
          queueMicrotask(() => { if (!stop.aborted && !ended?.aborted) term.print(waitsLine()); });
        };
        attention?.addEventListener('abort', sayNow, { once: true });
        stopListening = () => attention?.removeEventListener('abort', sayNow);
        // Another question is on screen: this one waits behind it, and a live line was the only
        // place that said so (hostwalk16's leftover), where its server's limit ran out unseen.
        if (onScreen !== undefined && !toldWaiting) {
          toldWaiting = true;
          printFor(call)(paint.dim(`… ${call ? output.label(call) : conn.name} asks too: its ${kind} comes once the ${onScreen} above is answered`));
        }
        const release = await endedFirst(takeTurn(waitStop));
        onScreen = kind;
        try {
          if (ended?.aborted) throw new CallEnded(`${output.label(call!)} ended before its question was asked`);
          if (call && !call.attached) continue;
          const attention = call?.attention.signal;
          const withdraw = AbortSignal.any([stop, ...(attention ? [attention] : [])]);
          const rows = term.rows;
          let noAnswer = '';
          const io: AskIO = {
            print: printFor(call),
            ask: async (prompt) => {
              const unreadable = term.unreadableAnswers;
              const answer = await term.ask(prompt, { signal: withdraw });
              if (answer === undefined && !withdraw.aborted) noAnswer = term.unreadableAnswers > unreadable ? UNREADABLE_ANSWER : INPUT_ENDED;
              return answer;
            },
            get noAnswer() { return noAnswer; },
            ...(rows !== undefined ? { screen: { columns: term.columns, rows } } : {}),
          };
          if (call) call.asking = kind;
          shown = true;
          const unmark = markMayBeAsked(mayBeFor(output, conn, call), kind);
          let result: T;
          try {
            result = await ask(io, withdraw);
          } finally {
            if (call) call.asking = undefined;
            unmark();
          }
          if (signal.aborted) throw signal.reason;
          if (shutdown.aborted) throw new Error('the host is leaving');
          if (attention?.aborted) continue; // detached mid-question: ask again once watched
          answered = true;
          return result;
        } finally {
          onScreen = undefined;
          release();
        }
      }
    } finally {
      stopListening();
      if (call) call.waiting--;
      if (!answered) withdrawnByServer(conn, call, kind, signal, shown);
      // An answer moves the stored position only once the server shows it got it (its next event).
      if (id !== undefined && !shutdown.aborted) (answered ? conn.releaseOnNext(id) : conn.release(id));
    }
  }

  /**
   * A question for a call that ended here (cancelled, or moved elsewhere by a plan) means its
   * server runs it again after a restart, and never heard our cancel: say it again (2025-11-25
   * basic/utilities/cancellation), so the re-run stops instead of finishing on its own.
   */
  function cancelAgain(conn: Connection, call: HostCall): void {
    if (call.requestId === undefined) return;
    const requestId = call.requestId;
    void conn.ensure()
      .then((client) => client.peer.notify('notifications/cancelled', { requestId, reason: 'the call was ended by the host; it will not be resumed' }))
      .catch((error: unknown) => {
        // Said as what it means for the call; the transport's "POST failed: fetch failed" did not.
        const network = networkReason(error);
        const why = network !== undefined ? `unreachable: ${network}` : explain(error, conn.name);
        term.print(paint.dim(`  (${conn.name} could not be told again to stop #${call.n} (${why}); it is told when it next asks about #${call.n})`));
      });
  }

  /** The call a question belongs to: a running one first (a resumed call shares its id with the kept one). */
  function callFor(conn: Connection, related: RequestId | undefined): HostCall | undefined {
    return output.calls.find((c) => c.conn === conn && related !== undefined && c.requestId === related && c.status === 'running') ?? output.find(conn, related);
  }

  async function elicit(conn: Connection, related: RequestId | undefined, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult> {
    const call = callFor(conn, related);
    const print = printFor(call);
    const header = paint.bold(`? ${askerText(output, conn, call, params.mode === 'url' ? 'asks you to visit a URL' : 'asks')}:`);
    // A call that ended here (cancelled, or redirected by a plan) is not asked about again.
    if (call && call.status !== 'running') {
      cancelAgain(conn, call);
      return { action: 'cancel' };
    }
    const key = questionKey('elicit', params);
    const carried = call?.answers?.get(key) as ElicitResult | undefined;
    if (carried) {
      print(`${header}\n  ↺ the same question this plan step asked before it was redirected; sent your earlier answer (${carried.action})`);
      return carried;
    }
    const repeat = (earlier: ElicitResult | undefined, waiting: boolean) => print(waiting
      ? '  (the server asked that again, after its connection was re-established; your answer below goes to it once)'
      : `${header}\n  ↺ the same question again after the connection was re-established; sent your earlier answer (${earlier!.action})`);
    return once<ElicitResult>(conn, call, key, repeat, async () => {
      const result = await inTurn(conn, call, signal, params.mode === 'url' ? 'URL request' : 'form', async (io, withdraw) => {
        // Answered while this question waited its turn (the same form, open on a server that died).
        const late = call?.answers?.get(key) as ElicitResult | undefined;
        if (late) {
          io.print(`${header}\n  ↺ the same question this plan step asked before it was redirected; sent your earlier answer (${late.action})`);
          return late;
        }
        if (deps.yes && params.mode !== 'url') {
          const auto = autoAnswer(params);
          io.print(`${header}\n  │ ${params.message.split('\n').join('\n  │ ')}\n  (--yes) ${auto.action === 'accept' ? `accepted with ${JSON.stringify(auto.content)}` : 'cancelled: a required field has no default'}`);
          return auto;
        }
        const answer = params.mode === 'url' ? await runUrlElicitation(io, params, header, deps.openUrl) : await runElicitationForm(io, params, header);
        // Printed while this question still holds the turn, so it is not printed under the next one.
        if (!withdraw.aborted) io.print(`  → ${answer.action}${io.noAnswer}`);
        // Kept while it holds the turn too: a redirected copy waiting for it looks at once.
        if (!withdraw.aborted) call?.answers?.set(key, answer);
        return answer;
      });
      call?.answers?.set(key, result);
      return result;
    }).catch((error: unknown) => {
      if (!(error instanceof CallEnded) || !call) throw error;
      cancelAgain(conn, call);
      return { action: 'cancel' } satisfies ElicitResult;
    });
  }

  async function sample(conn: Connection, related: RequestId | undefined, params: CreateMessageParams, signal: AbortSignal): Promise<CreateMessageResult> {
    const call = callFor(conn, related);
    if (call && call.status !== 'running') {
      cancelAgain(conn, call);
      throw new RpcError(-1, 'The call this request belongs to has ended');
    }
    const key = questionKey('sample', params);
    const carried = call?.answers?.get(key) as CreateMessageResult | undefined;
    if (carried) {
      printFor(call)(`  ↺ ${output.label(call!)} asked the model the same as before its plan step was redirected; sent the earlier answer`);
      return carried;
    }
    const print = printFor(call);
    const repeat = (earlier: SampleAnswer | undefined, waiting: boolean) => print(waiting
      ? '  (the server asked the model again, after its connection was re-established; your decision below goes to it once)'
      : `🧠 ${call ? output.label(call) : conn.name} asks the model again after the connection was re-established; sent the earlier ${earlier!.declined ? 'refusal' : 'answer'}`);
    let outcome: SampleAnswer;
    try {
      outcome = await once<SampleAnswer>(conn, call, key, repeat, () => approveAndAnswer(conn, call, key, params, signal));
    } catch (error) {
      if (!(error instanceof CallEnded) || !call) throw error;
      cancelAgain(conn, call);
      throw new RpcError(-1, 'The call this request belongs to has ended');
    }
    // 2025-11-25 client/sampling: a user who declines is reported with code -1.
    if (outcome.declined) throw new RpcError(-1, 'The user declined the sampling request');
    call?.answers?.set(key, outcome.result);
    return outcome.result;
  }

  async function approve(io: FormIO, call: HostCall | undefined, conn: Connection, params: CreateMessageParams): Promise<boolean> {
    io.print(paint.bold(`🧠 ${askerText(output, conn, call, 'asks the model')}:`));
    if (!await showPaged(io, describeSamplingRequest(params), { pageLines: deps.pageLines, all: deps.yes })) return false;
    if (deps.yes) return true;
    for (;;) {
      const answer = await io.ask(`  Answer it with ${deps.provider.label}? [Y/n]: `);
      if (answer === undefined) return false;
      const a = answer.trim().toLowerCase();
      if (a === 'n' || a === 'no') return false;
      if (a === '' || a === 'y' || a === 'yes') return true;
      io.print('  ✗ type y or n');
    }
  }

  /**
   * Ask for approval and answer, all in the question's turn: the answer line is printed under
   * its own request, not under the next one, which waits until this one is answered.
   */
  async function approveAndAnswer(conn: Connection, call: HostCall | undefined, key: string, params: CreateMessageParams, signal: AbortSignal): Promise<SampleAnswer> {
    let answering: Promise<SampleAnswer> | undefined;
    return inTurn(conn, call, signal, 'model request', async (io, withdraw) => {
      if (answering) return answering; // asked again after a detach: the model is already answering
      // Answered while this request waited its turn (the same request, open on a server that died).
      const late = call?.answers?.get(key) as CreateMessageResult | undefined;
      if (late) {
        io.print(`  ↺ ${output.label(call!)} asked the model the same as before its plan step was redirected; sent the earlier answer`);
        return { declined: false, result: late };
      }
      const approved = await approve(io, call, conn, params);
      if (withdraw.aborted) return { declined: true }; // withdrawn: asked again, or dropped
      if (!approved) {
        io.print(`  → declined${io.noAnswer}`);
        return { declined: true };
      }
      if (call) call.modelAnswering = true;
      answering = answerWith(io, params, signal).finally(() => { if (call) call.modelAnswering = false; });
      const outcome = await answering;
      // Kept for the plan step before the turn passes on: its redirected copy, waiting for
      // this turn, looks for it at once (set after the history is flushed, it was asked again).
      if (!outcome.declined) call?.answers?.set(key, outcome.result);
      return outcome;
    });
  }

  async function answerWith(io: FormIO, params: CreateMessageParams, signal: AbortSignal): Promise<SampleAnswer> {
    let result: CreateMessageResult;
    try {
      result = await deps.provider.complete(params, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      io.print(`  ⚠ ${deps.provider.label} failed (${(error as Error).message}); answering with ${fallback.label}`);
      result = await fallback.complete(params, signal);
    }
    const text = (Array.isArray(result.content) ? result.content : [result.content]).map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join(' ');
    io.print(`  → answered by ${result.model}: ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`);
    return { declined: false, result };
  }

  return { elicit, sample };
}
