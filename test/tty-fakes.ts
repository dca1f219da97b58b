/**
 * A terminal for tests that run the host in-process on a pseudo-terminal's terms: an input in
 * raw mode that can hang up as Node's tty.ReadStream does, and an output with a width.
 */
import { PassThrough } from 'node:stream';

/** A terminal's input as Node's tty.ReadStream behaves: raw mode, failing once hung up. */
export class TtyInput extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  hungUp = false;
  setRawMode(flag: boolean): this {
    if (this.hungUp) {
      // As node:tty does: the error is emitted, not thrown.
      this.emit('error', Object.assign(new Error('setRawMode EIO'), { code: 'EIO', syscall: 'setRawMode' }));
      return this;
    }
    this.isRaw = flag;
    return this;
  }
}

/** A terminal's output: a width, and whatever is written kept. */
export function ttyOutput(): PassThrough & { columns: number; rows: number; isTTY: true; text(): string } {
  const output = Object.assign(new PassThrough(), { columns: 80, rows: 24, isTTY: true as const });
  let text = '';
  output.setEncoding('utf8').on('data', (d: string) => { text += d; });
  return Object.assign(output, { text: () => text });
}

/** Settles with `promise`, or rejects after `ms` naming `what` (no test waits for ever). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
