/**
 * The transports this library makes. Here and not in protocol/, which compiles with no Node
 * typings: `Symbol.asyncDispose` is typed by @types/node (or lib esnext.disposable).
 */
import type { Transport } from '../protocol/index.ts';

/** A transport made by this library: `close()` is also `[Symbol.asyncDispose]`, for `await using`. */
export interface DisposableTransport extends Transport {
  [Symbol.asyncDispose](): Promise<void>;
}
