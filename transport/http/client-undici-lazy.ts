/**
 * The undici exchanger (client-undici.ts), loaded with `import()` when the first HTTP client
 * transport starts rather than when mcpwire/client is imported: undici is ~520 KB minified,
 * ten times the client, and a client that only spawns stdio servers never needs it. A bundler
 * that splits code (esbuild --splitting, webpack, rollup) puts it in a chunk of its own
 * (issue #20 item 3; `npm run size`). Once loaded, a send costs one extra call.
 */
import type { Dispatcher } from 'undici';
import type { ClientReply, Exchange, Exchanger, OutboundRequest } from './client-exchange.ts';
import { loadOnce } from '../../protocol/load-once.ts';

type UndiciModule = typeof import('./client-undici.ts');

const undiciModule = loadOnce(() => import('./client-undici.ts'));

/** Load client-undici.ts (and undici) once per process; resolves when it is there (a failed load is tried again). */
export function loadUndiciExchanger(): Promise<UndiciModule> {
  return undiciModule.load();
}

/** An exchange sent before undici was loaded: it goes out once the module is there. */
class PendingExchange implements Exchange {
  aborted = false;
  readonly head: Promise<ClientReply>;
  #inner: Exchange | undefined;
  #reject!: (error: Error) => void;

  constructor(exchanger: Promise<Exchanger>, request: OutboundRequest, pending: Set<PendingExchange>) {
    pending.add(this);
    this.head = new Promise<ClientReply>((resolve, reject) => {
      this.#reject = reject;
      exchanger.then((real) => {
        pending.delete(this);
        if (this.aborted) return;
        this.#inner = real.send(request);
        this.#inner.head.then(resolve, reject);
      }, (error: unknown) => {
        pending.delete(this);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  get ended(): boolean {
    return this.#inner?.ended ?? false;
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    if (this.#inner) this.#inner.abort(reason);
    else this.#reject(reason);
  }
}

/**
 * An {@link Exchanger} to `url` over undici (`dispatcher`, or the process's shared pool),
 * which loads undici on its first send unless {@link loadUndiciExchanger} already did.
 */
export function createLazyUndiciExchanger(url: string, dispatcher?: Dispatcher): Exchanger {
  let real: Exchanger | undefined;
  const make = (module: UndiciModule): Exchanger => (real ??= module.createUndiciExchanger(url, dispatcher));
  const pending = new Set<PendingExchange>();
  return {
    send(request) {
      if (undiciModule.loaded) return make(undiciModule.loaded).send(request);
      return new PendingExchange(loadUndiciExchanger().then(make), request, pending);
    },
    async close() {
      const reason = new Error('the HTTP client closed');
      for (const exchange of [...pending]) exchange.abort(reason);
      await real?.close();
    },
  };
}
