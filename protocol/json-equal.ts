/**
 * Equality of two values as JSON carries them. One walk serves three readers: a schema's `const`,
 * `enum` and `uniqueItems` (server/schema-plain*.ts), an elicitation form compared with the copy
 * taken when it was prepared (server/elicit-schema-cache.ts), and a re-run's question compared
 * with the one a previous process recorded (transport/http/server-inflight-inputs.ts).
 */

/**
 * True when `a` and `b` are the same JSON value: the same text once written, member order aside.
 * What `JSON.stringify` leaves out is left out on both sides: an object member whose value is
 * undefined, a function or a symbol is absent, and such an array item reads as null. No
 * allocation and no serialising: a walk of both.
 *
 * At least one side must be acyclic (a parsed value or a copy of one): the walk stops where the
 * shorter side ends.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(asItem(a[i]), asItem(b[i]))) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // Members counted rather than listed: `Object.keys` on both sides would allocate two arrays.
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    const value = left[key];
    if (omitted(value)) continue;
    count++;
    if (!Object.hasOwn(right, key) || !jsonEqual(value, right[key])) return false;
  }
  for (const key in right) if (Object.hasOwn(right, key) && !omitted(right[key])) count--;
  return count === 0;
}

/** A member JSON.stringify leaves out of an object. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** An array item as JSON.stringify writes it: what it leaves out of an object reads as null. */
function asItem(value: unknown): unknown {
  return omitted(value) ? null : value;
}
