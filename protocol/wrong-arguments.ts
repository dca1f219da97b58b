/**
 * Checks of the arguments both sides' entry points take that a JavaScript caller (or an `any`)
 * can get wrong: `createClient(undefined)` sent `initialize` with no `clientInfo` (a schema
 * violation a server refuses, or worse takes), and `connect(undefined)` failed inside the engine
 * as "Cannot read properties of undefined (reading 'start')". Each is a TypeError naming the
 * argument, thrown where it is given.
 */
import type { Implementation } from './types/index.ts';
import type { Transport } from './transport.ts';

/** JSON text of a wrong value for an error message (`undefined` as such, a function as "a function"). */
export const shown = (value: unknown): string => (typeof value === 'function' ? 'a function' : JSON.stringify(value) ?? String(value));

/** A TypeError unless `info` is an Implementation: `{ name, version }` strings (`caller` names the factory). */
export function checkImplementation(caller: string, info: Implementation): void {
  // 2025-11-25 schema Implementation: name and version are required strings.
  if (typeof info?.name !== 'string' || typeof info.version !== 'string') {
    throw new TypeError(`${caller}: info must be { name: string, version: string }, got ${shown(info)}`);
  }
}

/** A TypeError unless `transport` has the Transport method `connect` calls first (`start`). */
export function checkTransport(transport: Transport): void {
  if (typeof (transport as Partial<Transport> | undefined)?.start !== 'function') {
    throw new TypeError(`connect: transport must be a Transport (start, send, close), got ${shown(transport)}`);
  }
}
