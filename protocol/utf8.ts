/**
 * Where bytes stop being UTF-8. "JSON-RPC messages MUST be UTF-8 encoded" (2025-11-25
 * basic/transports; RFC 8259 section 8.1): a body that is not is refused with the offset of
 * its first bad byte, rather than decoded with U+FFFD in place of its bad bytes, which would
 * hand a tool arguments the client never sent.
 */

// ignoreBOM keeps a leading BOM in the text: JSON.parse refuses it. fatal: as quick as Buffer's
// toString on Node 20 for a small call's body (measured), and no node: import.
const strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

/** `bytes` as text, or a {@link NotUtf8Error} thrown naming the first bad byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw new NotUtf8Error(bytes, firstInvalidUtf8(bytes));
  }
}

/**
 * The fast path of every lossy decode that must refuse bytes that are not UTF-8: `text` is
 * `bytes` decoded with U+FFFD in place of bad bytes. Only a text that holds U+FFFD has its
 * bytes checked (an invalid byte always decodes to one; a real U+FFFD, EF BF BD, passes), so
 * the usual text costs one scan. The error naming the first bad byte, or undefined.
 */
export function notUtf8In(text: string, bytes: Uint8Array, what?: string): NotUtf8Error | undefined {
  if (text.indexOf('\uFFFD') === -1) return undefined;
  const at = firstInvalidUtf8(bytes);
  return at === -1 ? undefined : new NotUtf8Error(bytes, at, what);
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    // RFC 3629 section 4: the second byte's range depends on the first (no overlongs, no surrogates, nothing past U+10FFFF).
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; else if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; else if (b === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Bytes that are not UTF-8 (a request body, a reply, a stdio line): where, and the byte found
 * there. `what` names them in the message ("the body" unless given).
 */
export class NotUtf8Error extends Error {
  readonly offset: number;
  /** The byte found there. */
  readonly byte: number;
  /** How many bytes there were. */
  readonly byteLength: number;
  constructor(bytes: Uint8Array, offset: number, what = 'the body') {
    const found = bytes[offset] ?? 0;
    super(`${what} is not valid UTF-8 (byte 0x${found.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset}); JSON-RPC messages must be UTF-8`);
    this.name = 'NotUtf8Error';
    this.offset = offset;
    this.byte = found;
    this.byteLength = bytes.length;
  }
}
