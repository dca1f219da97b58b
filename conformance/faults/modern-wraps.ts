/**
 * Wrappers the 2026-07-28 fault servers are made of: a request's body read before the handler
 * reads it, replies to one method rewritten, a request's `_meta` changed, messages sent before a
 * reply. Test-only.
 */
import { mapResponseMessages, type MessageMapper } from '../check/rewrite.ts';
import { legacy, type Fault } from './servers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The JSON-RPC body of a POST (undefined for other requests or bodies). */
export async function bodyOf(request: Request): Promise<Obj | undefined> {
  if (request.method !== 'POST') return undefined;
  try {
    return JSON.parse(await request.clone().text()) as Obj;
  } catch {
    return undefined;
  }
}

/** The messages of the replies to modern `method` requests passed through `map`; the rest untouched. */
export function mapModern(method: string, map: (m: Obj, request: Obj) => ReturnType<MessageMapper>): Fault['wrap'] {
  return (inner) => async (r) => {
    const body = await bodyOf(r); // before the handler reads the body
    const response = await inner(r);
    if (legacy(r) || body?.method !== method) return response;
    return mapResponseMessages(response, (m) => map(m, body));
  };
}

/** A modern request with its `_meta` replaced by `change` (undefined: as it came); others as they are. */
export async function withMeta(request: Request, change: (meta: Obj) => Obj | undefined): Promise<Request> {
  const body = await bodyOf(request);
  if (legacy(request) || !isObj(body?.params) || !isObj(body.params._meta)) return request;
  const meta = change(body.params._meta);
  return meta === undefined ? request : new Request(request, { body: JSON.stringify({ ...body, params: { ...body.params, _meta: meta } }) });
}

/**
 * Replies to modern tools/call with the messages `before` makes of the answer sent first, on an
 * SSE stream (a JSON answer is turned into one); the rest untouched.
 */
export function precedeCallReplies(before: (answer: Obj, request: Obj) => Obj[], method = 'tools/call'): Fault['wrap'] {
  return (inner) => async (r) => {
    const body = await bodyOf(r);
    const response = await inner(r);
    if (legacy(r) || body?.method !== method || !(response.headers.get('content-type') ?? '').startsWith('application/json')) return response;
    const answer = JSON.parse(await response.text()) as Obj;
    const headers = new Headers(response.headers);
    headers.set('content-type', 'text/event-stream');
    headers.delete('content-length');
    return new Response([...before(answer, body), answer].map((m) => `data: ${JSON.stringify(m)}\n\n`).join(''), { status: response.status, headers });
  };
}
