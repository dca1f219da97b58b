/**
 * A 2026-07-28-only server refuses `initialize` by design (2026-07-28 basic/versioning: a
 * modern-only server names the versions it supports, -32022 `data.supported`, in any error it
 * returns to an `initialize`): its legacy rules are not run, nothing failed. Read here from the
 * error object, for HTTP (http-legacy.ts) and stdio (driver.ts) alike.
 */
import { isObject as isObj } from '../validate-schema-checks.ts';

/** The first version of the stateless era: a server supporting only this and later ones speaks no legacy version. */
const FIRST_MODERN_VERSION = '2026-07-28';

/**
 * The versions an `initialize` error (a JSON-RPC error object, or an error whose `cause` chain
 * holds one) names in `data.supported`, when every one is 2026-07-28 or later; else undefined.
 */
export function modernOnlyVersions(error: unknown): readonly string[] | undefined {
  for (let e = error, depth = 0; isObj(e) && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const data = isObj(e.data) ? e.data : undefined;
    if (!Array.isArray(data?.supported)) continue;
    const supported = data.supported.map(String);
    return supported.length > 0 && supported.every((v) => v >= FIRST_MODERN_VERSION) ? supported : undefined;
  }
  return undefined;
}

/** What the report says of such a refusal (the reason its legacy rules are not run). */
export function legacyRefusal(version: string, code: unknown, speaks: readonly string[]): string {
  return `initialize in ${version} was refused with error ${String(code)}: the server speaks ${speaks.join(', ')} only`;
}

/** The stdio legacy session never opened: the server refused `initialize` as a 2026-07-28-only server does. */
export class LegacyNotSpoken extends Error {
  /** The versions the server named. */
  readonly speaks: readonly string[];
  constructor(version: string, code: unknown, speaks: readonly string[]) {
    super(legacyRefusal(version, code, speaks));
    this.name = 'LegacyNotSpoken';
    this.speaks = speaks;
  }
}
