/**
 * A 2026-07-28 `requestState` used where it was not issued for (basic/patterns/mrtr, server
 * requirements; the words as `../shared/notes/spec-notes.md` keeps them): servers SHOULD bind
 * the state "to the principal, a short TTL, and the method plus a digest of the params"
 * (`modern.request-state-bound`, SHOULD), and "single use must be enforced server-side if
 * needed" (`modern.request-state-single-use`, info: no MUST or SHOULD, and only the server knows
 * whether its call acts). Both run after the driven session on its first call that completed
 * through input rounds (modern-request-state.ts finds it), with the session's still open client;
 * the bound rule moves that call's state to other arguments, and to another tool the session saw
 * complete through input rounds (the tool's name is one of the params).
 */
import type { McpClient } from 'mcpwire/client';
import type { TappedMessage } from '../tap.ts';
import type { FindingRecorder } from './findings.ts';
import { alterFirstLeaf, chains, comparable, retry, send, type Chain } from './modern-request-state.ts';
import type { Obj } from '../validate-schema-checks.ts';

const BOUND = 'modern.request-state-bound';
const SINGLE_USE = 'modern.request-state-single-use';

/** An argument the check adds when the call's own have no value to change (a tool without parameters). */
const ADDED_ARGUMENT = 'mcpwire_check_moved';

/** What a send got, in words: the error's code, or the result's kind. */
function gotWords(got: { result?: Obj; code?: unknown; error?: string }): string {
  if (!got.result) return `error ${String(got.code ?? got.error)}`;
  return got.result.resultType === 'input_required' ? 'input_required' : 'a result';
}

/** A completed result's text, cut for a message. */
function said(result: Obj): string {
  const text = JSON.stringify(result.structuredContent ?? result.content);
  return text.length > 160 ? `${text.slice(0, 160)}...` : text;
}

/**
 * Record what a send of a state where it does not belong got, unless the call completed: a
 * refusal or a new input round passes (`because`), no answer is a skip. True when it completed
 * (the caller judges that).
 */
function notTaken(rec: FindingRecorder, id: typeof BOUND | typeof SINGLE_USE, what: string, got: { result?: Obj; code?: unknown; error?: string }, because: string): boolean {
  if (!got.result) {
    if (got.code !== undefined) rec.pass(id, `${what} was refused with error ${String(got.code)}: ${because}`, 'modern');
    else rec.skip(id, `not judged: ${what} got no answer (${got.error ?? 'none'})`, 'modern');
    return false;
  }
  if (got.result.resultType !== 'input_required') return true;
  rec.pass(id, `${what} was answered input_required: ${because}`, 'modern');
  return false;
}

/**
 * Replay the driven session's last retry of `chain` (its requestState already used by the call
 * that completed): a refusal or a new input round passes; the call completing again is the
 * info finding (a replayed retry would act twice).
 */
async function judgeReplay(rec: FindingRecorder, client: McpClient, chain: Chain, timeoutMs: number): Promise<void> {
  const n = chain.rounds.length;
  const sent = retry(chain, n - 1, chain.last.requestState as string);
  const what = `a replay of ${chain.tool}'s last retry, its requestState already used by the session's call that completed,`;
  const got = await send(client, sent, timeoutMs);
  if (!notTaken(rec, SINGLE_USE, what, got, 'the used state was not taken again')) return;
  rec.fail(SINGLE_USE, `${what} completed again (${said(got.result!)}${comparable(got.result!) === comparable(chain.result) ? ', the genuine result' : ''}): the server takes a used state again. The spec asks for single use "if needed": where the call acts (pays, sends, deletes), a replayed retry acts twice`, { sent, got: got.result! }, 'modern');
}

/**
 * A fresh, unused state of `chain`'s last round: the call made again, its rounds before the last
 * answered as the genuine session did. A string when got, else a skip of the bound rule (`move`:
 * which move it was for, in words).
 */
async function freshLastState(rec: FindingRecorder, client: McpClient, chain: Chain, move: string, timeoutMs: number): Promise<string | undefined> {
  const n = chain.rounds.length;
  let got = await send(client, { name: chain.tool, arguments: chain.args }, timeoutMs);
  for (let i = 0; ; i++) {
    const state = got.result?.resultType === 'input_required' ? got.result.requestState : undefined;
    if (typeof state !== 'string') {
      rec.skip(BOUND, `not judged (${move}): ${chain.tool} called again${i > 0 ? ` and answered through ${i} round(s)` : ''} got ${gotWords(got)} without a requestState, where its genuine call was asked ${n} round(s)`, 'modern');
      return undefined;
    }
    if (i === n - 1) return state;
    got = await send(client, retry(chain, i, state), timeoutMs);
  }
}

/** Send `sent` (a state where it was not issued) and judge it: a refusal or a new input round passes, a completed call fails. */
async function judgeMove(rec: FindingRecorder, client: McpClient, sent: Obj, what: string, timeoutMs: number): Promise<void> {
  const answer = await send(client, sent, timeoutMs);
  if (!notTaken(rec, BOUND, what, answer, 'the state was not taken for other params')) return;
  rec.fail(BOUND, `${what} completed (${said(answer.result!)}): the server took a state issued for other params (it should bind the state to the method and a digest of the params, the tool's name among them, and refuse it on any other request)`, { sent, got: answer.result! }, 'modern');
}

/**
 * Move a fresh, unused state of `chain`'s last round to other arguments (the first value
 * changed, or an argument added): a refusal or a new input round passes, a completed call fails
 * (SHOULD). Judged only when the other arguments, called afresh, are answered input_required too
 * (else a refusal would say nothing about the state).
 */
async function judgeMoved(rec: FindingRecorder, client: McpClient, chain: Chain, timeoutMs: number): Promise<void> {
  const changed = alterFirstLeaf(chain.args);
  const moved = (changed?.value ?? { ...chain.args, [ADDED_ARGUMENT]: true }) as Obj;
  const how = changed ? `its arguments' first value (${changed.leaf}) changed` : `the argument ${ADDED_ARGUMENT} added`;
  const control = await send(client, { name: chain.tool, arguments: moved }, timeoutMs);
  if (control.result?.resultType !== 'input_required') {
    rec.skip(BOUND, `not judged: ${chain.tool} called with ${how} got ${gotWords(control)}, not input_required, so a state moved to those arguments cannot be told from the arguments themselves`, 'modern');
    return;
  }
  const state = await freshLastState(rec, client, chain, 'other arguments', timeoutMs);
  if (state === undefined) return;
  const what = `a retry of ${chain.tool} with ${how}, carrying the fresh requestState its last round issued for the original arguments,`;
  await judgeMove(rec, client, { ...retry(chain, chain.rounds.length - 1, state), arguments: moved }, what, timeoutMs);
}

/**
 * Move a fresh, unused state of `chain`'s last round, with that round's answers, to a call of
 * another tool the session saw complete through input rounds (`others`, in the order they
 * completed), with its own arguments. The first of them that, called with those answers and no
 * state, is answered input_required is the one judged (another may complete on the answers
 * alone, and a completion would say nothing about the state).
 */
async function judgeMovedToTool(rec: FindingRecorder, client: McpClient, chain: Chain, others: readonly Chain[], timeoutMs: number): Promise<void> {
  if (others.length === 0) {
    rec.skip(BOUND, `not judged (another tool): ${chain.tool} is the only tool the session saw complete through input rounds`, 'modern');
    return;
  }
  const answers = chain.rounds[chain.rounds.length - 1]!.answers;
  const tried: string[] = [];
  for (const other of others) {
    const target = { name: other.tool, arguments: other.args, ...(answers === undefined ? {} : { inputResponses: answers }) };
    const control = await send(client, target, timeoutMs);
    if (control.result?.resultType !== 'input_required') {
      tried.push(`${other.tool} got ${gotWords(control)}`);
      continue;
    }
    const state = await freshLastState(rec, client, chain, 'another tool', timeoutMs);
    if (state === undefined) return;
    const what = `a call of ${other.tool} carrying the fresh requestState ${chain.tool}'s last round issued (and that round's answers),`;
    return judgeMove(rec, client, { ...target, requestState: state }, what, timeoutMs);
  }
  rec.skip(BOUND, `not judged (another tool): called with ${chain.tool}'s answers and no requestState, no other tool that asked for input was answered input_required (${tried.join('; ')}), so a state moved to one cannot be told from the answers themselves`, 'modern');
}

/**
 * Record `modern.request-state-single-use` and `modern.request-state-bound` over the driven
 * session's messages, sending with its still open `client`.
 */
export async function checkRequestStateReuse(rec: FindingRecorder, messages: readonly TappedMessage[], client: McpClient, timeoutMs: number): Promise<void> {
  const wanted = ([SINGLE_USE, BOUND] as const).filter((id) => rec.wants(id));
  if (wanted.length === 0) return;
  const all = chains(messages);
  const chain = all[0];
  if (chain === undefined) {
    for (const id of wanted) rec.skip(id, 'not run: no tools/call was answered input_required with a requestState and then completed on its retry', 'modern');
    return;
  }
  if (rec.wants(SINGLE_USE)) await judgeReplay(rec, client, chain, timeoutMs);
  if (!rec.wants(BOUND)) return;
  await judgeMoved(rec, client, chain, timeoutMs);
  const others = all.filter((c, i) => c.tool !== chain.tool && all.findIndex((d) => d.tool === c.tool) === i);
  await judgeMovedToTool(rec, client, chain, others, timeoutMs);
}
