/**
 * The HMAC-SHA256 that seals multi round-trip states (request-state.ts). Web Crypto everywhere;
 * where the runtime offers `node:crypto` without an import (`process.getBuiltinModule`: Node
 * >= 20.16, Bun, Deno) the MAC is computed synchronously instead. What that buys: Web Crypto
 * runs each sign or verify as a job on the thread pool and resolves a promise afterwards, a
 * trip that cost more in latency than in CPU (the m-f row's server sat ~45% idle in its cpu
 * profile, waiting on those jobs); an HMAC of a few hundred bytes is a few microseconds inline.
 */
import type * as NodeCrypto from 'node:crypto';

/**
 * Signs and checks with one key. Text is MAC'd as its UTF-8 bytes; the inline path hands it to
 * the HMAC as it is (a `TextEncoder.encode` of the ~400-byte input per sign or verify was
 * about as costly as the HMAC itself).
 */
export interface StateMac {
  sign(data: string | Uint8Array): Promise<Uint8Array>;
  /** Constant-time comparison of `mac` with the MAC of `data`. */
  verify(mac: Uint8Array, data: string | Uint8Array): Promise<boolean>;
}

const encoder = new TextEncoder();
const bytes = (data: string | Uint8Array): Uint8Array<ArrayBuffer> => (typeof data === 'string' ? encoder.encode(data) : data) as Uint8Array<ArrayBuffer>;

type BuiltinLoader = (id: 'node:crypto') => typeof NodeCrypto | undefined;

function nodeCrypto(): typeof NodeCrypto | undefined {
  const load = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process?.getBuiltinModule;
  try {
    return typeof load === 'function' ? load('node:crypto') : undefined;
  } catch {
    return undefined; // a runtime that names the function but has no such module: Web Crypto
  }
}

/** A {@link StateMac} over the raw key `key` (copied); `webCrypto` forces the portable path. */
export function createStateMac(key: Uint8Array, options: { webCrypto?: boolean } = {}): StateMac {
  const node = options.webCrypto ? undefined : nodeCrypto();
  if (node) {
    const secret = node.createSecretKey(Uint8Array.from(key));
    const mac = (data: string | Uint8Array) => new Uint8Array(node.createHmac('sha256', secret).update(data).digest());
    return {
      sign: async (data) => mac(data),
      verify: async (given, data) => {
        const expected = mac(data);
        return given.byteLength === expected.byteLength && node.timingSafeEqual(given, expected);
      },
    };
  }
  const imported = crypto.subtle.importKey('raw', Uint8Array.from(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    sign: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', await imported, bytes(data))),
    verify: async (given, data) => crypto.subtle.verify('HMAC', await imported, given as Uint8Array<ArrayBuffer>, bytes(data)),
  };
}
