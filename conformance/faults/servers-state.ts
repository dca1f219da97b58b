/**
 * Deliberately broken servers, 2026-07-28 `requestState` defects (basic/patterns/mrtr: servers
 * "MUST treat requestState as attacker-controlled input"), part of MODERN_FAULTS
 * (servers-modern.ts). Test-only.
 */
import { createHmac, randomBytes } from 'node:crypto';
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

/** An open state of the nonce fault: the greeting, the server's sealed state, and (from the second round on) a MAC over both. */
interface MarkedState extends OpenState { readonly mac?: string }

function markedState(text: string): MarkedState | undefined {
  const open = openState(text);
  if (open === undefined) return undefined;
  const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Obj;
  return typeof parsed.mac === 'string' ? { ...open, mac: parsed.mac } : open;
}

/**
 * ask_two's states carry the greeting in base64url JSON, and each round's asks a fresh nonce in
 * their message (a reference the server would log). The state of the second round is sealed
 * (an HMAC over the greeting and the server's state, checked on the way back); the first
 * round's is not, and what it carries is sealed into the second: an altered first round is
 * asked the second round (with its own nonce) and then served with the altered greeting.
 */
function trustingFirstRound(): Fault['wrap'] {
  const key = randomBytes(32);
  const mac = (greeting: string, inner: string) => createHmac('sha256', key).update(`${greeting}\n${inner}`).digest('base64url');
  const seal = (state: MarkedState) => Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return (inner) => async (r) => {
    const params = legacy(r) ? undefined : await callParams(r);
    if (params === undefined || params.name !== 'ask_two') return inner(r);
    const opened = typeof params.requestState === 'string' ? markedState(params.requestState) : undefined;
    if (opened?.mac !== undefined && opened.mac !== mac(opened.greeting, opened.s)) {
      const { id } = (await r.clone().json()) as Obj;
      return Response.json({ jsonrpc: '2.0', id, error: { code: -32602, message: 'requestState failed verification' } });
    }
    const request = opened === undefined ? r : await withModernBody(r, (b) => ({ ...b, params: { ...params, requestState: opened.s } }));
    return mapResponseMessages(await inner(request), (m) => {
      if (!isObj(m.result)) return m;
      if (m.result.resultType === 'input_required' && typeof m.result.requestState === 'string') {
        const greeting = opened?.greeting ?? 'hello';
        const state = seal(opened === undefined ? { greeting, s: m.result.requestState } : { greeting, s: m.result.requestState, mac: mac(greeting, m.result.requestState) });
        const asks = isObj(m.result.inputRequests) ? m.result.inputRequests : {};
        const inputRequests = Object.fromEntries(Object.entries(asks).map(([k, ask]) => [k, isObj(ask) && isObj(ask.params) && typeof ask.params.message === 'string' ? { ...ask, params: { ...ask.params, message: `${ask.params.message} (ref ${randomBytes(4).toString('hex')})` } } : ask]));
        return { ...m, result: { ...m.result, inputRequests, requestState: state } };
      }
      if (opened === undefined || !Array.isArray(m.result.content)) return m;
      const content = m.result.content.map((c: unknown) => (isObj(c) && typeof c.text === 'string' ? { ...c, text: c.text.replace(/^hello /, `${opened.greeting} `) } : c));
      return { ...m, result: { ...m.result, content } };
    });
  };
}

/** The id of a JSON-RPC request (undefined when the body is not one). */
async function requestId(request: Request): Promise<unknown> {
  const body: unknown = await request.clone().json().catch(() => undefined);
  return isObj(body) ? body.id : undefined;
}

/**
 * A server that keeps the arguments a call began with (by the states it issued for them) and
 * serves a retry with those, whatever arguments the retry carries: its states are sealed but
 * not bound to the params, so a state moved to other arguments completes the original call.
 */
function unboundToParams(): Fault['wrap'] {
  const issuedFor = new Map<string, unknown>(); // requestState -> the arguments of the call it answered
  return (inner) => async (r) => {
    const params = legacy(r) ? undefined : await callParams(r);
    if (params === undefined) return inner(r);
    const state = typeof params.requestState === 'string' ? params.requestState : undefined;
    const kept = state === undefined ? undefined : issuedFor.get(state);
    const request = kept === undefined ? r : await withModernBody(r, (b) => ({ ...b, params: { ...params, arguments: kept } }));
    return mapResponseMessages(await inner(request), (m) => {
      if (isObj(m.result) && m.result.resultType === 'input_required' && typeof m.result.requestState === 'string') issuedFor.set(m.result.requestState, kept ?? params.arguments ?? {});
      return m;
    });
  };
}

/**
 * A server whose states are sealed and bound to the arguments, but not to the tool: it keeps the
 * tool each state was issued for and serves a retry carrying that state as a call of that tool,
 * whatever name the retry carries (a state moved to another tool with the same arguments
 * completes the original call).
 */
function unboundToTool(): Fault['wrap'] {
  const issuedFor = new Map<string, unknown>(); // requestState -> the tool of the call it answered
  return (inner) => async (r) => {
    const params = legacy(r) ? undefined : await callParams(r);
    if (params === undefined) return inner(r);
    const kept = typeof params.requestState === 'string' ? issuedFor.get(params.requestState) : undefined;
    let request = r;
    if (typeof kept === 'string') {
      // The Mcp-Name header follows the body (2026-07-28 basic/transports: a mismatch is -32020 before any state is read).
      const moved = await withModernBody(r, (b) => ({ ...b, params: { ...params, name: kept } }));
      const headers = new Headers(moved.headers);
      headers.set('mcp-name', kept);
      request = new Request(moved, { headers });
    }
    return mapResponseMessages(await inner(request), (m) => {
      if (isObj(m.result) && m.result.resultType === 'input_required' && typeof m.result.requestState === 'string') issuedFor.set(m.result.requestState, kept ?? params.name);
      return m;
    });
  };
}

/**
 * A server whose states are sealed and bound, but that remembers each completed retry's result
 * by its requestState and serves it again to a retry carrying that state: no single use.
 */
function servesUsedState(): Fault['wrap'] {
  const completed = new Map<string, unknown>(); // requestState -> the result its retry completed with
  return (inner) => async (r) => {
    const params = legacy(r) ? undefined : await callParams(r);
    const state = typeof params?.requestState === 'string' ? params.requestState : undefined;
    if (state === undefined) return inner(r);
    const done = completed.get(state);
    if (done !== undefined) return Response.json({ jsonrpc: '2.0', id: await requestId(r), result: done });
    return mapResponseMessages(await inner(r), (m) => {
      if (isObj(m.result) && m.result.resultType !== 'input_required' && 'id' in m) completed.set(state, m.result);
      return m;
    });
  };
}

/**
 * The single-use fault apart: `modern.request-state-single-use` is info (the spec's "if needed"),
 * so it fails no MUST or SHOULD rule and is asserted on its own (faults-modern.test.ts).
 */
export const REPLAY_FAULT: Fault = {
  name: 'request-state-reusable', defect: 'a 2026-07-28 requestState is sealed and bound to its params but not single use: a replay of a completed call\'s last retry is served its result again', expect: 'modern.request-state-single-use',
  wrap: servesUsedState(),
};

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
  {
    // The asks vary by themselves (a nonce): an altered round is told from the genuine next one by more than its JSON.
    name: 'request-state-trusted-first-round-nonce', twoRoundTool: true, defect: 'a 2026-07-28 requestState of ask_two\'s first round is base64url JSON read back unverified (the second round\'s is sealed, and carries on what the first said), and each round\'s asks hold a fresh nonce: a first retry with its greeting altered is asked the second round and then served with that greeting', expect: 'modern.request-state',
    wrap: trustingFirstRound(),
  },
  {
    name: 'request-state-unbound', defect: 'a 2026-07-28 requestState is sealed and single use but not bound to the params: a fresh state moved to a retry with other arguments completes the original call', expect: 'modern.request-state-bound',
    wrap: unboundToParams(),
  },
  {
    // Both tools take no arguments: moved to ask_two with its own ({}), the state's arguments match.
    name: 'request-state-tool-unbound', twoRoundTool: true, defect: 'a 2026-07-28 requestState is sealed and bound to the arguments but not to the tool: a fresh state of ask_name moved to a call of ask_two completes ask_name', expect: 'modern.request-state-bound',
    wrap: unboundToTool(),
  },
];
