/**
 * The value encoding of the 2026-07-28 request headers (basic/transports/streamable-http:
 * value encoding), both directions in one place so the client and the server cannot drift:
 * a header value holds visible ASCII, space and tab (RFC 9110 section 5.5); anything else,
 * a value with surrounding whitespace, and a value that already looks like the sentinel
 * travel as `=?base64?<base64 of the UTF-8>?=`, with the markers exactly in lowercase.
 */

/** Visible ASCII with inner spaces, or nothing: what we send as is (a tab is encoded too). */
const SAFE = /^([\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?)?$/;
/** The characters a received value may hold at all (RFC 9110 section 5.5: VCHAR, SP, HTAB). */
const ALLOWED = /^[\t\x20-\x7e]*$/;
/** The sentinel; its markers are case-sensitive (value encoding: "MUST appear exactly as shown"). */
const SENTINEL = /^=\?base64\?(.*)\?=$/;
/** Canonical base64: groups of four, `=` padding only at the end, so one value has one form. */
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A header value for `value`: as is when safe, else the base64 sentinel form. */
export function encodeHeaderValue(value: string): string {
  // Plain ASCII that matches the sentinel pattern MUST be encoded too (value encoding); an
  // upper-case look-alike is encoded as well, for servers that match the markers loosely.
  if (SAFE.test(value) && !/^=\?base64\?.*\?=$/i.test(value)) return value;
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `=?base64?${btoa(binary)}?=`;
}

/**
 * The text a received header value stands for: the payload of `=?base64?...?=` (canonical
 * base64 of UTF-8), otherwise the value itself without surrounding whitespace (RFC 9110
 * section 5.5). Undefined when the value holds a character a header value may not hold
 * (server validation: "a header value contains invalid characters"), or when the sentinel
 * wraps something that is not canonical base64 of UTF-8: the caller answers -32020.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  if (!ALLOWED.test(raw)) return undefined;
  const value = raw.replace(/^[\t ]+|[\t ]+$/g, '');
  const m = SENTINEL.exec(value);
  if (!m) return value;
  const payload = m[1] ?? '';
  if (!CANONICAL_BASE64.test(payload)) return undefined;
  try {
    return utf8.decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
  } catch {
    return undefined; // not UTF-8: the caller reports a malformed header
  }
}
