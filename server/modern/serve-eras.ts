/**
 * Serve one byte-stream transport (stdio) in whichever era its client speaks: the first
 * message decides (2026-07-28 basic/versioning: dual-era servers; `initialize` selects the
 * legacy era for that process). A 2026-07-28 client's requests are answered statelessly by
 * the dispatcher, several at a time, each cancelled by `notifications/cancelled`
 * (2026-07-28 basic/transports/stdio); a legacy client gets a 2025 connection.
 */
import {
  ErrorCode, LocalErrorCode, McpError,
  type JsonRpcMessage, type MessageExtra, type RequestId, type Transport, type TransportHandlers,
} from '../../protocol/index.ts';
import { classifyPayload, isObject, makeErrorResponse, UnparsablePayload } from '../../protocol/jsonrpc.ts';
import type { ConnectOptions, McpServer } from '../server.ts';
import type { ModernCall, ModernDispatcherOptions } from './dispatcher.ts';
import type { NotificationSink } from './modern-request.ts';
import { LazyCancel } from './cancel-source.ts';
// Loads the dispatcher on the first modern message (issue #20 item 3: not in the start set).
import { createModernDispatcher } from '../modern-lazy.ts';
import { claimedVersion } from './envelope.ts';
import type { EraMode } from '../../transport/http/modern-entry.ts';

/** Options of {@link serveEras}. */
export interface ServeErasOptions {
  /** Options of the 2025 connection, when the client turns out to speak that era. */
  connect?: ConnectOptions;
  /** The transport ended (in either era); `reason`: why the server ended a 2025 connection (ConnectOptions.onClose). */
  onEnd?: (reason?: Error) => void;
  /** The 2026-07-28 era's options (cache hints, multi round-trip requests). */
  modern?: ModernDispatcherOptions;
  /** Non-fatal faults of the modern era (a message that could not be sent). */
  onError?: (error: Error) => void;
  /**
   * Serve both eras (default: the first message decides) or the 2026-07-28 era only: every
   * message goes to the stateless dispatcher, so an `initialize` gets -32022 naming the
   * versions served (2026-07-28 basic/versioning: a modern-only server), as over HTTP.
   */
  eras?: EraMode;
}

/** Which era the transport's client turned out to speak. */
export type ServedEra = 'legacy' | 'modern';


/** A 2026-07-28 first message: a request whose `_meta` names a 2026 version, or `server/discover`. */
function opensModern(payload: unknown): boolean {
  if (!isObject(payload) || typeof payload.method !== 'string' || !('id' in payload)) return false;
  const version = claimedVersion(payload.params);
  return payload.method === 'server/discover' || (version !== undefined && version >= '2026-07-28');
}

/**
 * Start serving `transport`; resolves with the era once the first message has arrived, and
 * calls `options.onEnd` when the transport ends.
 */
export function serveEras(server: McpServer, transport: Transport, options: ServeErasOptions = {}): Promise<ServedEra> {
  return new Promise<ServedEra>((resolve, reject) => {
    let route: ((payload: unknown, extra?: MessageExtra, size?: number, text?: string) => void) | undefined;
    let legacyHandlers: TransportHandlers | undefined;
    const early: Array<[unknown, MessageExtra | undefined]> = [];
    const onClose = (error?: Error) => {
      if (!route) reject(new McpError(LocalErrorCode.Closed, 'the transport closed before its first message', { cause: error }));
      if (legacyHandlers) legacyHandlers.onClose(error);
      else {
        modernClose?.();
        options.onEnd?.();
      }
    };
    let modernClose: (() => void) | undefined;
    const decide = (payload: unknown, extra?: MessageExtra, size?: number, text?: string) => {
      if (options.eras === 'modern' || opensModern(payload)) {
        const modern = serveModern(server, transport, options);
        modernClose = modern.close;
        route = modern.receive;
        resolve('modern');
      } else {
        // The legacy connection gets a view of the transport that replays what came first.
        const view: Transport = {
          start: async (handlers) => {
            legacyHandlers = handlers;
            for (const [p, e] of early.splice(0)) handlers.onMessage(p, e);
          },
          send: (message, sendOptions) => transport.send(message, sendOptions),
          close: () => transport.close(),
          setProtocolVersion: (version) => transport.setProtocolVersion?.(version),
        };
        route = (p, e) => (legacyHandlers ? legacyHandlers.onMessage(p, e) : early.push([p, e]));
        const connect = options.connect ?? {};
        const onLegacyClose = connect.onClose;
        server.connect(view, {
          ...connect,
          onClose: (conn, reason) => { onLegacyClose?.(conn, reason); options.onEnd?.(reason); },
        }).then(() => resolve('legacy'), reject);
      }
      route(payload, extra, size, text);
    };
    transport.start({
      // A first line that could not be read says nothing of the era: it decides nothing, so a
      // 2026-07-28 client whose first line was damaged is still served statelessly.
      onMessage: (payload, extra, size, text) => (route ? route(payload, extra, size, text) : payload instanceof UnparsablePayload ? answerUnread(transport, payload, options) : decide(payload, extra, size, text)),
      onClose,
      onError: (error) => (legacyHandlers ? legacyHandlers.onError(error) : options.onError?.(error)),
      // A request of ours that can no longer be answered (stdin ended): the legacy session fails it.
      onRequestFailed: (requestId, error) => legacyHandlers?.onRequestFailed?.(requestId, error),
    }).catch(reject);
  });
}

/**
 * Answer a line that could not be read (not JSON, not UTF-8, nested or sized past a limit) as
 * both eras answer it: -32700 or -32600, with the id when the transport could read one
 * (JSON-RPC 2.0 section 5), reported as the 2025 connection reports it.
 */
function answerUnread(transport: Transport, payload: UnparsablePayload, options: ServeErasOptions): void {
  const inbound = classifyPayload(payload);
  if (inbound.batch || inbound.item.kind !== 'invalid') return; // never: unread bytes are always invalid
  const { item } = inbound;
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));
  report(new McpError(LocalErrorCode.Protocol, `invalid message from peer: ${item.error.message}`));
  transport.send(makeErrorResponse(item.id, item.error)).catch(report);
}

/** The modern era on a transport: each request answered on its own, cancellable by id. */
function serveModern(server: McpServer, transport: Transport, options: ServeErasOptions) {
  const dispatcher = createModernDispatcher(server, options.modern);
  const inFlight = new Map<RequestId, StdioCall>();
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));
  const send = (message: JsonRpcMessage) => transport.send(message).catch(report);
  // One sink for every request (a closure per request was garbage on each call).
  const notify: NotificationSink = (n) => send(n);

  function receive(payload: unknown, _extra?: MessageExtra, size?: number, text?: string): void {
    // Before the isObject test, which a payload object passes: it was taken for a response.
    if (payload instanceof UnparsablePayload) {
      answerUnread(transport, payload, options);
      return;
    }
    if (!isObject(payload)) {
      void dispatcher.handle(payload).then((answer) => answer && send(answer.message));
      return;
    }
    if (payload.method === 'notifications/cancelled') {
      // 2026-07-28 basic/transports/stdio: cancellation is notifications/cancelled.
      const params = isObject(payload.params) ? payload.params : {};
      inFlight.get(params.requestId as RequestId)?.abort(new McpError(LocalErrorCode.Aborted, 'the client cancelled the request'));
      return;
    }
    if (!('method' in payload)) {
      report(new McpError(LocalErrorCode.Protocol, 'a 2026-07-28 client sent a response; this era has no server-to-client requests'));
      return;
    }
    const id = payload.id as RequestId | undefined;
    if (id !== undefined && inFlight.has(id)) {
      // 2026-07-28 basic: "The request ID MUST NOT match the ID of any other request the sender
      // has issued and not yet received a response for." A second one would share its answer's
      // id and take over its cancellation: refused as the 2025 connection refuses it; the
      // first runs on.
      send(makeErrorResponse(id, { code: ErrorCode.InvalidRequest, message: `request id ${JSON.stringify(id)} is already in flight` }));
      return;
    }
    // Its signal is made only if read (a handler's ctx.signal, a listen stream): an
    // AbortController per request was work on every call that never looks.
    const cancel = new StdioCall(notify, size, text);
    if (id !== undefined) inFlight.set(id, cancel);
    // The line's length (stdio): a suspended call is counted by it, `_meta` included (basic/patterns/mrtr).
    // The id is free once the answer is handed to the transport: a client may reuse it as
    // soon as it reads the answer, before the write's callback has run.
    const settle = () => {
      if (id !== undefined && inFlight.get(id) === cancel) inFlight.delete(id);
    };
    // The line's text rides the call: a multi round trip's first round signs its params from it
    // only if the handler asks (no canonical text made for every call). The answer goes as the
    // text the dispatcher writes without the shaped copy, where the transport takes text.
    dispatcher.handle(payload, cancel).then((answer) => {
      settle();
      if (!answer || cancel.aborted) return undefined;
      if (answer.json && transport.sendAnswerText && id !== undefined) return transport.sendAnswerText(id, answer.json()).catch(report);
      return send(answer.message);
    }, (error: unknown) => {
      settle();
      report(error);
    });
  }

  return {
    receive,
    close: () => {
      for (const c of inFlight.values()) c.abort(new McpError(LocalErrorCode.Closed, 'the transport closed'));
      dispatcher.close();
    },
  };
}

/**
 * One stdio request as the dispatcher takes it (ModernCall): its cancellation, made into an
 * AbortSignal only when read (`notifications/cancelled` sets `aborted` either way), its sink,
 * and its line's size and text.
 */
class StdioCall extends LazyCancel implements ModernCall {
  readonly notify: NotificationSink;
  readonly bytes: number | undefined;
  readonly text: string | undefined;

  constructor(notify: NotificationSink, bytes: number | undefined, text: string | undefined) {
    super();
    this.notify = notify;
    this.bytes = bytes;
    this.text = text;
  }
}
