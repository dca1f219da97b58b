/**
 * The check of what `createServer` is given that goes on the wire as given: its `info`
 * (`serverInfo`), `instructions` and declared `capabilities`. Without it a JavaScript caller's
 * `createServer(undefined)` answered `initialize` with no `serverInfo`, `instructions: 5` was
 * sent as a number and `capabilities: 'tools'` as `{"0":"t","1":"o",...}`: schema violations
 * every client received, and no error anywhere.
 */
import type { Implementation } from '../protocol/index.ts';

/** JSON text of a wrong value for an error message (`undefined` as such). */
const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A TypeError naming the first argument of `createServer` that is not of the kind the schema asks. */
export function checkServerArguments(info: Implementation, options: { readonly instructions?: unknown; readonly capabilities?: unknown }): void {
  // 2025-11-25 schema Implementation: name and version are required strings.
  if (typeof info?.name !== 'string' || typeof info.version !== 'string') {
    throw new TypeError(`createServer: info must be { name: string, version: string }, got ${shown(info)}`);
  }
  if (options.instructions !== undefined && typeof options.instructions !== 'string') {
    throw new TypeError(`instructions must be a string, got ${shown(options.instructions)}`);
  }
  const declared: unknown = options.capabilities;
  if (declared !== undefined && (typeof declared !== 'object' || declared === null || Array.isArray(declared))) {
    throw new TypeError(`capabilities must be an object (ServerCapabilities), got ${shown(declared)}`);
  }
}
