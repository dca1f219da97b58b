/**
 * A fetch Response's body as UTF-8 text within a byte bound, for documents read from peers
 * that may be hostile (authorization metadata): `Response.text()` reads to the end first,
 * so an endless body held memory until the request timed out.
 */

/** The body of `response` as text, or `undefined` once it passes `maxBytes` (the rest is not read). */
export async function boundedText(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) return undefined;
      chunks.push(next.value);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(whole);
}

/** Default bound on an authorization server's reply read by the resource server (introspection's `maxReplyBytes`). */
export const MAX_AUTH_REPLY_BYTES = 256 * 1024;

/** The body of `response` parsed as JSON, or `undefined` when it is not JSON or passes `maxBytes`. */
export async function boundedJson(response: Response, maxBytes: number): Promise<unknown> {
  const text = await boundedText(response, maxBytes);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
