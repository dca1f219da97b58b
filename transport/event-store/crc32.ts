/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum on every record of the
 * file store's logs. It detects torn and altered records; it is no defence against a writer
 * who means harm (the state directory is private for that).
 */

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** CRC-32 of `bytes[start, end)`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32End(crc32Update(CRC32_START, bytes, start, end));
}

/** The running state of a CRC-32 before any byte: feed it with the updates, finish with {@link crc32End}. */
export const CRC32_START = -1;

/** The running state `c` after `bytes[start, end)`. */
export function crc32Update(c: number, bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** The running state `c` after the UTF-8 of `text`, or undefined when `text` is not all ASCII (its bytes are then its code units). */
export function crc32UpdateAscii(c: number, text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return undefined;
    c = TABLE[(c ^ code) & 0xff]! ^ (c >>> 8);
  }
  return c;
}

/** The CRC-32 of what the running state `c` was fed. */
export function crc32End(c: number): number {
  return (c ^ -1) >>> 0;
}

/** A CRC-32 as 8 lower-case hex digits. */
export function crc32Hex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return crc32(bytes, start, end).toString(16).padStart(8, '0');
}
