/**
 * `createModernDispatcher`: the 2026-07-28 dispatcher (modern/dispatcher.ts), loaded with
 * `import()` on its first message, so a server whose clients all speak 2025 never loads it
 * (issue #20 item 3: the dispatcher, its listen streams, multi round-trip state and the tasks
 * extension's wire are ~25 KB of a bundle). The first message waits for the load and is then
 * served as any other; messages arriving during the load wait for the same load. A load that
 * fails answers the message that waited for it with -32603 (HTTP 500), is reported through
 * `onError`, and is tried again by the next message.
 *
 * Nothing reachable from the package's entry points may import modern/dispatcher.ts
 * statically, or a bundler puts it back in the start set (bench/size.test.ts checks).
 */
import { ErrorCode, type RequestId } from '../protocol/index.ts';
import { makeErrorResponse } from '../protocol/jsonrpc.ts';
import { loadOnce } from '../protocol/load-once.ts';
import { MODERN_PROTOCOL_VERSION } from '../protocol/versions.ts';
import type { ModernAnswer, ModernCall, ModernDispatcher, ModernDispatcherOptions, ModernServerParts } from './modern/dispatcher.ts';
import type { ServedEra, ServeErasOptions } from './modern/serve-eras.ts';
import type { Transport } from '../protocol/index.ts';
import type { McpServer } from './server.ts';
import { checkModernOptions } from './modern-options.ts';
import { checkTransport, shown } from '../protocol/wrong-arguments.ts';

/** The dispatcher's module, loaded once per process. */
export type DispatcherModule = typeof import('./modern/dispatcher.ts');
const dispatcherModule = loadOnce(() => import('./modern/dispatcher.ts'));

/** The dispatcher's module; a failed load is forgotten, so the next call tries again. */
export function loadModernDispatcher(): Promise<DispatcherModule> {
  return dispatcherModule.load();
}

/** The id of `message` when it has one, for the error answer of a failed load. */
function idOf(message: unknown): RequestId | null {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * Create the 2026-07-28 dispatcher of a server (see the module comment: its code loads on the
 * first message). Its options are checked at once (modern-options.ts): a RangeError or TypeError
 * naming a bad one, such as a requestState key under 32 bytes. `onError` hears a failed load
 * (the message that waited for it gets -32603).
 */
export function createModernDispatcher(
  server: ModernServerParts, options: ModernDispatcherOptions = {}, onError?: (error: Error) => void,
): ModernDispatcher {
  checkModernOptions(options, '');
  return lazyDispatcher(server, options, onError, loadModernDispatcher);
}

/** {@link createModernDispatcher} with the module's loader given (tests give one that fails). */
export function lazyDispatcher(
  server: ModernServerParts, options: ModernDispatcherOptions, onError: ((error: Error) => void) | undefined,
  load: () => Promise<DispatcherModule>,
): ModernDispatcher {
  let dispatcher: ModernDispatcher | undefined;
  let closed = false;
  const make = (module: DispatcherModule): ModernDispatcher => {
    if (!dispatcher) {
      dispatcher = module.createModernDispatcher(server, options);
      if (closed) dispatcher.close();
    }
    return dispatcher;
  };
  async function handleAfterLoad(message: unknown, call: ModernCall | undefined): Promise<ModernAnswer | undefined> {
    let module: DispatcherModule;
    try {
      module = await load();
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      onError?.(cause);
      const wire = { code: ErrorCode.InternalError, message: `Internal error: the 2026-07-28 dispatcher did not load: ${cause.message}` };
      return { message: makeErrorResponse(idOf(message), wire), status: 500 };
    }
    return make(module).handle(message, call);
  }
  // modern/envelope.ts MODERN_VERSIONS, without loading it (test/lazy-modern.test.ts compares them).
  const versions = [MODERN_PROTOCOL_VERSION, ...(options.legacyVersions ?? [])];
  return {
    get supportedVersions() {
      return dispatcher?.supportedVersions ?? versions;
    },
    handle(message, call) {
      // Once loaded, straight through: no extra promise per message.
      if (dispatcher) return dispatcher.handle(message, call);
      if (dispatcherModule.loaded && load === loadModernDispatcher) return make(dispatcherModule.loaded).handle(message, call);
      return handleAfterLoad(message, call);
    },
    close() {
      closed = true;
      dispatcher?.close();
    },
  };
}

/**
 * Serve one byte-stream transport (stdio) in whichever era its client speaks (see
 * modern/serve-eras.ts, loaded with `import()` by the first call; the transport starts once
 * it is loaded, and a failed load rejects the returned promise, as do bad `modern` options,
 * before the transport starts).
 */
export async function serveEras(server: McpServer, transport: Transport, options?: ServeErasOptions): Promise<ServedEra> {
  // Refused before the era's code loads: a missing server failed only at the first message,
  // a missing transport inside it ("reading 'start'").
  if (typeof server?.connect !== 'function') throw new TypeError(`serveEras: server must be an McpServer (createServer), got ${shown(server)}`);
  checkTransport(transport);
  if (options?.modern) checkModernOptions(options.modern);
  // A misspelt mode ('modren') would serve both eras unsaid (as createMcpHttpHandler's eras).
  if (options?.eras !== undefined && options.eras !== 'both' && options.eras !== 'modern') throw new RangeError(`serveEras: eras must be 'both' or 'modern', got ${JSON.stringify(options.eras)}`);
  const module = await import('./modern/serve-eras.ts');
  return module.serveEras(server, transport, options);
}
