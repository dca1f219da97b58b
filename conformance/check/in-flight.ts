import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';
/**
 * Which request was in flight when a check stopped. A stopped step's finding said only the
 * error ("legacy session checks stopped: fetch failed: other side closed"); the error is now
 * tagged where the request was made (a raw HTTP exchange, the driven session's transport)
 * and the runner names it beside the error, without changing the error's own message (the
 * probes quote that in their findings).
 */

const tags = new WeakMap<object, string>();

/** Note that `error` stopped `what` (the first tag wins: it is the innermost request). */
export function tagInFlight(error: unknown, what: string | undefined): void {
  if (what === undefined || typeof error !== 'object' || error === null || tags.has(error)) return;
  tags.set(error, what);
}

/** What was in flight when `error` (or an error it wraps as its cause) was thrown, if known. */
export function inFlightOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const tag = tags.get(e);
    if (tag !== undefined) return tag;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A JSON-RPC message as a short name: `tools/call (id 7)`, `notifications/initialized`, or `a batch of 2`. */
export function describeMessage(body: unknown): string {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return 'a body that is not JSON';
    }
  }
  if (Array.isArray(value)) return `a batch of ${value.length}`;
  if (!isObj(value)) return 'a body that is not a JSON-RPC message';
  const method = typeof value.method === 'string' ? value.method : 'a response';
  return 'id' in value ? `${method} (id ${JSON.stringify(value.id)})` : method;
}

/** The requests a session has sent and not yet seen answered, oldest first. */
export interface InFlight {
  sent(message: unknown): void;
  received(message: unknown): void;
  /** `tools/call (id 7)`, or several joined with ", "; undefined when none is outstanding. */
  describe(): string | undefined;
}

/** Most outstanding requests named in one description. */
const MAX_NAMED = 3;

export function createInFlight(): InFlight {
  const pending = new Map<string, string>(); // id (JSON) -> description
  return {
    sent(message) {
      if (!isObj(message) || typeof message.method !== 'string' || !('id' in message)) return;
      pending.set(JSON.stringify(message.id), describeMessage(message));
    },
    received(message) {
      if (isObj(message) && !('method' in message) && 'id' in message) pending.delete(JSON.stringify(message.id));
    },
    describe() {
      if (pending.size === 0) return undefined;
      const named = [...pending.values()].slice(-MAX_NAMED);
      return pending.size > MAX_NAMED ? `${named.join(', ')} and ${pending.size - MAX_NAMED} older` : named.join(', ');
    },
  };
}
