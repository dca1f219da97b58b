/**
 * Answering what servers ask mid-call: forms (elicitation) and model requests (sampling).
 * One question at a time: a second form waits until the first is done. A detached call's
 * question waits until the call is watched again, and its stored position stays before the
 * question, so a resume after quitting asks it again. When a restarted server asks the same
 * question again for the same call, the stale copy is dropped, or the earlier answer reused.
 */
import { RpcError } from 'mcpwire/protocol';
import type { CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult, RequestId } from 'mcpwire/protocol';
import type { CallOutput, HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import { autoAnswer, runElicitationForm, runUrlElicitation, type FormIO } from './forms.ts';
import { createLocalSummariser, describeSamplingRequest, type SamplingProvider } from './sampling.ts';
import type { Terminal } from './terminal.ts';

export interface AskDeps {
  term: Terminal;
  output: CallOutput;
  shutdown: AbortSignal;
  yes: boolean;
  provider: SamplingProvider;
  openUrl: ((url: string) => Promise<boolean>) | undefined;
}

export interface AskHandlers {
  elicit(conn: Connection, related: RequestId | undefined, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult>;
  sample(conn: Connection, related: RequestId | undefined, params: CreateMessageParams, signal: AbortSignal): Promise<CreateMessageResult>;
}

/** A mutex whose waiters give up when their signal aborts. */
function createTurns(): (signal: AbortSignal) => Promise<() => void> {
  let busy = false;
  const waiting: Array<() => void> = [];
  const next = () => {
    const wake = waiting.shift();
    if (wake) wake();
    else busy = false;
  };
  return (signal) => new Promise((resolve, reject) => {
    if (!busy) {
      busy = true;
      return resolve(next);
    }
    const wake = () => { signal.removeEventListener('abort', onAbort); resolve(next); };
    const onAbort = () => {
      const i = waiting.indexOf(wake);
      if (i !== -1) waiting.splice(i, 1);
      reject(signal.reason);
    };
    waiting.push(wake);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What a question may end with besides its answer. */
class Superseded extends Error {}

export function createAskHandlers(deps: AskDeps): AskHandlers {
  const { term, output, shutdown } = deps;
  const paint = term.paint;
  const takeTurn = createTurns();
  const fallback = createLocalSummariser();
  /** Per call: forms open now (by content), and forms answered (with the connection's reconnect count then). */
  const open = new Map<HostCall, Map<string, AbortController>>();
  const answered = new Map<HostCall, Map<string, { result: ElicitResult; reconnects: number }>>();

  const printFor = (call: HostCall | undefined) => (text: string) => (call ? output.emit(call, text) : term.print(text));

  /**
   * Run `ask` when it is this question's turn and its call is watched; run it again if the call
   * is detached meanwhile. Holds the call's stored position until answered.
   */
  async function inTurn<T>(conn: Connection, call: HostCall | undefined, signal: AbortSignal, what: string,
    ask: (io: FormIO, withdraw: AbortSignal) => Promise<T>): Promise<T> {
    const id = call?.requestId;
    if (id !== undefined) conn.hold(id);
    if (call) call.waiting++;
    const stop = AbortSignal.any([signal, shutdown]);
    try {
      for (;;) {
        if (call && !call.attached) {
          term.print(`${output.label(call)} waits for ${what}; type "resume ${call.n}" to see it`);
          await output.whenAttached(call, stop);
        }
        const release = await takeTurn(stop);
        try {
          if (call && !call.attached) continue;
          const attention = call?.attention.signal;
          const withdraw = AbortSignal.any([stop, ...(attention ? [attention] : [])]);
          const io: FormIO = { print: printFor(call), ask: (prompt) => term.ask(prompt, { signal: withdraw }) };
          const result = await ask(io, withdraw);
          if (signal.aborted) throw signal.reason;
          if (shutdown.aborted) throw new Error('the host is leaving');
          if (attention?.aborted) continue; // detached mid-question: ask again once watched
          return result;
        } finally {
          release();
        }
      }
    } finally {
      if (call) call.waiting--;
      if (id !== undefined && !shutdown.aborted) conn.release(id);
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
      .then((client) => client.session.notify('notifications/cancelled', { requestId, reason: 'the call was ended by the host; it will not be resumed' }))
      .catch((error: unknown) => term.print(paint.dim(`  (could not tell ${conn.name} to stop #${call.n} again: ${(error as Error).message})`)));
  }

  /** The call a question belongs to: a running one first (a resumed call shares its id with the kept one). */
  function callFor(conn: Connection, related: RequestId | undefined): HostCall | undefined {
    return output.calls.find((c) => c.conn === conn && related !== undefined && c.requestId === related && c.status === 'running') ?? output.find(conn, related);
  }

  async function elicit(conn: Connection, related: RequestId | undefined, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult> {
    const call = callFor(conn, related);
    const print = printFor(call);
    const header = paint.bold(`? ${call ? output.label(call) : conn.name} asks${params.mode === 'url' ? ' you to visit a URL' : ''}:`);
    const key = JSON.stringify(params.mode === 'url' ? ['url', params.message, params.url] : ['form', params.message, params.requestedSchema]);
    // A call that ended here (cancelled, or redirected by a plan) is not asked about again.
    if (call && call.status !== 'running') {
      cancelAgain(conn, call);
      return { action: 'cancel' };
    }
    const carried = call?.answers?.get(key) as ElicitResult | undefined;
    if (carried) {
      print(`${header}\n  ↺ the same question this plan step asked before it was redirected; sent your earlier answer (${carried.action})`);
      return carried;
    }
    if (call) {
      // A restarted server re-runs the call and asks again: the copy still open is stale.
      const stale = open.get(call)?.get(key);
      if (stale) {
        print('  (the server asked that again, after its connection was re-established; answer the new copy below)');
        stale.abort(new Superseded());
      }
      const before = answered.get(call)?.get(key);
      if (before && conn.reconnects > before.reconnects) {
        print(`${header}\n  ↺ the same question again after the connection was re-established; sent your earlier answer (${before.result.action})`);
        return before.result;
      }
    }
    const superseded = new AbortController();
    if (call) {
      const mine = open.get(call) ?? new Map<string, AbortController>();
      open.set(call, mine);
      mine.set(key, superseded);
    }
    try {
      const result = await inTurn(conn, call, AbortSignal.any([signal, superseded.signal]), 'your answer', async (io) => {
        // Answered while this question waited its turn (the same form, open on a server that died).
        const late = call?.answers?.get(key) as ElicitResult | undefined;
        if (late) {
          io.print(`${header}\n  ↺ the same question this plan step asked before it was redirected; sent your earlier answer (${late.action})`);
          return late;
        }
        if (params.mode === 'url') return runUrlElicitation(io, params, header, deps.openUrl);
        if (!deps.yes) return runElicitationForm(io, params, header);
        const auto = autoAnswer(params);
        io.print(`${header}\n  │ ${params.message.split('\n').join('\n  │ ')}\n  (--yes) ${auto.action === 'accept' ? `accepted with ${JSON.stringify(auto.content)}` : 'cancelled: a required field has no default'}`);
        return auto;
      });
      if (!deps.yes || params.mode === 'url') print(`  → ${result.action}`);
      call?.answers?.set(key, result);
      if (call) {
        const mine = answered.get(call) ?? new Map<string, { result: ElicitResult; reconnects: number }>();
        answered.set(call, mine);
        mine.set(key, { result, reconnects: conn.reconnects });
      }
      return result;
    } catch (error) {
      if (superseded.signal.aborted && !signal.aborted) return { action: 'cancel' };
      throw error;
    } finally {
      if (call && open.get(call)?.get(key) === superseded) open.get(call)!.delete(key);
    }
  }

  async function sample(conn: Connection, related: RequestId | undefined, params: CreateMessageParams, signal: AbortSignal): Promise<CreateMessageResult> {
    const call = callFor(conn, related);
    if (call && call.status !== 'running') {
      cancelAgain(conn, call);
      throw new RpcError(-1, 'The call this request belongs to has ended');
    }
    const key = JSON.stringify(['sample', params.systemPrompt, params.messages]);
    const carried = call?.answers?.get(key) as CreateMessageResult | undefined;
    if (carried) {
      printFor(call)(`  ↺ ${output.label(call!)} asked the model the same as before its plan step was redirected; sent the earlier answer`);
      return carried;
    }
    const approved = await inTurn(conn, call, signal, 'your approval of a model request', async (io, withdraw) => {
      io.print([paint.bold(`🧠 ${call ? output.label(call) : conn.name} asks the model:`), ...describeSamplingRequest(params)].join('\n'));
      if (deps.yes) return true;
      for (;;) {
        const answer = await term.ask(`  Answer it with ${deps.provider.label}? [Y/n]: `, { signal: withdraw });
        if (answer === undefined) return false;
        const a = answer.trim().toLowerCase();
        if (a === 'n' || a === 'no') return false;
        if (a === '' || a === 'y' || a === 'yes') return true;
        io.print('  ✗ type y or n');
      }
    });
    const print = printFor(call);
    // 2025-11-25 client/sampling: a user who declines is reported with code -1.
    if (!approved) {
      print('  → declined');
      throw new RpcError(-1, 'The user declined the sampling request');
    }
    let result: CreateMessageResult;
    try {
      result = await deps.provider.complete(params, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      print(`  ⚠ ${deps.provider.label} failed (${(error as Error).message}); answering with ${fallback.label}`);
      result = await fallback.complete(params, signal);
    }
    const text = (Array.isArray(result.content) ? result.content : [result.content]).map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join(' ');
    print(`  → answered by ${result.model}: ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`);
    call?.answers?.set(key, result);
    return result;
  }

  return { elicit, sample };
}
