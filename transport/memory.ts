/**
 * A linked pair of in-memory transports, for tests and for running a client and a server in
 * one process. It emulates a wire: every message is serialised with `JSON.stringify` when
 * sent and parsed again when delivered, so the two ends never share an object and a message
 * that cannot be serialised makes `send` reject.
 */
import {
  LocalErrorCode, McpError,
  type JsonRpcMessage, type SendOptions, type TransportHandlers,
} from '../protocol/index.ts';
import type { DisposableTransport } from './disposable.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, positiveIntegerOption } from '../protocol/limits.ts';

/** Options of {@link createMemoryPair}. */
export interface MemoryTransportOptions {
  /** Largest serialised message (UTF-8 bytes) `send` accepts. Default 4 MiB. */
  maxMessageBytes?: number;
}

type Item = { kind: 'message'; text: string } | { kind: 'close' };

interface End {
  handlers: TransportHandlers | undefined;
  /** Messages (and finally the close event) waiting to be delivered to this end. */
  inbox: Item[];
  scheduled: boolean;
  /** No more sends from either end. */
  closed: boolean;
  /** `onClose` was called (or is due and this end never started). */
  closeDelivered: boolean;
  /** This end closed itself before it started: `start` rejects. */
  closedBeforeStart: boolean;
  whenCloseDelivered: Promise<void>;
  markCloseDelivered: () => void;
}

function newEnd(): End {
  let markCloseDelivered!: () => void;
  const whenCloseDelivered = new Promise<void>((resolve) => (markCloseDelivered = resolve));
  return {
    handlers: undefined, inbox: [], scheduled: false, closed: false, closeDelivered: false,
    closedBeforeStart: false, whenCloseDelivered, markCloseDelivered,
  };
}

/**
 * Create two linked transports: what one sends, the other receives. Delivery is
 * asynchronous (a microtask) and in order; messages sent before the receiving end starts
 * wait for it. Closing either end closes both: each end's `onClose` is called exactly once,
 * after the messages already sent to it.
 */
export function createMemoryPair(options: MemoryTransportOptions = {}): [DisposableTransport, DisposableTransport] {
  const maxMessageBytes = positiveIntegerOption('maxMessageBytes', options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
  const ends: [End, End] = [newEnd(), newEnd()];
  let closing: Promise<void> | undefined;

  function drain(end: End): void {
    end.scheduled = false;
    const handlers = end.handlers;
    if (!handlers) return;
    while (end.inbox.length > 0) {
      const item = end.inbox.shift()!;
      if (item.kind === 'close') {
        end.inbox.length = 0;
        deliverClose(end);
        return;
      }
      try {
        handlers.onMessage(JSON.parse(item.text));
      } catch (error) {
        handlers.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  function schedule(end: End): void {
    if (end.scheduled || !end.handlers) return;
    end.scheduled = true;
    queueMicrotask(() => drain(end));
  }

  function deliverClose(end: End): void {
    if (end.closeDelivered) return;
    end.closeDelivered = true;
    end.markCloseDelivered();
    end.handlers?.onClose();
  }

  function closePair(self: End, peer: End): Promise<void> {
    if (closing) return closing;
    self.closed = peer.closed = true;
    // The closing end stops receiving at once; the peer first gets what was already sent to it.
    self.inbox.length = 0;
    if (self.handlers) deliverClose(self);
    else self.closedBeforeStart = true;
    peer.inbox.push({ kind: 'close' });
    schedule(peer);
    closing = (async () => {
      if (peer.handlers) await peer.whenCloseDelivered;
    })();
    return closing;
  }

  function makeTransport(self: End, peer: End): DisposableTransport {
    return {
      async start(handlers: TransportHandlers): Promise<void> {
        if (self.handlers) throw new McpError(LocalErrorCode.State, 'memory transport already started');
        if (self.closedBeforeStart) throw new McpError(LocalErrorCode.Closed, 'memory transport is closed');
        self.handlers = handlers;
        schedule(self);
      },

      async send(message: JsonRpcMessage | JsonRpcMessage[], _options?: SendOptions): Promise<void> {
        if (self.closed) throw new McpError(LocalErrorCode.Closed, 'memory transport is closed');
        const text: unknown = JSON.stringify(message);
        if (typeof text !== 'string') throw new TypeError('message is not serialisable as JSON');
        const bytes = Buffer.byteLength(text, 'utf8');
        if (bytes > maxMessageBytes) {
          throw new McpError(LocalErrorCode.MessageTooLarge, `message of ${bytes} bytes exceeds the limit of ${maxMessageBytes} bytes`);
        }
        peer.inbox.push({ kind: 'message', text });
        schedule(peer);
      },

      async close(): Promise<void> {
        await closePair(self, peer);
      },

      async [Symbol.asyncDispose](): Promise<void> {
        await closePair(self, peer);
      },
    };
  }

  return [makeTransport(ends[0], ends[1]), makeTransport(ends[1], ends[0])];
}
