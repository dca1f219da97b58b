/**
 * The transport's side of a peer engine (peer.ts): the four handlers a Transport calls,
 * as methods of one small object per engine, reaching the engine's private methods through
 * hooks the engine installs once (its static block).
 */
import type { RequestId } from './jsonrpc.ts';
import type { MessageExtra, TransportHandlers } from './transport.ts';

/** The engine's private entry points, installed by the engine class itself. */
export interface EngineHooks<E> {
  receive(engine: E, payload: unknown, extra: MessageExtra | undefined): void;
  transportClosed(engine: E, error: Error | undefined): void;
  reportError(engine: E, error: Error): void;
  requestFailed(engine: E, id: RequestId, error: Error, method: string | undefined): void;
}

// One engine class per process installs them; typed loosely here so this file needs no engine type.
let hooks: EngineHooks<object>;

/** Called once by the engine class, before any engine exists. */
export function installEngineHooks<E extends object>(installed: EngineHooks<E>): void {
  hooks = installed as unknown as EngineHooks<object>;
}

/**
 * The transport's handlers of one engine: methods on this prototype around one reference,
 * rather than four closures and their context per peer (a server keeps a peer per idle
 * HTTP session). Transports call them as methods of the handlers object.
 */
export class EngineHandlers implements TransportHandlers {
  readonly #engine: object;
  constructor(engine: object) { this.#engine = engine; }
  onMessage(payload: unknown, extra?: MessageExtra): void { hooks.receive(this.#engine, payload, extra); }
  onError(error: Error): void { hooks.reportError(this.#engine, error); }
  onRequestFailed(id: RequestId, error: Error, method?: string): void { hooks.requestFailed(this.#engine, id, error, method); }
  onClose(error?: Error): void { hooks.transportClosed(this.#engine, error); }
}
