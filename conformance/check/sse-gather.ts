/**
 * An SSE response read in the background, its JSON-RPC messages gathered as they come (each
 * with its arrival time), for the probes that watch one stream while they act on another: the
 * legacy GET stream beside a call (related-stream.ts), a 2026-07-28 listen beside a cancelled
 * call (modern-cancel.ts). Reading stops at `maxBytes` or when closed.
 */
import { createSseDecoder } from 'mcpwire/transport';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** One gathered message and when it came (Date.now()). */
export interface Gathered { readonly at: number; readonly message: Obj }

/** An open stream being gathered. */
export interface GatheredStream {
  readonly status: number;
  readonly messages: readonly Gathered[];
  /** Resolves once a message satisfies `done` (checked on each arrival), or `ms` pass, or the stream ends. */
  until(done: (m: Obj) => boolean, ms: number): Promise<boolean>;
  close(): void;
}

/**
 * Send `init` to `url` and gather the SSE reply's messages; undefined (the body discarded) when
 * the reply is not an SSE stream within `timeoutMs`.
 */
export async function gatherSse(url: string, init: { method: string; headers: Record<string, string | undefined>; body?: string }, timeoutMs: number, maxBytes: number): Promise<GatheredStream | undefined> {
  const abort = new AbortController();
  const bound = setTimeout(() => abort.abort(), timeoutMs);
  const headers = new Headers();
  for (const [k, v] of Object.entries(init.headers)) if (v !== undefined) headers.set(k, v);
  const response = await fetch(url, { method: init.method, headers, ...(init.body === undefined ? {} : { body: init.body }), signal: abort.signal }).catch(() => undefined);
  clearTimeout(bound);
  if (response?.status !== 200 || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) {
    await response?.body?.cancel().catch(() => undefined);
    abort.abort();
    return undefined;
  }
  const messages: Gathered[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const decoder = createSseDecoder({
    onEvent(e) {
      try { const m = JSON.parse(e.data) as unknown; if (isObj(m)) messages.push({ at: Date.now(), message: m }); } catch { /* priming event */ }
      for (const w of waiters) w();
    },
    onError: () => undefined,
  });
  const reader = response.body.getReader();
  void (async () => {
    let size = 0;
    for (;;) {
      const next = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) { abort.abort(); break; }
      decoder.push(next.value);
    }
    ended = true;
    for (const w of waiters) w();
  })();
  return {
    status: response.status,
    messages,
    until(done, ms) {
      if (messages.some((g) => done(g.message))) return Promise.resolve(true);
      return new Promise((resolve) => {
        const finish = (result: boolean) => { clearTimeout(timer); waiters.delete(check); resolve(result); };
        const check = () => { if (messages.some((g) => done(g.message))) finish(true); else if (ended) finish(false); };
        const timer = setTimeout(() => finish(false), ms);
        waiters.add(check);
        check();
      });
    },
    close: () => { void reader.cancel().catch(() => undefined); abort.abort(); },
  };
}
