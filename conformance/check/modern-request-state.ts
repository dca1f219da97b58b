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

/** The genuine round: the retry that carried the state, and the result it got. */
interface Round {
  readonly tool: string;
  readonly params: Obj;
  readonly state: string;
  readonly result: Obj;
}

/** The first tools/call retry with a requestState whose answer completed the call. */
function firstRound(messages: readonly TappedMessage[]): Round | undefined {
  const retries = new Map<string, { params: Obj; state: string }>(); // request id -> retry
  for (const { direction, message } of messages) {
    if (!isObj(message)) continue;
    if (direction === 'client-to-server' && message.method === 'tools/call' && isObj(message.params) && typeof message.params.requestState === 'string') {
      retries.set(JSON.stringify(message.id), { params: message.params, state: message.params.requestState });
      continue;
    }
    if (direction !== 'server-to-client' || !isObj(message.result)) continue;
    const retry = retries.get(JSON.stringify(message.id));
    if (retry && message.result.resultType !== 'input_required') return { tool: String(retry.params.name), ...retry, result: message.result };
  }
  return undefined;
}

/** `value` with its first leaf (depth first) changed: a string gets a suffix, a number one more, a boolean flipped. */
function alterFirstLeaf(value: unknown, depth = 0): { value: unknown; leaf: string } | undefined {
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
function comparable(result: Obj): string {
  return JSON.stringify([result.content, result.structuredContent, result.isError === true]);
}

/** What a send got: the result, or the error's code and words. */
async function send(client: McpClient, params: Obj, timeoutMs: number): Promise<{ result?: Obj; code?: unknown; error?: string }> {
  try {
    const result: unknown = await client.request('tools/call', params, { timeoutMs });
    return isObj(result) ? { result } : { error: 'an answer that is not an object' };
  } catch (error) {
    const code = isObj(error) && typeof error.code === 'number' ? error.code : undefined;
    return { ...(code !== undefined ? { code } : {}), error: error instanceof Error ? error.message : String(error) };
  }
}

/** Record `modern.request-state` over the driven session's messages, sending with its still open `client`. */
export async function checkRequestState(rec: FindingRecorder, messages: readonly TappedMessage[], client: McpClient, timeoutMs: number): Promise<void> {
  if (!rec.wants(RULE)) return;
  const round = firstRound(messages);
  if (!round) {
    rec.skip(RULE, 'not run: no tools/call was answered input_required with a requestState and then completed on its retry', 'modern');
    return;
  }
  // A fresh state, not the one the genuine retry used: a server may take a state once only, and
  // its refusal of a used one would say nothing of the alteration.
  const args = isObj(round.params.arguments) ? round.params.arguments : {};
  const fresh = await send(client, { name: round.tool, arguments: args }, timeoutMs);
  const asked = fresh.result?.resultType === 'input_required' && isObj(fresh.result.inputRequests) ? Object.keys(fresh.result.inputRequests) : [];
  const answers = isObj(round.params.inputResponses) ? round.params.inputResponses : {};
  if (typeof fresh.result?.requestState !== 'string' || asked.some((key) => !(key in answers))) {
    rec.skip(RULE, `not judged: ${round.tool} called again was not answered input_required with a requestState for the inputs its genuine retry answered (${fresh.result ? `resultType ${String(fresh.result.resultType)}` : `error ${String(fresh.code ?? fresh.error)}`})`, 'modern');
    return;
  }
  const altered = tamper(fresh.result.requestState);
  const what = `a retry of ${round.tool} with its requestState altered (${altered.how})`;
  const sent = { name: round.tool, arguments: args, ...('inputResponses' in round.params ? { inputResponses: answers } : {}), requestState: altered.value };
  const got = await send(client, sent, timeoutMs);
  const shown = { genuine: { sent: round.params, got: round.result }, called: fresh.result, sent, got: got.result ?? { code: got.code, error: got.error } };
  if (!got.result) {
    if (got.code !== undefined) rec.pass(RULE, `${what} was refused with error ${String(got.code)}`, 'modern');
    else rec.skip(RULE, `not judged: ${what} got no answer (${got.error ?? 'none'})`, 'modern');
    return;
  }
  if (got.result.resultType === 'input_required') {
    rec.pass(RULE, `${what} was answered input_required again: the altered state was not taken`, 'modern');
    return;
  }
  if (comparable(got.result) === comparable(round.result)) {
    rec.pass(RULE, `${what} completed with the genuine retry's result: the altered state changed nothing`, 'modern');
    return;
  }
  // A result that varies by itself (a time, a counter) is no sign: the same call made again
  // through all its rounds (a fresh state, never the used one) must give the genuine result again.
  const again = await client.callTool(round.tool, args, { timeoutMs }).then((r) => r as unknown as Obj, (error: unknown) => error);
  if (!isObj(again) || again instanceof Error || comparable(again) !== comparable(round.result)) {
    rec.skip(RULE, `not judged: ${what} completed with another result, but ${round.tool} called again through its rounds ${isObj(again) && !(again instanceof Error) ? 'gave another result too' : `failed (${again instanceof Error ? again.message : String(again)})`}, so a result the altered state changed cannot be told from one that varies by itself`, 'modern');
    return;
  }
  rec.fail(RULE, `${what} completed with a result other than the genuine retry's: the server acted on a requestState it did not verify (it must reject state that fails verification when the state steers the call)`, shown, 'modern');
}
