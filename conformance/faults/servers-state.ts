/**
 * Deliberately broken servers, 2026-07-28 `requestState` defects (basic/patterns/mrtr: servers
 * "MUST treat requestState as attacker-controlled input"), part of MODERN_FAULTS
 * (servers-modern.ts). Test-only.
 */
import { mapResponseMessages } from '../check/rewrite.ts';
import { legacy, withModernBody, type Fault } from './servers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The greeting the fault's state carries, and the (sealed) state of the server inside it. */
interface OpenState {
  readonly greeting: string;
  readonly s: string;
}

/** A state the wrapper made, read back without any check: base64url of JSON, as naive servers keep it. */
function openState(text: string): OpenState | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return isObj(parsed) && typeof parsed.greeting === 'string' && typeof parsed.s === 'string' ? { greeting: parsed.greeting, s: parsed.s } : undefined;
  } catch {
    return undefined;
  }
}

/** A tools/call's params (undefined for any other message). */
async function callParams(request: Request): Promise<Obj | undefined> {
  if (request.method !== 'POST') return undefined;
  const body: unknown = await request.clone().json().catch(() => undefined);
  return isObj(body) && body.method === 'tools/call' && isObj(body.params) ? body.params : undefined;
}

/**
 * A server that keeps what the retry needs (the greeting of the answer) in a requestState of
 * plain base64url JSON and believes whatever comes back: the server's own sealed state rides
 * inside it, so only the greeting is open to an attacker. `opens(params)`: whether the state
 * answering a call with these params is wrapped so.
 */
function trusting(opens: (params: Obj) => boolean): Fault['wrap'] {
  return (inner) => async (r) => {
    const params = legacy(r) ? undefined : await callParams(r);
    if (params === undefined) return inner(r);
    const opened = typeof params.requestState === 'string' ? openState(params.requestState) : undefined;
    const request = opened === undefined ? r : await withModernBody(r, (b) => ({ ...b, params: { ...params, requestState: opened.s } }));
    return mapResponseMessages(await inner(request), (m) => {
      if (!isObj(m.result)) return m;
      if (m.result.resultType === 'input_required' && typeof m.result.requestState === 'string') {
        if (!opens(params)) return m;
        const state = Buffer.from(JSON.stringify({ greeting: 'hello', s: m.result.requestState }), 'utf8').toString('base64url');
        return { ...m, result: { ...m.result, requestState: state } };
      }
      if (opened === undefined || !Array.isArray(m.result.content)) return m;
      const content = m.result.content.map((c: unknown) => (isObj(c) && typeof c.text === 'string' ? { ...c, text: c.text.replace(/^hello /, `${opened.greeting} `) } : c));
      return { ...m, result: { ...m.result, content } };
    });
  };
}

/** The requestState defects, one each. */
export const STATE_FAULTS: readonly Fault[] = [
  {
    name: 'request-state-trusted', defect: 'a 2026-07-28 requestState is base64url JSON read back unverified: a retry with its greeting altered is served with that greeting', expect: 'modern.request-state',
    wrap: trusting(() => true),
  },
  {
    // Only the state of a later round (the answer to a retry) is open: ask_two's second; ask_name's one round keeps the server's sealed state.
    name: 'request-state-trusted-second-round', twoRoundTool: true, defect: 'a 2026-07-28 requestState given in a second input round is base64url JSON read back unverified (the first round\'s is sealed): ask_two\'s second retry with its greeting altered is served with that greeting', expect: 'modern.request-state',
    wrap: trusting((params) => typeof params.requestState === 'string'),
  },
];
