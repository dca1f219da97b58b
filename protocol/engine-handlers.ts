/**
 * The transport's side of a peer engine (peer.ts): the four handlers a Transport calls,
 * as methods of one small object per engine, reaching the engine's private methods through
 * hooks the engine installs once (its static block).
 */
import type { RequestId } from './jsonrpc.ts';
import type { MessageExtra, TransportHandlers } from './transport.ts';

// The engine's private entry points, installed once by the engine class (its static block):
// module bindings rather than an object of hooks, one less property load per message.
type Engine = object;
let receive: (engine: Engine, payload: unknown, extra: MessageExtra | undefined) => void;
let transportClosed: (engine: Engine, error: Error | undefined) => void;
let reportError: (engine: Engine, error: Error) => void;
let requestFailed: (engine: Engine, id: RequestId, error: Error, method: string | undefined) => void;

/** Called once by the engine class `E`, before any engine exists, with its four entry points. */
export function installEngineHooks<E extends Engine>(
  onMessage: (engine: E, payload: unknown, extra: MessageExtra | undefined) => void,
  onClose: (engine: E, error: Error | undefined) => void,
  onError: (engine: E, error: Error) => void,
  onRequestFailed: (engine: E, id: RequestId, error: Error, method: string | undefined) => void,
): void {
  receive = onMessage as typeof receive;
  transportClosed = onClose as typeof transportClosed;
  reportError = onError as typeof reportError;
  requestFailed = onRequestFailed as typeof requestFailed;
}

/**
 * The transport's handlers of one engine: methods on this prototype around one reference,
 * rather than four closures and their context per peer (a server keeps a peer per idle
 * HTTP session). Transports call them as methods of the handlers object.
 */
export class EngineHandlers implements TransportHandlers {
  readonly #engine: Engine;
  constructor(engine: Engine) { this.#engine = engine; }
  onMessage(payload: unknown, extra?: MessageExtra): void { receive(this.#engine, payload, extra); }
  onError(error: Error): void { reportError(this.#engine, error); }
  onRequestFailed(id: RequestId, error: Error, method?: string): void { requestFailed(this.#engine, id, error, method); }
  onClose(error?: Error): void { transportClosed(this.#engine, error); }
}
