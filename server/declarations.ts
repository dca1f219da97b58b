/**
 * Sharing of what clients declare at initialize (2025-11-25 basic/lifecycle: capabilities
 * and clientInfo), so idle sessions of the same client application cost one copy.
 */

/** Longest declaration (as JSON) worth sharing. */
const MAX_SHARED_JSON = 2048;

/**
 * Identical client declarations (capabilities, clientInfo) share one object: the sessions
 * of one client application all declare the same, and each copy would live as long as its
 * session. Bounded: small declarations only, and once full it starts over (connections
 * keep the objects they have), so a client cannot make it hold much.
 */
export class DeclarationCache {
  #byJson = new Map<string, object>();
  readonly #max: number;

  constructor(max = 64) {
    this.#max = max;
  }

  /** `value`, or an earlier object that serializes the same. */
  share<T extends object>(value: T): T {
    const json = JSON.stringify(value);
    if (json.length > MAX_SHARED_JSON) return value;
    const known = this.#byJson.get(json);
    if (known !== undefined) return known as T;
    if (this.#byJson.size >= this.#max) this.#byJson.clear();
    this.#byJson.set(json, value);
    return value;
  }
}
