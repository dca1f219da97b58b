/**
 * `modern.request-state` (2026-07-28 basic/patterns/mrtr, server requirements: servers "MUST
 * treat requestState as attacker-controlled input"; when it "influences authorization, resource
 * access, or business logic", they MUST protect its integrity and "MUST reject state that fails
 * verification"; integrity protection may be left out only when tampering can cause nothing worse
 * than request failure). After the driven session, the first tools/call that was answered
 * input_required with a `requestState` and then completed on its retry is called again, and the
 * fresh state it gets is sent back with the genuine retry's inputResponses, altered as an attacker
 * would: a value inside it changed (plain JSON, or JSON in base64/base64url, re-encoded alike),
 * else one character in its middle.
 * A refusal or a new input_required passes; the same result as the genuine retry passes too (the
 * state changed nothing); another result fails, once the same call made again through its rounds
 * (a fresh state: the used one may be single use) gave the genuine result again.
 */
import type { McpClient } from 'mcpwire/client';
import type { TappedMessage } from '../tap.ts';
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

const RULE = 'modern.request-state';

/** One input round of a genuine call: what the server asked (with the state), and the retry's answers. */
export interface Round {
  /** The InputRequiredResult's inputRequests, as JSON text (to tell one round's asks from another's; {@link sameAsks}). */
  readonly asked: string;
  /** The retry's inputResponses (undefined: the retry carried none). */
  readonly answers: Obj | undefined;
}

/** A call that completed through input rounds, each retry carrying the server's requestState. */
export interface Chain {
  readonly tool: string;
  readonly args: Obj;
  readonly rounds: readonly Round[];
  /** The last retry, and the result that completed the call. */
  readonly last: Obj;
  readonly result: Obj;
}

/**
 * The completed tools/call chains of the session, in the order they completed: each retry's
 * requestState traced back to the answer that issued it, down to the call that carried none.
 */
export function chains(messages: readonly TappedMessage[]): Chain[] {
  const sent = new Map<string, Obj>(); // request id -> tools/call params
  const issuedBy = new Map<string, { id: string; asked: string }>(); // requestState -> the request it answered
  const found: Chain[] = [];
  for (const { direction, message } of messages) {
    if (!isObj(message)) continue;
    const id = JSON.stringify(message.id);
    if (direction === 'client-to-server' && message.method === 'tools/call' && isObj(message.params)) {
      sent.set(id, message.params);
      continue;
    }
    if (direction !== 'server-to-client' || !isObj(message.result)) continue;
    const result = message.result;
    if (result.resultType === 'input_required') {
      if (typeof result.requestState === 'string' && sent.has(id)) issuedBy.set(result.requestState, { id, asked: JSON.stringify(result.inputRequests ?? null) });
      continue;
    }
    const last = sent.get(id);
    if (last === undefined || typeof last.requestState !== 'string') continue;
    const rounds: Round[] = [];
    let params: Obj | undefined = last;
    while (params !== undefined && typeof params.requestState === 'string' && rounds.length < 16) {
      const from = issuedBy.get(params.requestState);
      if (from === undefined) break;
      rounds.unshift({ asked: from.asked, answers: isObj(params.inputResponses) ? params.inputResponses : undefined });
      params = sent.get(from.id);
    }
    if (params === undefined || typeof params.requestState === 'string' || rounds.length === 0) continue;
    found.push({ tool: String(last.name), args: isObj(last.arguments) ? last.arguments : {}, rounds, last, result });
  }
  return found;
}

/** `value` with its first leaf (depth first) changed: a string gets a suffix, a number one more, a boolean flipped. */
export function alterFirstLeaf(value: unknown, depth = 0): { value: unknown; leaf: string } | undefined {
  if (depth > 16) return undefined;
  if (typeof value === 'string') return { value: `${value}-mcpwire-check`, leaf: JSON.stringify(value) };
  if (typeof value === 'number') return { value: value + 1, leaf: String(value) };
  if (typeof value === 'boolean') return { value: !value, leaf: String(value) };
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isObj(value) ? Object.entries(value) : [];
  for (const [key, sub] of entries) {
    const altered = alterFirstLeaf(sub, depth + 1);
    if (!altered) continue;
    if (Array.isArray(value)) return { value: value.map((v, i) => (i === key ? altered.value : v)), leaf: altered.leaf };
    return { value: { ...(value as Obj), [key]: altered.value }, leaf: altered.leaf };
  }
  return undefined;
}

/** JSON text of an object or array, or undefined. */
function jsonOf(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `state` altered as an attacker would, and how, in words. */
export function tamper(state: string): { value: string; how: string } {
  const plain = jsonOf(state);
  const alteredPlain = plain === undefined ? undefined : alterFirstLeaf(plain);
  if (alteredPlain) return { value: JSON.stringify(alteredPlain.value), how: `its JSON's first value (${alteredPlain.leaf}) changed` };
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(state)) {
    // base64url when its own characters show, or unpadded with none of base64's own.
    const url = /[-_]/.test(state) || (!/[+/]/.test(state) && !state.endsWith('='));
    const inner = jsonOf(Buffer.from(state, url ? 'base64url' : 'base64').toString('utf8'));
    const altered = inner === undefined ? undefined : alterFirstLeaf(inner);
    if (altered) {
      let value = Buffer.from(JSON.stringify(altered.value), 'utf8').toString(url ? 'base64url' : 'base64');
      if (!state.endsWith('=')) value = value.replace(/=+$/, '');
      return { value, how: `the first value (${altered.leaf}) of the JSON in its ${url ? 'base64url' : 'base64'} changed` };
    }
  }
  // The middle: a base64 tail may hold padding bits only, and a MAC is often at one end.
  const at = Math.floor(state.length / 2);
  const was = state[at] ?? '';
  const now = was === 'A' ? 'B' : 'A';
  return { value: `${state.slice(0, at)}${now}${state.slice(at + 1)}`, how: `character ${at + 1} of ${state.length} changed from ${JSON.stringify(was)} to ${JSON.stringify(now)}` };
}

/** What two completed results are compared on: what the tool said (not `_meta`, not the result's framing). */
export function comparable(result: Obj): string {
  return JSON.stringify([result.content, result.structuredContent, result.isError === true]);
}

/** What a send got: the result, or the error's code and words. */
export async function send(client: McpClient, params: Obj, timeoutMs: number): Promise<{ result?: Obj; code?: unknown; error?: string }> {
  try {
    const result: unknown = await client.request('tools/call', params, { timeoutMs });
    return isObj(result) ? { result } : { error: 'an answer that is not an object' };
  } catch (error) {
    const code = isObj(error) && typeof error.code === 'number' ? error.code : undefined;
    return { ...(code !== undefined ? { code } : {}), error: error instanceof Error ? error.message : String(error) };
  }
}

/** JSON pointers of the leaves where `a` and `b` differ, or undefined when they differ in more than string values (their shapes). */
function differingStrings(a: unknown, b: unknown, path = '', out: string[] = []): string[] | undefined {
  if (isObj(a) && isObj(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length || keys.some((k) => !Object.hasOwn(b, k))) return undefined;
    for (const k of keys) if (differingStrings(a[k], b[k], `${path}/${k}`, out) === undefined) return undefined;
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return undefined;
    for (const [i, v] of a.entries()) if (differingStrings(v, b[i], `${path}/${i}`, out) === undefined) return undefined;
    return out;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a !== b) out.push(path);
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? out : undefined;
}

/** `value` with the leaves at `paths` replaced by one placeholder. */
function masked(value: unknown, paths: ReadonlySet<string>, path = ''): unknown {
  if (paths.has(path)) return '(varies)';
  if (Array.isArray(value)) return value.map((v, i) => masked(v, paths, `${path}/${i}`));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, paths, `${path}/${k}`)]));
  return value;
}

/** Per chain and round: the string leaves of its asks that vary between genuine calls (a nonce, a time), found when first needed. */
const varying = new WeakMap<Chain, Map<number, readonly string[]>>();

/**
 * Whether `asks` are what the genuine session's round `i` asked. The JSON alike, yes; else,
 * when the server's asks vary by themselves (the same call made afresh, answered genuinely up
 * to round `i`, asks other strings in the same shape: a nonce in a URL or a message), the asks
 * compared without those strings. Else no. `ignoring`: the leaves left out.
 */
async function sameAsks(client: McpClient, chain: Chain, i: number, asks: unknown, timeoutMs: number): Promise<{ same: boolean; ignoring: readonly string[] }> {
  const recorded = chain.rounds[i]!.asked;
  if (JSON.stringify(asks ?? null) === recorded) return { same: true, ignoring: [] };
  const byRound = varying.get(chain) ?? new Map<number, readonly string[]>();
  varying.set(chain, byRound);
  let paths = byRound.get(i);
  if (paths === undefined) {
    let got = await send(client, { name: chain.tool, arguments: chain.args }, timeoutMs);
    for (let j = 0; j < i && got.result?.resultType === 'input_required' && typeof got.result.requestState === 'string'; j++) got = await send(client, retry(chain, j, got.result.requestState), timeoutMs);
    const fresh = got.result?.resultType === 'input_required' ? got.result.inputRequests ?? null : undefined;
    paths = fresh === undefined ? [] : differingStrings(JSON.parse(recorded), fresh) ?? [];
    byRound.set(i, paths);
  }
  if (paths.length === 0) return { same: false, ignoring: [] };
  const mask = new Set(paths);
  return { same: JSON.stringify(masked(asks ?? null, mask)) === JSON.stringify(masked(JSON.parse(recorded), mask)), ignoring: paths };
}

/** Words for the leaves a comparison of asks left out. */
const ignored = (paths: readonly string[]): string => (paths.length === 0 ? '' : ` (compared without ${paths.join(', ')}, which vary between genuine calls)`);

/** A retry of `chain`'s round `n` (0-based) with `state`. */
export function retry(chain: Chain, n: number, state: string): Obj {
  const answers = chain.rounds[n]!.answers;
  return { name: chain.tool, arguments: chain.args, ...(answers === undefined ? {} : { inputResponses: answers }), requestState: state };
}

/**
 * Judge `chain` with the state of round `k` (0-based) altered: the call made afresh, the rounds
 * before `k` answered as the genuine session did with the server's fresh states, round `k`'s
 * state altered, and the rounds after it (if the server goes on) answered genuinely again.
 */
async function judgeRound(rec: FindingRecorder, client: McpClient, chain: Chain, k: number, timeoutMs: number): Promise<'pass' | 'fail' | 'skip'> {
  const n = chain.rounds.length;
  const where = n > 1 ? ` (round ${k + 1} of ${n})` : '';
  let got = await send(client, { name: chain.tool, arguments: chain.args }, timeoutMs);
  let what = '';
  let sent: Obj = {};
  let called: Obj | undefined;
  for (let i = 0; i < n; i++) {
    const r = got.result;
    const asked = r?.resultType === 'input_required' && isObj(r.inputRequests) ? Object.keys(r.inputRequests) : [];
    const answers = chain.rounds[i]!.answers ?? {};
    if (i <= k && (typeof r?.requestState !== 'string' || asked.some((key) => !(key in answers)))) {
      rec.skip(RULE, `not judged: ${chain.tool} called again${i > 0 ? ` and answered through ${i} round(s)` : ''} was not answered input_required with a requestState for the inputs its genuine retry answered${where} (${r ? `resultType ${String(r.resultType)}` : `error ${String(got.code ?? got.error)}`})`, 'modern');
      return 'skip';
    }
    if (i > k) {
      // After the altered round: go on only while the server asks what the genuine session's next round asked.
      if (r?.resultType !== 'input_required') break;
      const asks = typeof r.requestState === 'string' ? await sameAsks(client, chain, i, r.inputRequests, timeoutMs) : { same: false, ignoring: [] };
      if (!asks.same || typeof r.requestState !== 'string') {
        rec.pass(RULE, `${what} was answered input_required with other asks than the genuine round ${i + 1}${ignored(asks.ignoring)}: the altered state was not taken`, 'modern');
        return 'pass';
      }
      got = await send(client, retry(chain, i, r.requestState), timeoutMs);
      continue;
    }
    const state = r!.requestState as string;
    if (i < k) {
      got = await send(client, retry(chain, i, state), timeoutMs);
      continue;
    }
    const altered = tamper(state);
    what = `a retry of ${chain.tool} with its requestState altered${where} (${altered.how})`;
    called = r;
    sent = retry(chain, i, altered.value);
    got = await send(client, sent, timeoutMs);
    if (!got.result) {
      if (got.code !== undefined) rec.pass(RULE, `${what} was refused with error ${String(got.code)}`, 'modern');
      else rec.skip(RULE, `not judged: ${what} got no answer (${got.error ?? 'none'})`, 'modern');
      return got.code !== undefined ? 'pass' : 'skip';
    }
    if (got.result.resultType === 'input_required') {
      const asks = k === n - 1 ? { same: false, ignoring: [] } : await sameAsks(client, chain, k + 1, got.result.inputRequests, timeoutMs);
      if (!asks.same) {
        rec.pass(RULE, `${what} was answered input_required again${k === n - 1 ? '' : `, not with the genuine round ${k + 2}'s asks${ignored(asks.ignoring)}`}: the altered state was not taken`, 'modern');
        return 'pass';
      }
    }
  }
  const final = got.result;
  if (!final) {
    rec.pass(RULE, `${what} led to a refusal (error ${String(got.code ?? got.error)}) in a later round`, 'modern');
    return 'pass';
  }
  if (final.resultType === 'input_required') {
    rec.skip(RULE, `not judged: after ${what}, ${chain.tool} asked for more rounds than its genuine call did`, 'modern');
    return 'skip';
  }
  if (comparable(final) === comparable(chain.result)) {
    rec.pass(RULE, `${what} completed with the genuine retry's result: the altered state changed nothing`, 'modern');
    return 'pass';
  }
  // A result that varies by itself (a time, a counter) is no sign: the same call made again
  // through all its rounds (fresh states, never a used one) must give the genuine result again.
  const again = await client.callTool(chain.tool, chain.args, { timeoutMs }).then((x) => x as unknown as Obj, (error: unknown) => error);
  if (!isObj(again) || again instanceof Error || comparable(again) !== comparable(chain.result)) {
    rec.skip(RULE, `not judged: ${what} completed with another result, but ${chain.tool} called again through its rounds ${isObj(again) && !(again instanceof Error) ? 'gave another result too' : `failed (${again instanceof Error ? again.message : String(again)})`}, so a result the altered state changed cannot be told from one that varies by itself`, 'modern');
    return 'skip';
  }
  const shown = { genuine: { sent: chain.last, got: chain.result }, called, sent, got: final };
  const said = (result: Obj): string => { const text = JSON.stringify(result.structuredContent ?? result.content); return text.length > 200 ? `${text.slice(0, 200)}...` : text; };
  rec.fail(RULE, `${what} completed with a result other than the genuine retry's (${said(final)}, where the genuine one was ${said(chain.result)}): the server acted on a requestState it did not verify (it must reject state that fails verification when the state steers the call)`, shown, 'modern');
  return 'fail';
}

/**
 * Record `modern.request-state` over the driven session's messages, sending with its still open
 * `client`: the first call that completed through input rounds, and the first that took two or
 * more (each of its rounds' states altered in turn, until one fails), when that is another call.
 */
export async function checkRequestState(rec: FindingRecorder, messages: readonly TappedMessage[], client: McpClient, timeoutMs: number): Promise<void> {
  if (!rec.wants(RULE)) return;
  const all = chains(messages);
  if (all.length === 0) {
    rec.skip(RULE, 'not run: no tools/call was answered input_required with a requestState and then completed on its retry', 'modern');
    return;
  }
  const first = all[0]!;
  const multi = all.find((c) => c.rounds.length > 1);
  for (const chain of multi === undefined || multi === first ? [first] : [first, multi]) {
    for (let k = 0; k < chain.rounds.length; k++) if ((await judgeRound(rec, client, chain, k, timeoutMs)) !== 'pass') break;
  }
}
