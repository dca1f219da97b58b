/**
 * Closing a connection without losing the answer sent on it. A server that answers before it
 * has read the whole request (413 for a body over `maxBodyBytes`) and then closes must not
 * close both directions at once: RFC 9112 section 9.6 ("tear-down") asks it to close its
 * sending side first and keep reading until the client closes too, because closing with
 * unread data makes the kernel send a reset, and a client still writing its body then loses
 * the answer it was sent (it saw `fetch failed`, not 413).
 */
import type { Socket } from 'node:net';

/**
 * Make `socket`'s close (Node's `destroySoon`, called once the last response on a
 * `Connection: close` connection is sent) a lingering one: send FIN, keep reading (Node's
 * parser discards the rest of the request body), and end when the client closes or after
 * `lingerMs`, whichever comes first.
 */
export function lingerOnClose(socket: Socket, lingerMs: number): void {
  // Replacing the method on this one socket is the only hook Node gives: its HTTP server calls
  // `socket.destroySoon()` itself after the response marked `Connection: close`.
  socket.destroySoon = function lingeringClose(this: Socket): void {
    if (this.writable) this.end();
    if (this.destroyed) return;
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}

/** A listen option checked: a non-negative finite number (ms, or a count), else a RangeError naming it. */
export function checkLimit(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number, not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return value;
}
